#include "ui/RunHistory.h"

#include <QFile>
#include <QTextStream>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/training/MetricsLog.h"

namespace cvae::ui {

bool loadRunDirectory(const QString& run_dir, MetricStore& store, ExperimentConfig& config,
                      QString* error) {
  try {
    config = loadConfigFile((run_dir + "/config.yaml").toStdString());
  } catch (const InputError& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  const QString path = run_dir + "/metrics.csv";
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
    if (error) *error = path + ": " + file.errorString();
    return false;
  }
  QTextStream in(&file);
  const QStringList header = in.readLine().split(',');
  const auto fixed = MetricsLog::fixedColumns();
  if (header.size() < static_cast<int>(fixed.size()) || header[0] != "record") {
    if (error) *error = path + ":1: not a metrics.csv header";
    return false;
  }
  store.clear();
  QVector<ProgressReport> reports;
  QVector<EvaluationReport> evaluations;
  QVector<double> edits;
  int line_number = 1;
  int64_t batches_per_epoch = 1;
  while (!in.atEnd()) {
    ++line_number;
    const QStringList cells = in.readLine().split(',');
    if (cells.size() != header.size()) {
      if (in.atEnd()) break;  // a line being written by a live run
      if (error)
        *error =
            QString("%1:%2: expected %3 columns").arg(path).arg(line_number).arg(header.size());
      return false;
    }
    const int epoch = cells[1].toInt();
    const int64_t step = cells[2].toLongLong();
    if (cells[0] == "train") {
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
      if (epoch == 0) batches_per_epoch = std::max<int64_t>(batches_per_epoch, step);
      reports.push_back(r);
    } else if (cells[0] == "eval") {
      EvaluationReport e;
      e.epoch = epoch;
      e.step = step;
      for (int c = static_cast<int>(fixed.size()); c < header.size(); ++c)
        if (!cells[c].isEmpty()) e.evaluation.scores[header[c].toStdString()] = cells[c].toDouble();
      evaluations.push_back(e);
    } else if (cells[0] == "edit") {
      edits.push_back(static_cast<double>(step));
    }
  }
  for (auto& r : reports) r.batches_per_epoch = batches_per_epoch;
  store.addProgress(reports);
  for (const auto& e : evaluations) store.addEvaluation(e, batches_per_epoch);
  for (double step : edits) store.addMarker(step / batches_per_epoch);
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
