#include "core/analysis/RunImportance.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/analysis/ConfigDiff.h"
#include "core/analysis/ScheduleColumns.h"
#include "core/io/InputError.h"

namespace cvae {

ImportanceResult importanceOverRuns(const std::vector<RunSummary>& runs, const std::string& score,
                                    ScoreSummary summary, const ImportanceOptions& options,
                                    std::int64_t schedule_step) {
  std::vector<ExperimentConfig> configs;
  std::vector<double> values;
  std::vector<std::string> known;
  std::vector<const RunSummary*> used;
  std::map<std::string, int> experiments;
  for (const auto& run : runs) {
    if (!run.config) continue;
    ++experiments[toString(run.config->kind)];
    used.push_back(&run);
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
  if (experiments.size() > 1) {
    // Keys of one experiment are missing in the other's runs, and would read as "low": a
    // comparison across experiments says nothing about either.
    std::string list;
    for (const auto& [kind, n] : experiments)
      list += (list.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
    throw InputError("the runs are of several experiments (" + list +
                     "); give folders of one experiment");
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
  // The planned schedules summed up, as the runs table shows them beside the keys.
  std::vector<std::map<std::string, std::string>> schedules;
  for (const RunSummary* run : used) schedules.push_back(scheduleColumns(*run, schedule_step));
  for (const auto& name : scheduleColumnNames(schedule_step)) {
    ImportanceColumn column{name, {}};
    for (const auto& all : schedules) {
      const auto it = all.find(name);
      column.values.push_back(it == all.end() ? std::string() : it->second);
    }
    columns.push_back(std::move(column));
  }
  ImportanceResult result = paramImportance(columns, values, options);
  // Constant columns are noise here (a schedule summary no run varies): drop them.
  result.keys.erase(std::remove_if(result.keys.begin(), result.keys.end(),
                                   [](const KeyImportance& k) { return k.constant; }),
                    result.keys.end());
  return result;
}

}  // namespace cvae
