#include "ui/RunHistory.h"

#include <QFile>
#include <QTextStream>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/training/MetricsLog.h"

namespace cvae::ui {

MetricsCsvTail::MetricsCsvTail(QString path, int64_t batches_per_epoch_estimate)
    : path_(std::move(path)),
      batches_per_epoch_(std::max<int64_t>(1, batches_per_epoch_estimate)) {}

bool MetricsCsvTail::readNew(MetricStore& store, QString* error) {
  QFile file(path_);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
    if (error) *error = path_ + ": " + file.errorString();
    return false;
  }
  if (!file.seek(offset_)) return true;
  const auto fixed = MetricsLog::fixedColumns();
  QVector<ProgressReport> reports;
  QVector<EvaluationReport> evaluations;
  QVector<double> edits;
  while (true) {
    const qint64 line_start = file.pos();
    const QByteArray raw = file.readLine();
    if (raw.isEmpty()) break;
    if (!raw.endsWith('\n')) {  // a line the writer has not finished: read it next time
      file.seek(line_start);
      break;
    }
    offset_ = file.pos();
    ++line_number_;
    const QStringList cells = QString::fromUtf8(raw).trimmed().split(',');
    if (header_.isEmpty()) {
      if (cells.size() < static_cast<int>(fixed.size()) || cells[0] != "record") {
        if (error) *error = path_ + ":1: not a metrics.csv header";
        return false;
      }
      header_ = cells;
      continue;
    }
    if (cells.size() != header_.size()) {
      if (error)
        *error =
            QString("%1:%2: expected %3 columns").arg(path_).arg(line_number_).arg(header_.size());
      return false;
    }
    const int epoch = cells[1].toInt();
    const int64_t step = cells[2].toLongLong();
    if (cells[0] == "train") {
      if (epoch == 0) last_epoch0_step_ = std::max(last_epoch0_step_, step);
      if (epoch > 0 && !batches_known_) {
        batches_per_epoch_ = std::max<int64_t>(1, last_epoch0_step_);
        batches_known_ = true;
      }
      ProgressReport r;
      r.epoch = epoch;
      r.step = step;
      r.loss = cells[4].toDouble();
      r.reconstruction = cells[5].toDouble();
      r.kl = cells[6].toDouble();
      r.beta = cells[7].toDouble();
      r.teacher_forcing = cells[8].toDouble();
      r.learning_rate = cells[9].toDouble();
      r.items_per_second = cells[10].toDouble();
      reports.push_back(r);
    } else if (cells[0] == "eval") {
      EvaluationReport e;
      e.epoch = epoch;
      e.step = step;
      for (int c = static_cast<int>(fixed.size()); c < header_.size(); ++c)
        if (!cells[c].isEmpty())
          e.evaluation.scores[header_[c].toStdString()] = cells[c].toDouble();
      evaluations.push_back(e);
    } else if (cells[0] == "edit") {
      edits.push_back(static_cast<double>(step));
    }
  }
  // A whole finished epoch 0 in this read fixes the scale before anything is plotted.
  if (!batches_known_ && !reports.isEmpty() && reports.back().epoch > 0) {
    batches_per_epoch_ = std::max<int64_t>(1, last_epoch0_step_);
    batches_known_ = true;
  }
  for (auto& r : reports) r.batches_per_epoch = batches_per_epoch_;
  store.addProgress(reports);
  for (const auto& e : evaluations) store.addEvaluation(e, batches_per_epoch_);
  for (double step : edits) store.addMarker(step / batches_per_epoch_);
  return true;
}

bool loadRunDirectory(const QString& run_dir, MetricStore& store, ExperimentConfig& config,
                      QString* error, std::unique_ptr<MetricsCsvTail>* tail) {
  try {
    config = loadConfigFile((run_dir + "/config.yaml").toStdString());
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
  auto reader = std::make_unique<MetricsCsvTail>(run_dir + "/metrics.csv", estimate);
  MetricStore loaded;
  if (!reader->readNew(loaded, error)) return false;
  // Only a readable run replaces what the store held.
  store.clear();
  reader = std::make_unique<MetricsCsvTail>(run_dir + "/metrics.csv", estimate);
  reader->readNew(store, error);
  if (tail) *tail = std::move(reader);
  return true;
}

std::optional<SavedPreviews> loadRunPreviews(const QString& run_dir, QString* error) {
  const QString path = run_dir + "/previews.tsv";
  if (!QFile::exists(path)) return std::nullopt;
  try {
    return readPreviewFile(path.toStdString());
  } catch (const InputError& e) {
    if (error) *error = QString::fromStdString(e.what());
    return std::nullopt;
  }
}

}  // namespace cvae::ui
