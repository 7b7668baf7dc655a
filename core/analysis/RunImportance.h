#pragma once
// Parameter importance over run folders: the config keys that differ among the runs, against
// one score per run (its best or last value), for `cvae-cli importance`.

#include <string>
#include <vector>

#include "core/analysis/ParamImportance.h"
#include "core/runs/RunSummary.h"

namespace cvae {

enum class ScoreSummary { Best, Last };

// Runs without a config are left out. Throws InputError when no run has `score` (naming the
// scores they have). The keys are those diffConfigs finds (name and output.dir excluded: they
// label runs), a key that does not apply to a run's experiment being a missing value.
ImportanceResult importanceOverRuns(const std::vector<RunSummary>& runs, const std::string& score,
                                    ScoreSummary summary, const ImportanceOptions& options = {});

}  // namespace cvae
