#include "core/analysis/RunImportance.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/ConfigDiff.h"
#include "core/io/InputError.h"

namespace cvae {

ImportanceResult importanceOverRuns(const std::vector<RunSummary>& runs, const std::string& score,
                                    ScoreSummary summary, const ImportanceOptions& options) {
  std::vector<ExperimentConfig> configs;
  std::vector<double> values;
  std::vector<std::string> known;
  for (const auto& run : runs) {
    if (!run.config) continue;
    double value = std::nan("");
    for (size_t s = 0; s < run.scores.size(); ++s) {
      if (std::find(known.begin(), known.end(), run.scores[s]) == known.end())
        known.push_back(run.scores[s]);
      if (run.scores[s] == score) value = summary == ScoreSummary::Last ? run.last[s] : run.best[s];
    }
    configs.push_back(*run.config);
    values.push_back(value);
  }
  if (std::find(known.begin(), known.end(), score) == known.end()) {
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw InputError("no run here has the score '" + score + "'" +
                     (list.empty() ? "" : " (they have " + list + ")"));
  }
  std::vector<ImportanceColumn> columns;
  if (configs.size() > 1)
    for (const auto& row : diffConfigs(configs)) {
      if (row.key == "name" || row.key == "output.dir") continue;
      ImportanceColumn column{row.key, row.values};
      for (auto& v : column.values)
        if (v == "-") v.clear();
      columns.push_back(std::move(column));
    }
  return paramImportance(columns, values, options);
}

}  // namespace cvae
