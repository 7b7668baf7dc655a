#include "core/analysis/ScheduleColumns.h"

#include "core/config/ExperimentFacts.h"
#include "core/io/NumberText.h"
#include "core/schedules/ScheduleSummary.h"
#include "core/schedules/Schedules.h"

#include <algorithm>

namespace cvae {

std::string betaAtStepColumn(std::int64_t step) {
  return "β at step " + std::to_string(step);
}

std::string teacherForcingAtStepColumn(std::int64_t step) {
  return "teacher forcing at step " + std::to_string(step);
}

std::vector<std::string> scheduleColumnNames(std::int64_t at_step) {
  std::vector<std::string> names = {"β warm-up end (epoch)", "mean β", "β rises",
                                    "final teacher forcing", "teacher forcing floor (epoch)"};
  if (at_step >= 0) {
    names.push_back(betaAtStepColumn(at_step));
    names.push_back(teacherForcingAtStepColumn(at_step));
  }
  return names;
}

std::map<std::string, std::string> scheduleColumns(const RunSummary& s, std::int64_t at_step) {
  std::map<std::string, std::string> values;
  if (!s.config) return values;
  const auto names = scheduleColumnNames();
  std::int64_t per_epoch = 0;
  if (s.record && s.record->epochs_done > 0)
    per_epoch = s.record->steps_done / s.record->epochs_done;
  if (per_epoch <= 0 && s.epochs > 1) per_epoch = s.steps / s.epochs;
  if (per_epoch <= 0) per_epoch = 100;  // not started: the shape, not the step count, matters
  const ScheduleSummary summary =
      summarizeSchedules(*s.config, RunLength{s.config->train.epochs, per_epoch});
  if (experimentFacts(s.config->kind).has_kl_term) {
    // β that never rises (none, constant, or a ratio of 0) has no warm-up: it ends at epoch 0.
    // "never" made the column text, so importance gave it a "best value" and no correlation.
    values[names[0]] =
        summary.beta_warmup_end_epoch < 0 ? "0" : formatGeneral(summary.beta_warmup_end_epoch, 4);
    values[names[1]] = formatGeneral(summary.mean_beta, 3);
    values[names[2]] = std::to_string(summary.beta_rises);
  }
  values[names[3]] = formatGeneral(summary.final_teacher_forcing, 3);
  values[names[4]] = summary.teacher_forcing_floor_epoch < 0
                         ? "never"
                         : std::to_string(summary.teacher_forcing_floor_epoch);
  if (at_step >= 0) {
    // The trainer asks the same functions with the same position at that step.
    const RunLength length{s.config->train.epochs, per_epoch};
    const std::int64_t step =
        std::min(at_step, std::max<std::int64_t>(0, length.totalIterations() - 1));
    const RunPosition at{static_cast<int>(step / per_epoch), step};
    if (experimentFacts(s.config->kind).has_kl_term)
      values[betaAtStepColumn(at_step)] = formatGeneral(klBeta(s.config->kl, at, length), 3);
    values[teacherForcingAtStepColumn(at_step)] =
        formatGeneral(teacherForcingRatio(s.config->teacher_forcing, at.epoch), 3);
  }
  return values;
}

}  // namespace cvae
