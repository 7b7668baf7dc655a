#pragma once
// Runs the core Trainer on a QThread. Progress is batched: the worker emits at most ~30
// updates a second whatever the step rate, each carrying every report since the last one, so
// the plots miss nothing and the GUI thread is never flooded.

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QVector>

#include "core/config/ExperimentConfig.h"
#include "core/training/RunControl.h"
#include "core/training/TrainingObserver.h"
#include "ui/CrossThreadTypes.h"

namespace cvae::ui {

class TrainingWorker : public QObject, private TrainingObserver {
  Q_OBJECT
 public:
  explicit TrainingWorker(RunControl& control, QObject* parent = nullptr);

  static constexpr int kMinEmitIntervalMs = 33;

 public Q_SLOTS:
  // A new run, or a resume or fork (RunStart.h) when `origin` says so.
  void run(const cvae::ExperimentConfig& config, const cvae::RunOrigin& origin);

 Q_SIGNALS:
  void started(const QString& run_dir, qint64 total_steps);
  void progress(const QVector<cvae::ProgressReport>& reports);
  void evaluated(const cvae::EvaluationReport& report);
  void scheduleChanged(qint64 step);
  void message(const QString& text);
  void finished(const cvae::RunResult& result);

 private:
  void onRunStarted(const std::string& run_dir, int64_t total_steps) override;
  void onProgress(const ProgressReport& report) override;
  void onEvaluation(const EvaluationReport& report) override;
  void onScheduleChanged(int64_t step) override;
  void onMessage(const std::string& text) override;
  void onRunFinished(const RunResult& result) override;
  void flushProgress();

  RunControl& control_;
  QVector<ProgressReport> pending_;
  QElapsedTimer since_emit_;
};

}  // namespace cvae::ui
