#pragma once
// Parameter importance over run folders: the config keys that differ among the runs, against
// one score per run (its best or last value), for `cvae-cli importance`.

#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/ParamImportance.h"
#include "core/runs/RunSummary.h"

namespace cvae {

enum class ScoreSummary { Best, Last };

// Runs without a config are left out, and so (by paramImportance) are runs without the score.
// The keys are those diffConfigs finds (name and output.dir excluded: they label runs) and the
// schedule summaries that vary (core/analysis/ScheduleColumns), as the runs table shows them.
// With `schedule_step` ≥ 0, β and teacher forcing at that step are keys too.
// Throws InputError when no run has `score` (naming the scores they have) and when the runs
// are of more than one experiment.
ImportanceResult importanceOverRuns(const std::vector<RunSummary>& runs, const std::string& score,
                                    ScoreSummary summary, const ImportanceOptions& options = {},
                                    std::int64_t schedule_step = -1);

}  // namespace cvae
