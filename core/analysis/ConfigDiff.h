#pragma once
// The config keys whose values differ among two or more runs (or config files), for
// `cvae-cli diff` and the Runs dock's Diff: one row per differing key, in schema order (so
// nested keys stay grouped by section), one value per config as config text; "-" where the key
// does not apply to that config's experiment, "" for an empty text (the embedded data's path).

#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

struct ConfigDiffRow {
  std::string key;
  std::vector<std::string> values;  // one per config, in the order given
};

std::vector<ConfigDiffRow> diffConfigs(const std::vector<ExperimentConfig>& configs);

// The rows as an aligned text table with `names` as column headers.
std::string formatConfigDiff(const std::vector<std::string>& names,
                             const std::vector<ConfigDiffRow>& rows);

}  // namespace cvae
