#pragma once
// A run's planned β and teacher-forcing curves summed up in a few numbers, so that schedules
// can be compared as hyperparameters (runs table columns, parallel coordinates): when β first
// reaches its maximum, its mean over the run, how many times it rises, and the teacher-forcing
// ratio the run ends with.

#include <cstdint>

#include "core/config/ExperimentConfig.h"
#include "core/schedules/Schedules.h"

namespace cvae {

struct ScheduleSummary {
  // Epoch (fractional) at which β first reaches max_beta; -1 when it never rises (policy none
  // or constant, where it is max_beta, or 0, from the start).
  double beta_warmup_end_epoch = -1;
  // β averaged over the run's steps (the area under β / steps); over 4096 evenly spaced steps
  // when the run has more.
  double mean_beta = 0;
  int beta_rises = 0;                // 1 for monotonic, the cycles for cyclical, 0 otherwise
  double final_teacher_forcing = 1;  // the ratio in the last epoch
  // First epoch (0-based) at the floor of a decaying teacher forcing; -1 when it never decays.
  int teacher_forcing_floor_epoch = -1;
};

// From the same functions the trainer asks at every step; O(4096 + log steps).
ScheduleSummary summarizeSchedules(const ExperimentConfig& config, const RunLength& run);

}  // namespace cvae
