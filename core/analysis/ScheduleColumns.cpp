#include "core/analysis/ScheduleColumns.h"

#include "core/config/ExperimentFacts.h"
#include "core/io/NumberText.h"
#include "core/schedules/ScheduleSummary.h"

namespace cvae {

const std::vector<std::string>& scheduleColumnNames() {
  static const std::vector<std::string> names = {"β warm-up end (epoch)", "mean β", "β rises",
                                                 "final teacher forcing",
                                                 "teacher forcing floor (epoch)"};
  return names;
}

std::map<std::string, std::string> scheduleColumns(const RunSummary& s) {
  std::map<std::string, std::string> values;
  if (!s.config) return values;
  const auto& names = scheduleColumnNames();
  std::int64_t per_epoch = 0;
  if (s.record && s.record->epochs_done > 0)
    per_epoch = s.record->steps_done / s.record->epochs_done;
  if (per_epoch <= 0 && s.epochs > 1) per_epoch = s.steps / s.epochs;
  if (per_epoch <= 0) per_epoch = 100;  // not started: the shape, not the step count, matters
  const ScheduleSummary summary =
      summarizeSchedules(*s.config, RunLength{s.config->train.epochs, per_epoch});
  if (experimentFacts(s.config->kind).has_kl_term) {
    values[names[0]] = summary.beta_warmup_end_epoch < 0
                           ? "never"
                           : formatGeneral(summary.beta_warmup_end_epoch, 4);
    values[names[1]] = formatGeneral(summary.mean_beta, 3);
    values[names[2]] = std::to_string(summary.beta_rises);
  }
  values[names[3]] = formatGeneral(summary.final_teacher_forcing, 3);
  values[names[4]] = summary.teacher_forcing_floor_epoch < 0
                         ? "never"
                         : std::to_string(summary.teacher_forcing_floor_epoch);
  return values;
}

}  // namespace cvae
