#include "core/training/MetricsLog.h"

#include <cmath>

namespace cvae {
namespace {

std::vector<std::string> allColumns(const std::vector<std::string>& score_names) {
  auto columns = MetricsLog::trainColumns();
  columns.insert(columns.end(), score_names.begin(), score_names.end());
  return columns;
}

}  // namespace

std::vector<std::string> MetricsLog::trainColumns() {
  return {"loss",          "reconstruction", "kl", "beta", "teacher_forcing",
          "learning_rate", "items_per_s"};
}

MetricsLog::MetricsLog(const std::string& path, const std::vector<std::string>& score_names,
                       bool append)
    : writer_(path, allColumns(score_names),
              append ? MetricsWriter::Mode::Append : MetricsWriter::Mode::Create),
      score_names_(score_names) {}

void MetricsLog::writeProgress(const ProgressReport& r) {
  MetricsRow row{"train", r.epoch, r.step, r.elapsed_seconds, {}};
  row.values = {r.loss,          r.reconstruction,  r.kl, r.beta, r.teacher_forcing,
                r.learning_rate, r.items_per_second};
  row.values.resize(row.values.size() + score_names_.size(), std::nan(""));
  writer_.write(row);
}

void MetricsLog::writeEvaluation(int epoch, int64_t step, double elapsed_seconds,
                                 const std::map<std::string, double>& scores) {
  MetricsRow row{"eval", epoch, step, elapsed_seconds, {}};
  row.values.assign(trainColumns().size(), std::nan(""));
  for (const auto& name : score_names_) {
    auto it = scores.find(name);
    row.values.push_back(it == scores.end() ? std::nan("") : it->second);
  }
  writer_.write(row);
}

void MetricsLog::writeEdit(int epoch, int64_t step, double elapsed_seconds) {
  MetricsRow row{"edit", epoch, step, elapsed_seconds, {}};
  row.values.assign(trainColumns().size() + score_names_.size(), std::nan(""));
  writer_.write(row);
}

}  // namespace cvae
