#pragma once
// metrics.csv of a run: one "train" row per optimizer step, one "eval" row per evaluation and
// one "edit" row where the user changed the schedules. Each line is flushed as written, so a
// crash loses nothing and another process (the GUI) can follow the file live.

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/training/TrainingObserver.h"

namespace cvae {

class MetricsLog {
 public:
  MetricsLog(const std::string& path, std::vector<std::string> score_names);
  void writeProgress(const ProgressReport& report);
  void writeEvaluation(int epoch, int64_t step, double elapsed_seconds,
                       const std::map<std::string, double>& scores);
  void writeEdit(int epoch, int64_t step, double elapsed_seconds);

  static std::vector<std::string> fixedColumns();

 private:
  void writeRow(const std::vector<std::string>& cells);
  std::ofstream out_;
  std::vector<std::string> score_names_;
};

}  // namespace cvae
