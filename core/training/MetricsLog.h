#pragma once
// What the trainer writes into metrics.csv (runs/MetricsFile.h): a "train" row per optimizer
// step from its ProgressReport, an "eval" row per evaluation with the experiment's scores, and
// an "edit" row where the user changed the schedules.

#include <map>
#include <string>
#include <vector>

#include "core/runs/MetricsFile.h"
#include "core/training/TrainingObserver.h"

namespace cvae {

class MetricsLog {
 public:
  // `append`: continue the file of a resumed run (its columns must match).
  MetricsLog(const std::string& path, const std::vector<std::string>& score_names, bool append);
  void writeProgress(const ProgressReport& report);
  void writeEvaluation(int epoch, int64_t step, double elapsed_seconds,
                       const std::map<std::string, double>& scores);
  void writeEdit(int epoch, int64_t step, double elapsed_seconds);

  // The value columns of a train row, in order (after record, epoch, step, elapsed_s).
  static std::vector<std::string> trainColumns();

 private:
  MetricsWriter writer_;
  std::vector<std::string> score_names_;
};

}  // namespace cvae
