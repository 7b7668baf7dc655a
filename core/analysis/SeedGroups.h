#pragma once
// Runs that differ only in their seed are one experiment repeated: grouped, their scores are
// read as mean ± standard deviation over n, not as n separate results.

#include <optional>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/metrics/MeanStd.h"  // read with the groups

namespace cvae {

// Indices of `configs` grouped by every config value except `ignored_keys` (train.seed, and
// the run's name, which sweeps leave alone). Groups in order of their first member; configs
// that are missing (nullopt) are groups of their own.
std::vector<std::vector<size_t>> groupRuns(
    const std::vector<std::optional<ExperimentConfig>>& configs,
    const std::vector<std::string>& ignored_keys = {"train.seed", "name"});

}  // namespace cvae
