#pragma once
// Reads a run directory written by the core (config.yaml, metrics.csv) back into the GUI:
// a past run, or one another process (a distributed rank 0) is still writing.

#include <QString>

#include "core/config/ExperimentConfig.h"
#include "core/runs/MetricsFile.h"
#include "core/training/PreviewFile.h"
#include "ui/MetricStore.h"

#include <memory>
#include <optional>

namespace cvae::ui {

// Reads a metrics.csv incrementally: each call appends the complete lines written since the
// last one to the store, so a run another process is writing can be followed live without
// rebuilding the plots. Steps become fractional epochs with the run's batches per epoch, known
// exactly once a row of epoch 2 appears and estimated from the config before that.
class MetricsCsvTail {
 public:
  MetricsCsvTail(QString path, int64_t batches_per_epoch_estimate);
  // False with `error` naming the file and line when the content is malformed.
  bool readNew(MetricStore& store, QString* error);
  const QString& path() const { return path_; }

 private:
  QString path_;
  MetricsReader reader_;
  int64_t batches_per_epoch_;
  bool batches_known_ = false;
  int last_train_epoch_ = -1;  // of the last train row read
  int64_t last_train_step_ = 0;
};

// Fills `store` from RUN_DIR/metrics.csv and `config` from RUN_DIR/config.yaml. On failure
// returns false with `error` naming the file and line. `tail`, when given, receives the reader
// positioned at the end, for following the run.
bool loadRunDirectory(const QString& run_dir, MetricStore& store, ExperimentConfig& config,
                      QString* error, std::unique_ptr<MetricsCsvTail>* tail = nullptr);

// RUN_DIR/previews.tsv, the run's latest previews, when the run wrote one.
std::optional<SavedPreviews> loadRunPreviews(const QString& run_dir, QString* error);

}  // namespace cvae::ui
