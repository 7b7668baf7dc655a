#include "core/analysis/ConfigDiff.h"

#include <algorithm>
#include <set>

#include "core/config/ConfigSchema.h"

namespace cvae {

std::vector<ConfigDiffRow> diffConfigs(const std::vector<ExperimentConfig>& configs) {
  std::vector<ConfigDiffRow> rows;
  for (const auto& spec : configSchema()) {
    ConfigDiffRow row{spec.key, {}};
    std::set<std::string> distinct;
    for (const auto& config : configs) {
      std::string value =
          spec.appliesTo(config.kind) ? formatFieldValue(spec.get(config)) : std::string("-");
      if (value.empty()) value = "\"\"";  // an empty path: the embedded default data
      row.values.push_back(value);
      distinct.insert(value);
    }
    if (distinct.size() > 1) rows.push_back(std::move(row));
  }
  return rows;
}

std::string formatConfigDiff(const std::vector<std::string>& names,
                             const std::vector<ConfigDiffRow>& rows) {
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header = {"key"};
  header.insert(header.end(), names.begin(), names.end());
  table.push_back(header);
  for (const auto& row : rows) {
    std::vector<std::string> line = {row.key};
    line.insert(line.end(), row.values.begin(), row.values.end());
    table.push_back(std::move(line));
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& line : table)
    for (size_t c = 0; c < line.size() && c < widths.size(); ++c)
      widths[c] = std::max(widths[c], line[c].size());
  std::string out;
  for (const auto& line : table) {
    for (size_t c = 0; c < line.size(); ++c)
      out +=
          line[c] + (c + 1 < line.size() ? std::string(widths[c] - line[c].size() + 2, ' ') : "");
    out += "\n";
  }
  return out;
}

}  // namespace cvae
