#include "core/schedules/ScheduleSummary.h"

#include <algorithm>

namespace cvae {

ScheduleSummary summarizeSchedules(const ExperimentConfig& config, const RunLength& run) {
  ScheduleSummary summary;
  const KlAnnealingConfig& kl = config.kl;
  const bool rises = kl.policy == KlPolicy::Monotonic || kl.policy == KlPolicy::Cyclical;
  summary.beta_rises = kl.policy == KlPolicy::Monotonic  ? 1
                       : kl.policy == KlPolicy::Cyclical ? kl.cycles
                                                         : 0;
  const std::int64_t per_epoch = std::max<std::int64_t>(1, run.iterations_per_epoch);
  const std::int64_t total = std::max<std::int64_t>(1, run.epochs * per_epoch);
  double sum = 0;
  for (std::int64_t t = 0; t < total; ++t) {
    const RunPosition at{static_cast<int>(t / per_epoch), t};
    const double beta = klBeta(kl, at, run);
    sum += beta;
    if (rises && summary.beta_warmup_end_epoch < 0 && beta >= kl.max_beta - 1e-12)
      summary.beta_warmup_end_epoch = static_cast<double>(t) / static_cast<double>(per_epoch);
  }
  summary.mean_beta = sum / static_cast<double>(total);
  const TeacherForcingConfig& tf = config.teacher_forcing;
  summary.final_teacher_forcing = teacherForcingRatio(tf, std::max(0, run.epochs - 1));
  if (tf.decay > 0)
    for (int e = 0; e < run.epochs; ++e)
      if (teacherForcingRatio(tf, e) <= tf.floor + 1e-12) {
        summary.teacher_forcing_floor_epoch = e;
        break;
      }
  return summary;
}

}  // namespace cvae
