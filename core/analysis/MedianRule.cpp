#include "core/analysis/MedianRule.h"

#include <algorithm>
#include <cmath>

namespace cvae {

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

MedianVerdict medianRule(double score, const std::vector<double>& others, int min_members) {
  MedianVerdict verdict;
  std::vector<double> finite;
  for (double v : others)
    if (!std::isnan(v)) finite.push_back(v);
  verdict.compared = static_cast<int>(finite.size());
  if (verdict.compared < std::max(1, min_members)) return verdict;
  verdict.median = *median(finite);
  verdict.stop = std::isnan(score) || score < verdict.median;
  return verdict;
}

double schedulePhase(double epochs_done, double warmup_end_epoch) {
  if (warmup_end_epoch <= 0) return 1 + epochs_done;
  if (epochs_done < warmup_end_epoch) return epochs_done / warmup_end_epoch;
  return 1 + (epochs_done - warmup_end_epoch);
}

std::optional<double> scoreAtPhase(const std::vector<PhaseScore>& evaluations, double phase) {
  // A hair of tolerance: phases computed along different paths differ in the last bits.
  constexpr double kSlack = 1e-9;
  if (evaluations.empty() || phase < evaluations.front().phase - kSlack ||
      phase > evaluations.back().phase + kSlack)
    return std::nullopt;
  for (size_t k = 0; k < evaluations.size(); ++k) {
    const PhaseScore& at = evaluations[k];
    if (std::abs(at.phase - phase) <= kSlack) return at.score;
    if (k + 1 < evaluations.size() && evaluations[k + 1].phase > phase) {
      const PhaseScore& next = evaluations[k + 1];
      const double t = (phase - at.phase) / (next.phase - at.phase);
      return at.score + t * (next.score - at.score);
    }
  }
  return evaluations.back().score;
}

}  // namespace cvae
