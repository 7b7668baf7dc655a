#include "core/schedules/Schedules.h"

#include <algorithm>
#include <cmath>

namespace cvae {

namespace {
double rise(double progress, double ratio) {
  if (ratio <= 0.0) return 1.0;
  return std::min(1.0, progress / ratio);
}
}  // namespace

double klBeta(const KlAnnealingConfig& config, std::int64_t step, std::int64_t total_steps) {
  const double total = static_cast<double>(std::max<std::int64_t>(1, total_steps));
  const double t = static_cast<double>(std::clamp<std::int64_t>(step, 0, total_steps));
  switch (config.policy) {
    case KlPolicy::None:
      return 0.0;
    case KlPolicy::Constant:
      return config.max_beta;
    case KlPolicy::Monotonic:
      return config.max_beta * rise(t / total, config.ratio);
    case KlPolicy::Cyclical: {
      // As Fu et al.'s frange_cycle_linear: cycle c starts on the whole step floor(c * P) and
      // rises by 1 / (ratio * P) per step from there. A fractional period thus never starts a
      // cycle part-way up.
      const int cycles = std::max(1, config.cycles);
      const double period = total / cycles;
      auto cycleStart = [&](int c) { return std::floor(c * period + 1e-9); };
      int c = std::clamp(static_cast<int>(t / period), 0, cycles - 1);
      while (c > 0 && cycleStart(c) > t) --c;
      while (c + 1 < cycles && cycleStart(c + 1) <= t) ++c;
      return config.max_beta * rise((t - cycleStart(c)) / period, config.ratio);
    }
  }
  return 0.0;
}

double klBeta(const KlAnnealingConfig& config, const RunPosition& at, const RunLength& run) {
  if (config.unit == ScheduleUnit::Epoch) return klBeta(config, at.epoch, run.epochs);
  return klBeta(config, at.iteration, run.totalIterations());
}

double teacherForcingRatio(const TeacherForcingConfig& config, int epoch) {
  // Without decay the ratio stays at its initial value: the floor only bounds a decay (so a
  // floor above the initial ratio is idle, as the config's fieldInUse says, not a raise).
  if (config.decay <= 0) return std::clamp(config.initial, 0.0, 1.0);
  const int decayed_epochs = std::max(0, epoch - config.start_epoch);
  const double ratio = config.initial - config.decay * decayed_epochs;
  return std::clamp(std::max(config.floor, ratio), 0.0, 1.0);
}

double learningRate(const OptimizerConfig& config, int epoch, int epochs) {
  if (config.lr_schedule == "step")
    return config.learning_rate * std::pow(config.lr_gamma, epoch / config.lr_step_epochs);
  if (config.lr_schedule == "cosine") {
    // From learning_rate at the first epoch to lr_min at the last; a one-epoch run has no
    // decay and trains at learning_rate (at lr_min, a sweep over the rate changed nothing).
    if (epochs <= 1) return config.learning_rate;
    const double progress = static_cast<double>(epoch) / (epochs - 1);
    const double cosine = 0.5 * (1.0 + std::cos(M_PI * std::clamp(progress, 0.0, 1.0)));
    return config.lr_min + (config.learning_rate - config.lr_min) * cosine;
  }
  return config.learning_rate;
}

ScheduleCurves planSchedules(const ExperimentConfig& config, const RunLength& run,
                             std::size_t max_points) {
  return planSchedules(std::vector<PlanSegment>{{0, config}}, run, max_points);
}

ScheduleCurves planSchedules(const std::vector<PlanSegment>& segments, const RunLength& run,
                             std::size_t max_points) {
  ScheduleCurves curves;
  if (segments.empty()) return curves;
  const std::int64_t total = std::max<std::int64_t>(1, run.totalIterations());
  const std::int64_t points = std::min<std::int64_t>(total, std::max<std::size_t>(2, max_points));
  std::vector<std::int64_t> iterations;
  iterations.reserve(static_cast<std::size_t>(points) + 2 * segments.size());
  for (std::int64_t i = 0; i < points; ++i)
    iterations.push_back(points == 1 ? 0 : i * (total - 1) / (points - 1));
  for (const auto& segment : segments)
    for (std::int64_t t : {segment.first_step - 1, segment.first_step})
      if (t >= 0 && t < total) iterations.push_back(t);
  std::sort(iterations.begin(), iterations.end());
  iterations.erase(std::unique(iterations.begin(), iterations.end()), iterations.end());
  std::size_t in_force = 0;
  for (std::int64_t iteration : iterations) {
    while (in_force + 1 < segments.size() && segments[in_force + 1].first_step <= iteration)
      ++in_force;
    const ExperimentConfig& config = segments[in_force].config;
    RunPosition at;
    at.iteration = iteration;
    at.epoch = static_cast<int>(iteration / run.iterations_per_epoch);
    curves.epoch.push_back(static_cast<double>(iteration) / run.iterations_per_epoch);
    curves.beta.push_back(klBeta(config.kl, at, run));
    curves.teacher_forcing.push_back(teacherForcingRatio(config.teacher_forcing, at.epoch));
  }
  return curves;
}

}  // namespace cvae
