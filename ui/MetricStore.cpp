#include "ui/MetricStore.h"

#include <QFile>
#include <QTextStream>

namespace cvae::ui {

void MetricStore::clear() {
  series_.clear();
  markers_.clear();
  Q_EMIT cleared();
}

void MetricStore::append(const QString& name, double x, double y) {
  auto& s = series_[name];
  s.x.push_back(x);
  s.y.push_back(y);
}

void MetricStore::addProgress(const QVector<ProgressReport>& reports) {
  if (reports.isEmpty()) return;
  for (const auto& r : reports) {
    batches_per_epoch_ = std::max<int64_t>(1, r.batches_per_epoch);
    const double x = static_cast<double>(r.step) / batches_per_epoch_;
    append("loss", x, r.loss);
    append("reconstruction", x, r.reconstruction);
    append("kl", x, r.kl);
    append("beta", x, r.beta);
    append("teacher_forcing", x, r.teacher_forcing);
    append("learning_rate", x, r.learning_rate);
    append("throughput", x, r.items_per_second);
  }
  Q_EMIT appended();
}

void MetricStore::addEvaluation(const EvaluationReport& report, int64_t batches_per_epoch) {
  const double x = static_cast<double>(report.step) / std::max<int64_t>(1, batches_per_epoch);
  for (const auto& [name, value] : report.evaluation.scores)
    append(QString::fromStdString(name), x, value);
  Q_EMIT appended();
}

void MetricStore::addMarker(double x) {
  markers_.push_back(x);
  Q_EMIT markerAdded(x);
}

const Series& MetricStore::series(const QString& name) const {
  static const Series empty;
  auto it = series_.constFind(name);
  return it == series_.constEnd() ? empty : *it;
}

bool MetricStore::exportCsv(const QString& path, QString* error) const {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    if (error) *error = path + ": " + file.errorString();
    return false;
  }
  QTextStream out(&file);
  out << "series,epoch,value\n";
  auto names = series_.keys();
  names.sort();
  for (const auto& name : names) {
    const auto& s = series_[name];
    for (int i = 0; i < s.x.size(); ++i)
      out << name << ',' << QString::number(s.x[i], 'g', 10) << ','
          << QString::number(s.y[i], 'g', 10) << '\n';
  }
  return true;
}

}  // namespace cvae::ui
