#include "core/training/LatentLog.h"

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "core/io/NumberText.h"

namespace cvae {

LatentLog::LatentLog(std::string path, bool append) : path_(std::move(path)), append_(append) {}

std::vector<std::string> LatentLog::columns(size_t dimensions,
                                            const std::vector<int>& frame_numbers) {
  std::vector<std::string> names = {"active_units", "kl_total"};
  for (size_t j = 0; j < dimensions; ++j) names.push_back("kl_" + std::to_string(j));
  for (int n : frame_numbers) names.push_back("kl_frame_" + std::to_string(n));
  return names;
}

bool LatentLog::columnsFit(const std::vector<std::string>& names, size_t dimensions) {
  const auto expected = columns(dimensions);
  if (names.size() < expected.size() ||
      !std::equal(expected.begin(), expected.end(), names.begin()))
    return false;
  return std::all_of(names.begin() + static_cast<std::ptrdiff_t>(expected.size()), names.end(),
                     [](const std::string& name) { return name.rfind("kl_frame_", 0) == 0; });
}

void LatentLog::write(int epoch, int64_t step, double elapsed_seconds,
                      const LatentActivity& activity) {
  if (!writer_) {
    std::error_code ec;
    const bool continue_file = append_ && std::filesystem::exists(path_, ec);
    writer_ = std::make_unique<MetricsWriter>(
        path_, columns(activity.kl.size(), activity.frame_numbers),
        continue_file ? MetricsWriter::Mode::Append : MetricsWriter::Mode::Create);
  }
  MetricsRow row;
  row.record = "eval";
  row.epoch = epoch;
  row.step = step;
  row.elapsed_s = elapsed_seconds;
  row.values.push_back(activity.active_units);
  row.values.push_back(std::accumulate(activity.kl.begin(), activity.kl.end(), 0.0));
  row.values.insert(row.values.end(), activity.kl.begin(), activity.kl.end());
  row.values.insert(row.values.end(), activity.kl_per_frame.begin(), activity.kl_per_frame.end());
  writer_->write(row);
}

std::optional<std::string> CollapseWatch::update(const LatentActivity& activity, int epoch,
                                                 double beta) {
  const bool collapsed = activity.active_units == 0;
  const bool news = collapsed && !collapsed_;
  collapsed_ = collapsed;
  if (!news) return std::nullopt;
  const double kl = std::accumulate(activity.kl.begin(), activity.kl.end(), 0.0);
  return "posterior collapse after epoch " + std::to_string(epoch + 1) +
         ": no active latent unit (no posterior mean varies by more than " +
         formatGeneral(activity.threshold, 3) + " over the data), KL " + formatGeneral(kl, 3) +
         " nats at β " + formatGeneral(beta, 3) + ". The decoder ignores z: try " + advice();
}

std::string CollapseWatch::advice() const {
  std::vector<std::string> tries;
  if (kl_.policy != KlPolicy::Cyclical)
    tries.push_back("cyclical KL annealing (kl_annealing.policy: cyclical)");
  if (kl_.free_bits < 0.25)
    tries.push_back("free bits (kl_annealing.free_bits: 0.25)");
  else
    tries.push_back("more free bits (kl_annealing.free_bits above " +
                    formatGeneral(kl_.free_bits, 3) + ")");
  tries.push_back("a lower kl_annealing.max_beta");
  std::string text;
  for (size_t i = 0; i < tries.size(); ++i)
    text += (i == 0 ? "" : i + 1 == tries.size() ? " or " : ", ") + tries[i];
  return text;
}

}  // namespace cvae
