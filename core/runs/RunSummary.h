#pragma once
// What a table of runs shows about one run folder without loading its checkpoints: state,
// record, config, and the best and last value of every score. Shared by `cvae-cli sweep`'s
// summary.csv and the GUI's runs table, so both say the same about a run.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/runs/MetricsFile.h"
#include "core/runs/RunFolder.h"

namespace cvae {

// Follows a metrics.csv for a summary: parses the header, every eval row and the position of
// the last row, and skips the values of train rows, which a summary does not need (a run's file
// holds a train row per step and an eval row per epoch, so this reads 500 runs in well under a
// second). Incremental, like MetricsReader: update() reads only what was written since.
class MetricsDigest {
 public:
  explicit MetricsDigest(std::string path) : path_(std::move(path)) {}
  // Returns whether new rows were read. A missing file is no rows yet (returns false). Throws
  // InputError naming the file and line for a malformed header or eval row, and when the file
  // shrank (was replaced) since the last call.
  bool update();

  const MetricsColumns& columns() const { return columns_; }
  // Every eval row, in file order, its empty cells (the training values: loss, KL, β, ...)
  // filled from the train row just before it.
  const std::vector<MetricsRow>& evaluations() const { return evaluations_; }
  // Highest and latest value of `score` over the eval rows; NaN when it has none. Every score
  // the experiments compute (BLEU, Gaussian score, accuracy, PSNR, SSIM) is better higher.
  double best(const std::string& score) const;
  double last(const std::string& score) const;
  // The value of column `value` at the evaluation where `score` was best (the first such):
  // "KL at the best BLEU". NaN when `score` was never evaluated or `value` is no column.
  double atBestOf(const std::string& value, const std::string& score) const;
  // The columns eval rows themselves hold values in (the scores), in column order.
  std::vector<std::string> evaluatedColumns() const;
  // The value of `score` in the eval row of `epoch` (0-based); nothing when not evaluated.
  std::optional<double> atEpoch(const std::string& score, int epoch) const;
  // The last complete row's place: epochs begun (its epoch + 1), steps, training seconds.
  int epochs() const { return epochs_; }
  std::int64_t steps() const { return steps_; }
  double elapsedSeconds() const { return elapsed_s_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::int64_t offset_ = 0;
  int line_number_ = 0;
  bool have_header_ = false;
  MetricsColumns columns_;
  std::vector<MetricsRow> evaluations_;
  std::string last_train_line_;  // the latest train row read, for the next eval row
  std::set<size_t> evaluated_;   // columns with a value in some eval row
  int epochs_ = 0;
  std::int64_t steps_ = 0;
  double elapsed_s_ = 0;
};

struct RunSummary {
  std::string dir;
  std::string name;  // the folder's name
  RunState state = RunState::Interrupted;
  std::optional<RunRecord> record;
  std::optional<ExperimentConfig> config;
  std::vector<std::string> scores;  // the experiment's score names, as in metrics.csv
  std::vector<double> best;         // per score, NaN when never evaluated
  std::vector<double> last;
  // Every value column of metrics.csv, and per score the value of each at the evaluation where
  // that score was best (NaN where none): the "KL at the best BLEU" a table can show.
  std::vector<std::string> columns;
  std::vector<std::vector<double>> at_best;  // [score][column]
  int epochs = 0;                            // epochs begun, from metrics.csv
  std::int64_t steps = 0;
  double elapsed_s = 0;  // training time, across resumes
  RunNotes notes;
  // Why part of the folder could not be read ("config.yaml:3:1: ..."); the rest is filled.
  std::string problem;
};

// Reads `dir`'s config, record and metrics; never throws for a damaged folder (see problem).
// `digest`, when given, follows the run's metrics.csv and is kept for later refreshes.
RunSummary summarizeRun(const std::string& dir, MetricsDigest* digest = nullptr);
// Refreshes `summary` from `digest` (which follows the run's metrics.csv) and its record.
void refreshRunSummary(RunSummary& summary, MetricsDigest& digest);

// Run folders at or under `root`, at most `max_depth` levels down (a sweep's members are two
// levels under runs/), sorted by path. Hidden folders and preview-frames are not searched.
std::vector<std::string> findRunFolders(const std::string& root, int max_depth = 3);

}  // namespace cvae
