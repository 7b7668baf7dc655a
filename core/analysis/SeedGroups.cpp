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

MeanStd meanStd(const std::vector<double>& values) {
  MeanStd out;
  double sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (out.n == 0) out.min = out.max = v;
    out.min = std::min(out.min, v);
    out.max = std::max(out.max, v);
    sum += v;
    ++out.n;
  }
  if (out.n == 0) {
    out.mean = std::nan("");
    return out;
  }
  out.mean = sum / out.n;
  if (out.n > 1) {
    double squares = 0;
    for (double v : values)
      if (!std::isnan(v)) squares += (v - out.mean) * (v - out.mean);
    out.std = std::sqrt(squares / (out.n - 1));
  }
  return out;
}

}  // namespace cvae
