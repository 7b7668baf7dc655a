#pragma once
// A run's planned schedules summed up (core/schedules/ScheduleSummary) as named columns beside
// its config keys, so runs with different schedules compare on a few numbers: in the runs table,
// the HParams views and the parameter importance alike.

#include <map>
#include <string>
#include <vector>

#include "core/runs/RunSummary.h"

namespace cvae {

// The column names, in display order: "β warm-up end (epoch)", "mean β", "β rises", "final
// teacher forcing", "teacher forcing floor (epoch)".
const std::vector<std::string>& scheduleColumnNames();

// The run's values as text ("never" where β never rises or teacher forcing never decays); the
// β columns only for experiments with a KL term; empty without a config. Steps per epoch come
// from the run's record or metrics (100 before it has any: the curves' shape is what counts).
std::map<std::string, std::string> scheduleColumns(const RunSummary& run);

}  // namespace cvae
