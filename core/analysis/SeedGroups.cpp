#include "core/analysis/SeedGroups.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/config/ConfigSchema.h"

namespace cvae {

std::vector<std::vector<size_t>> groupRuns(
    const std::vector<std::optional<ExperimentConfig>>& configs,
    const std::vector<std::string>& ignored_keys) {
  std::vector<std::vector<size_t>> groups;
  std::map<std::string, size_t> by_key;
  for (size_t i = 0; i < configs.size(); ++i) {
    if (!configs[i]) {
      groups.push_back({i});
      continue;
    }
    std::string key = toString(configs[i]->kind);
    for (const auto& spec : configSchema()) {
      if (!spec.appliesTo(configs[i]->kind)) continue;
      if (std::find(ignored_keys.begin(), ignored_keys.end(), spec.key) != ignored_keys.end())
        continue;
      key += '\n' + spec.key + '=' + formatFieldValue(spec.get(*configs[i]));
    }
    const auto [it, inserted] = by_key.emplace(key, groups.size());
    if (inserted)
      groups.push_back({i});
    else
      groups[it->second].push_back(i);
  }
  return groups;
}

}  // namespace cvae
