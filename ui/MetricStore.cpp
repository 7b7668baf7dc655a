#include "ui/MetricStore.h"

#include <QFile>
#include <QTextStream>

#include <algorithm>

namespace cvae::ui {

void MetricStore::clear() {
  series_.clear();
  markers_.clear();
  clock_x_.clear();
  clock_seconds_.clear();
  Q_EMIT cleared();
}

void MetricStore::setSeries(const QString& name, Series series) {
  series_[name] = std::move(series);
  Q_EMIT appended();
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
    if (clock_x_.isEmpty() || x > clock_x_.back()) {
      clock_x_.push_back(x);
      clock_seconds_.push_back(r.elapsed_seconds);
    }
  }
  Q_EMIT appended();
}

void MetricStore::addEvaluation(const EvaluationReport& report, int64_t batches_per_epoch) {
  const double x = static_cast<double>(report.step) / std::max<int64_t>(1, batches_per_epoch);
  for (const auto& [name, value] : report.evaluation.scores)
    append(QString::fromStdString(name), x, value);
  if (report.evaluation.latent) {
    addLatent(report.step, batches_per_epoch, *report.evaluation.latent);
    return;  // it said appended()
  }
  Q_EMIT appended();
}

void MetricStore::addLatent(int64_t step, int64_t batches_per_epoch, const LatentActivity& latent) {
  const double x = static_cast<double>(step) / std::max<int64_t>(1, batches_per_epoch);
  append("active_units", x, latent.active_units);
  for (size_t j = 0; j < latent.kl.size(); ++j)
    append(QString("kl_dim_%1").arg(j), x, latent.kl[j]);
  for (size_t i = 0; i < latent.kl_per_frame.size() && i < latent.frame_numbers.size(); ++i)
    append(QString("kl_frame_%1").arg(latent.frame_numbers[i]), x, latent.kl_per_frame[i]);
  Q_EMIT appended();
}

void MetricStore::addMarker(double x) {
  markers_.push_back(x);
  Q_EMIT markerAdded(x);
}

double MetricStore::toAxis(double x, XAxis axis) const {
  switch (axis) {
    case XAxis::Epoch:
      return x;
    case XAxis::Step:
      return x * static_cast<double>(batches_per_epoch_);
    case XAxis::Time:
      break;
  }
  if (clock_x_.isEmpty()) return 0;
  if (x <= clock_x_.front()) return clock_seconds_.front();
  if (x >= clock_x_.back()) return clock_seconds_.back();
  const auto above = std::lower_bound(clock_x_.begin(), clock_x_.end(), x);
  const auto i = static_cast<int>(above - clock_x_.begin());
  if (clock_x_[i] == x) return clock_seconds_[i];
  const double t = (x - clock_x_[i - 1]) / (clock_x_[i] - clock_x_[i - 1]);
  return clock_seconds_[i - 1] + t * (clock_seconds_[i] - clock_seconds_[i - 1]);
}

QVector<double> MetricStore::toAxis(const QVector<double>& x, XAxis axis) const {
  if (axis == XAxis::Epoch) return x;
  QVector<double> out;
  out.reserve(x.size());
  for (double v : x) out.push_back(toAxis(v, axis));
  return out;
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
