#pragma once
// The run's metric history, owned by the GUI thread and separate from any plot: plots are
// views that append what is new. Series are keyed by name ("loss", "kl", "bleu", ...), each a
// list of (x, y) with x in fractional epochs.

#include <QHash>
#include <QObject>
#include <QString>
#include <QVector>

#include "ui/CrossThreadTypes.h"

namespace cvae::ui {

struct Series {
  QVector<double> x;
  QVector<double> y;
};

// What the plots' x-axis counts: epochs (fractional, as the store keeps x), optimizer steps, or
// training time in seconds (paused time excluded, continued across resumes, as `elapsed_s`).
enum class XAxis { Epoch, Step, Time };

class MetricStore : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;

  void clear();
  void addProgress(const QVector<ProgressReport>& reports);
  void addEvaluation(const EvaluationReport& report, int64_t batches_per_epoch);
  // The collapse watch at an evaluation after `step` steps: "active_units" and "kl_dim_J" (nats)
  // for each latent dimension J, and "kl_frame_N" for each predicted frame N of a latent per
  // frame (video). addEvaluation adds it when the evaluation has one.
  void addLatent(int64_t step, int64_t batches_per_epoch, const LatentActivity& latent);
  void addMarker(double x);  // where the user changed schedules
  // Replaces one series (derived stores, e.g. a fork's differences); emits appended().
  void setSeries(const QString& name, Series series);

  const Series& series(const QString& name) const;
  // x (epochs) in `axis` units: steps are x · batches per epoch; seconds are interpolated in
  // the run's clock (each progress report's epoch and elapsed time), held at its ends.
  double toAxis(double x, XAxis axis) const;
  QVector<double> toAxis(const QVector<double>& x, XAxis axis) const;
  QStringList names() const { return series_.keys(); }
  const QVector<double>& markers() const { return markers_; }
  int64_t batchesPerEpoch() const { return batches_per_epoch_; }

  // Writes every series as CSV: series,x,y.
  bool exportCsv(const QString& path, QString* error) const;

 Q_SIGNALS:
  void cleared();
  void appended();  // new points at the end of one or more series
  void markerAdded(double x);

 private:
  void append(const QString& name, double x, double y);
  QHash<QString, Series> series_;
  QVector<double> markers_;
  int64_t batches_per_epoch_ = 1;
  QVector<double> clock_x_, clock_seconds_;  // x non-decreasing
};

}  // namespace cvae::ui
