#pragma once
// Reads a run directory written by the core (config.yaml, metrics.csv) back into the GUI:
// a past run, or one another process (a distributed rank 0) is still writing.

#include <QString>

#include "core/config/ExperimentConfig.h"
#include "core/training/PreviewFile.h"
#include "ui/MetricStore.h"

#include <optional>

namespace cvae::ui {

// Fills `store` from RUN_DIR/metrics.csv and `config` from RUN_DIR/config.yaml. On failure
// returns false with `error` naming the file and line.
bool loadRunDirectory(const QString& run_dir, MetricStore& store, ExperimentConfig& config,
                      QString* error);

// RUN_DIR/previews.tsv, the run's latest previews, when the run wrote one.
std::optional<SavedPreviews> loadRunPreviews(const QString& run_dir, QString* error);

}  // namespace cvae::ui
