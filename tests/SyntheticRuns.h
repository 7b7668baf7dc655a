#pragma once
// Run folders written directly (config, status, metrics), without training: for the runs table,
// sweep summaries and the 500-run benchmark. Shaped as the trainer writes them: one train row
// per step, one eval row per epoch.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config/ConfigIo.h"
#include "core/config/ExperimentFacts.h"
#include "core/io/NumberText.h"
#include "core/runs/MetricsFile.h"
#include "core/runs/RunFolder.h"

struct SyntheticRun {
  cvae::ExperimentConfig config = cvae::ExperimentConfig::defaultsFor(cvae::ExperimentKind::Tense);
  cvae::RunState state = cvae::RunState::Completed;
  int epochs = 3;
  int steps_per_epoch = 4;
  // scores[epoch][score], in the experiment's score order
  std::vector<std::vector<double>> scores;
  std::string message;
  std::string started = "2026-11-30T10:00:00Z";
};

inline void writeSyntheticRun(const std::string& dir, const SyntheticRun& run) {
  using namespace cvae;
  std::filesystem::create_directories(dir);
  const RunFolder folder = RunFolder::create(dir, /*overwrite=*/true);
  folder.writeConfig(run.config);
  std::vector<std::string> columns = {
      "loss", "reconstruction", "kl", "beta", "teacher_forcing", "learning_rate", "items_per_s"};
  const auto& scores = experimentFacts(run.config.kind).score_names;
  columns.insert(columns.end(), scores.begin(), scores.end());
  { MetricsWriter header(folder.metricsPath(), columns, MetricsWriter::Mode::Create); }
  // The rows as the trainer writes them, in one write (the benchmark makes millions).
  std::string text;
  const std::string empty_scores(scores.size(), ',');
  int64_t step = 0;
  for (int e = 0; e < run.epochs; ++e) {
    for (int s = 0; s < run.steps_per_epoch; ++s) {
      ++step;
      text += "train," + std::to_string(e) + "," + std::to_string(step) + "," +
              formatGeneral(0.5 * static_cast<double>(step), 9) + "," +
              formatGeneral(1.0 / static_cast<double>(step), 9) +
              ",0.9,0.1,0.5,1,0.001,1000" + empty_scores + "\n";
    }
    if (e < static_cast<int>(run.scores.size())) {
      text += "eval," + std::to_string(e) + "," + std::to_string(step) + "," +
              formatGeneral(0.5 * static_cast<double>(step), 9) + ",,,,,,,";
      for (size_t i = 0; i < scores.size(); ++i)
        text += "," + (i < run.scores[e].size() ? formatGeneral(run.scores[e][i], 9) : "");
      text += "\n";
    }
  }
  std::ofstream(folder.metricsPath(), std::ios::app | std::ios::binary) << text;
  RunRecord record;
  record.state = run.state;
  record.started = run.started;
  record.ended = run.state == RunState::Running ? "" : "2026-11-30T10:05:00Z";
  record.host = hostName();
  record.pid = 1;
  record.epochs_done = run.epochs;
  record.steps_done = step;
  record.message = run.message;
  folder.writeRecord(record);
}
