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

}  // namespace cvae
