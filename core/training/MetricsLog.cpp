#include "core/training/MetricsLog.h"

#include <cstdio>
#include <stdexcept>

namespace cvae {
namespace {
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

std::vector<std::string> MetricsLog::fixedColumns() {
  return {"record",         "epoch", "step", "elapsed_s",       "loss",
          "reconstruction", "kl",    "beta", "teacher_forcing", "learning_rate",
          "items_per_s"};
}

MetricsLog::MetricsLog(const std::string& path, std::vector<std::string> score_names)
    : out_(path, std::ios::trunc), score_names_(std::move(score_names)) {
  if (!out_) throw std::runtime_error(path + ": cannot write the metrics log");
  auto header = fixedColumns();
  header.insert(header.end(), score_names_.begin(), score_names_.end());
  writeRow(header);
}

void MetricsLog::writeRow(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) out_ << (i ? "," : "") << cells[i];
  out_ << '\n';
  out_.flush();
}

void MetricsLog::writeProgress(const ProgressReport& r) {
  std::vector<std::string> row = {"train",
                                  std::to_string(r.epoch),
                                  std::to_string(r.step),
                                  number(r.elapsed_seconds),
                                  number(r.loss),
                                  number(r.reconstruction),
                                  number(r.kl),
                                  number(r.beta),
                                  number(r.teacher_forcing),
                                  number(r.learning_rate),
                                  number(r.items_per_second)};
  row.resize(row.size() + score_names_.size());
  writeRow(row);
}

void MetricsLog::writeEvaluation(int epoch, int64_t step, double elapsed_seconds,
                                 const std::map<std::string, double>& scores) {
  std::vector<std::string> row = {"eval", std::to_string(epoch), std::to_string(step),
                                  number(elapsed_seconds)};
  row.resize(fixedColumns().size());
  for (const auto& name : score_names_) {
    auto it = scores.find(name);
    row.push_back(it == scores.end() ? "" : number(it->second));
  }
  writeRow(row);
}

void MetricsLog::writeEdit(int epoch, int64_t step, double elapsed_seconds) {
  std::vector<std::string> row = {"edit", std::to_string(epoch), std::to_string(step),
                                  number(elapsed_seconds)};
  row.resize(fixedColumns().size() + score_names_.size());
  writeRow(row);
}

}  // namespace cvae
