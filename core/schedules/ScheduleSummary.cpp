#include "core/schedules/ScheduleSummary.h"

#include <algorithm>

namespace cvae {

ScheduleSummary summarizeSchedules(const ExperimentConfig& config, const RunLength& given) {
  // A run's length comes from its status.yaml, which a user may edit to any step count: at
  // most 2^53 steps in all, so that no product, stride or step below overflows (the loop over
  // steps did not end).
  constexpr std::int64_t kMostSteps = std::int64_t(1) << 53;
  RunLength run = given;
  run.epochs = std::max(1, run.epochs);
  run.iterations_per_epoch =
      std::clamp<std::int64_t>(run.iterations_per_epoch, 1, kMostSteps / run.epochs);
  ScheduleSummary summary;
  const KlAnnealingConfig& kl = config.kl;
  const bool rises = kl.policy == KlPolicy::Monotonic || kl.policy == KlPolicy::Cyclical;
  summary.beta_rises = kl.policy == KlPolicy::Monotonic  ? 1
                       : kl.policy == KlPolicy::Cyclical ? kl.cycles
                                                         : 0;
  const std::int64_t per_epoch = run.iterations_per_epoch;
  const std::int64_t total = run.totalIterations();
  auto beta = [&](std::int64_t t) {
    return klBeta(kl, RunPosition{static_cast<int>(t / per_epoch), t}, run);
  };
  // The mean over at most 4096 evenly spaced steps (every step of runs up to that long): a
  // runs table summarises hundreds of runs of tens of thousands of steps each.
  const std::int64_t stride = std::max<std::int64_t>(1, total / 4096);
  double sum = 0;
  std::int64_t samples = 0;
  for (std::int64_t t = 0; t < total; t += stride, ++samples) sum += beta(t);
  // β does not fall during the first rise (the whole run, monotonic; the first cycle,
  // cyclical), so the first step at max_beta is found by bisection.
  if (rises) {
    const std::int64_t limit = kl.policy == KlPolicy::Cyclical
                                   ? std::max<std::int64_t>(1, total / std::max(1, kl.cycles))
                                   : total;
    auto at_max = [&](std::int64_t t) { return beta(t) >= kl.max_beta - 1e-12; };
    if (at_max(limit - 1)) {
      std::int64_t low = 0, high = limit - 1;  // the answer is in [low, high]
      while (low < high) {
        const std::int64_t mid = low + (high - low) / 2;
        if (at_max(mid))
          high = mid;
        else
          low = mid + 1;
      }
      summary.beta_warmup_end_epoch = static_cast<double>(low) / static_cast<double>(per_epoch);
    }
  }
  summary.mean_beta = sum / static_cast<double>(samples);
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
