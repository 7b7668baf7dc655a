#pragma once
// Runs that differ only in their seed are one experiment repeated: grouped, their scores are
// read as mean ± standard deviation over n, not as n separate results.

#include <optional>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

// Indices of `configs` grouped by every config value except `ignored_keys` (train.seed, and
// the run's name, which sweeps leave alone). Groups in order of their first member; configs
// that are missing (nullopt) are groups of their own.
std::vector<std::vector<size_t>> groupRuns(
    const std::vector<std::optional<ExperimentConfig>>& configs,
    const std::vector<std::string>& ignored_keys = {"train.seed", "name"});

struct MeanStd {
  int n = 0;        // values that were not NaN
  double mean = 0;  // NaN when n == 0
  double std = 0;   // sample standard deviation (n - 1 in the denominator); 0 when n == 1
  double min = 0, max = 0;
};
// Over the values that are not NaN.
MeanStd meanStd(const std::vector<double>& values);

}  // namespace cvae
