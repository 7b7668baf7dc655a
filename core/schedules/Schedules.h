#pragma once
// KL annealing and teacher forcing as pure functions of the config and the position in the run,
// so the GUI can draw the whole planned curve before training starts and the trainer asks the
// same functions at every step.

#include <cstdint>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

// Where the run stands, in the terms both schedules need.
struct RunPosition {
  int epoch = 0;               // 0-based
  std::int64_t iteration = 0;  // 0-based optimizer step over the whole run
};

struct RunLength {
  int epochs = 1;
  std::int64_t iterations_per_epoch = 1;
  std::int64_t totalIterations() const { return epochs * iterations_per_epoch; }
};

// beta at step t of T (t counts from 0; the unit decides whether steps are iterations or
// epochs):
//   none:      0
//   constant:  max_beta
//   monotonic: max_beta * min(1, t / (ratio * T))          — rises once, then holds
//   cyclical:  period P = T / cycles; cycle c starts on the whole step s_c = floor(c * P),
//              and at t in cycle c: max_beta * min(1, (t - s_c) / (ratio * P))
//              — Fu et al. 2019 (frange_cycle_linear): every cycle starts at exactly 0 on a
//              whole step and rises alike, also when T is not a multiple of the cycles
// ratio 0 means "no rise": beta is max_beta from the first step.
double klBeta(const KlAnnealingConfig& config, std::int64_t step, std::int64_t total_steps);
double klBeta(const KlAnnealingConfig& config, const RunPosition& at, const RunLength& run);

// ratio(epoch) = max(floor, initial - decay * max(0, epoch - start_epoch)).
double teacherForcingRatio(const TeacherForcingConfig& config, int epoch);

// The learning rate at the start of `epoch` under the optimizer's schedule.
double learningRate(const OptimizerConfig& config, int epoch, int epochs);

// Both curves sampled at every iteration of the planned run (x = fractional epoch), for plots.
struct ScheduleCurves {
  std::vector<double> epoch;  // x axis: iteration / iterations_per_epoch
  std::vector<double> beta;
  std::vector<double> teacher_forcing;
};
// At most `max_points` samples (evenly spaced), always including the first and last iteration.
ScheduleCurves planSchedules(const ExperimentConfig& config, const RunLength& run,
                             std::size_t max_points = 4000);

// A plan that changed during the run (schedules edited while paused): each segment's schedules
// are in force from its first step (optimizer steps, the first segment's 0) to the next
// segment's. Sampled as above, plus the last step before and the first step of every change,
// so the jump an edit causes is drawn where it happened. `segments` must be sorted by
// first_step; an empty list gives empty curves.
struct PlanSegment {
  std::int64_t first_step = 0;
  ExperimentConfig config;
};
ScheduleCurves planSchedules(const std::vector<PlanSegment>& segments, const RunLength& run,
                             std::size_t max_points = 4000);

}  // namespace cvae
