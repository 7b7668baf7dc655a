#include "ui/RunHistory.h"

#include <QFile>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/experiments/ExperimentRegistry.h"
#include "core/io/InputError.h"
#include "core/runs/RunFolder.h"
#include "core/training/MetricsLog.h"

namespace cvae::ui {

MetricsCsvTail::MetricsCsvTail(QString path, int64_t batches_per_epoch_estimate)
    : path_(std::move(path)),
      reader_(path_.toStdString()),
      batches_per_epoch_(std::max<int64_t>(1, batches_per_epoch_estimate)) {}

bool MetricsCsvTail::readNew(MetricStore& store, QString* error) {
  std::vector<MetricsRow> rows;
  try {
    rows = reader_.readNew();
  } catch (const InputError& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  const MetricsColumns& columns = reader_.columns();
  const auto train_columns = MetricsLog::trainColumns();
  QVector<ProgressReport> reports;
  QVector<EvaluationReport> evaluations;
  QVector<double> edits;
  for (const auto& row : rows) {
    if (row.record == "train") {
      // The first row of a new epoch fixes the scale: the epoch before ended at the step
      // before it, after (that epoch + 1) whole epochs. This holds for forked and resumed runs
      // too, whose rows start in the middle of the run.
      if (!batches_known_ && last_train_epoch_ >= 0 && row.epoch > last_train_epoch_) {
        batches_per_epoch_ = std::max<int64_t>(1, last_train_step_ / (last_train_epoch_ + 1));
        batches_known_ = true;
      }
      last_train_epoch_ = row.epoch;
      last_train_step_ = row.step;
      ProgressReport r;
      r.epoch = row.epoch;
      r.step = row.step;
      r.elapsed_seconds = row.elapsed_s;
      r.loss = columns.value(row, "loss");
      r.reconstruction = columns.value(row, "reconstruction");
      r.kl = columns.value(row, "kl");
      r.beta = columns.value(row, "beta");
      r.teacher_forcing = columns.value(row, "teacher_forcing");
      r.learning_rate = columns.value(row, "learning_rate");
      r.items_per_second = columns.value(row, "items_per_s");
      reports.push_back(r);
    } else if (row.record == "eval") {
      EvaluationReport e;
      e.epoch = row.epoch;
      e.step = row.step;
      // Every column that is not a training value is a score of the experiment.
      for (const auto& name : columns.names()) {
        if (std::find(train_columns.begin(), train_columns.end(), name) != train_columns.end())
          continue;
        const double v = columns.value(row, name);
        if (!std::isnan(v)) e.evaluation.scores[name] = v;
      }
      evaluations.push_back(e);
    } else if (row.record == "edit") {
      edits.push_back(static_cast<double>(row.step));
    }
  }
  for (auto& r : reports) r.batches_per_epoch = batches_per_epoch_;
  store.addProgress(reports);
  for (const auto& e : evaluations) store.addEvaluation(e, batches_per_epoch_);
  for (double step : edits) store.addMarker(step / batches_per_epoch_);
  return true;
}

bool loadRunDirectory(const QString& run_dir, MetricStore& store, ExperimentConfig& config,
                      QString* error, std::unique_ptr<MetricsCsvTail>* tail) {
  std::optional<RunFolder> folder;
  try {
    folder = RunFolder::open(run_dir.toStdString());
    config = folder->readConfig();
  } catch (const InputError& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  int64_t estimate = 1;
  try {
    estimate = experimentEntry(config.kind).estimate_batches_per_epoch(config);
  } catch (const InputError&) {
    // An experiment this build lacks: the scale comes from the file alone.
  }
  const QString metrics = QString::fromStdString(folder->metricsPath());
  auto reader = std::make_unique<MetricsCsvTail>(metrics, estimate);
  MetricStore loaded;
  if (!reader->readNew(loaded, error)) return false;
  // Only a readable run replaces what the store held.
  store.clear();
  reader = std::make_unique<MetricsCsvTail>(metrics, estimate);
  reader->readNew(store, error);
  // The collapse watch, when the run has one: a damaged latent.csv leaves its plot empty, the
  // run opens all the same.
  try {
    const std::string latent = folder->latentPath();
    if (QFile::exists(QString::fromStdString(latent))) {
      MetricsColumns columns;
      for (const auto& row : readMetricsFile(latent, &columns)) {
        LatentActivity activity;
        const double active = columns.value(row, "active_units");
        activity.active_units = std::isfinite(active) ? static_cast<int>(active) : 0;
        for (int j = 0; columns.index("kl_" + std::to_string(j)); ++j)
          activity.kl.push_back(columns.value(row, "kl_" + std::to_string(j)));
        for (const auto& name : columns.names())
          if (name.rfind("kl_frame_", 0) == 0) {
            activity.frame_numbers.push_back(std::atoi(name.c_str() + 9));
            activity.kl_per_frame.push_back(columns.value(row, name));
          }
        store.addLatent(row.step, store.batchesPerEpoch(), activity);
      }
    }
  } catch (const InputError&) {
  }
  if (tail) *tail = std::move(reader);
  return true;
}

std::optional<SavedPreviews> loadRunPreviews(const QString& run_dir, QString* error) {
  QString path;
  try {
    path = QString::fromStdString(RunFolder::open(run_dir.toStdString()).previewsPath());
    if (!QFile::exists(path)) return std::nullopt;
    return readPreviewFile(path.toStdString());
  } catch (const InputError& e) {
    if (error) *error = QString::fromStdString(e.what());
    return std::nullopt;
  }
}

}  // namespace cvae::ui
