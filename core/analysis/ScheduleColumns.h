#pragma once
// A run's planned schedules summed up (core/schedules/ScheduleSummary) as named columns beside
// its config keys, so runs with different schedules compare on a few numbers: in the runs table,
// the HParams views and the parameter importance alike.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/runs/RunSummary.h"

namespace cvae {

// The column names, in display order: "β warm-up end (epoch)", "mean β", "β rises", "final
// teacher forcing", "teacher forcing floor (epoch)"; with `at_step` ≥ 0 also "β at step N" and
// "teacher forcing at step N" (the planned values at optimizer step N, 0-based).
std::vector<std::string> scheduleColumnNames(std::int64_t at_step = -1);

// The run's values as text ("never" where β never rises or teacher forcing never decays); the
// β columns only for experiments with a KL term; empty without a config. Steps per epoch come
// from the run's record or metrics (100 before it has any: the curves' shape is what counts).
// A step past the run's planned end reads its last step's values ("end" runs hold there).
std::map<std::string, std::string> scheduleColumns(const RunSummary& run,
                                                   std::int64_t at_step = -1);

// "β at step N", "teacher forcing at step N": the names scheduleColumnNames adds for N.
std::string betaAtStepColumn(std::int64_t step);
std::string teacherForcingAtStepColumn(std::int64_t step);

}  // namespace cvae
