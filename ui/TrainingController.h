#pragma once
// Owns the training thread. Start/pause/resume/stop come from the GUI thread; the run's
// reports come back as queued signals. One run at a time; a new RunControl and worker per run.

#include <QObject>
#include <QThread>

#include <memory>

#include "core/training/RunControl.h"
#include "ui/TrainingWorker.h"

namespace cvae::ui {

class TrainingController : public QObject {
  Q_OBJECT
 public:
  enum class State { Idle, Running, Paused, Stopping };

  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  State state() const { return state_; }
  bool isBusy() const { return state_ != State::Idle; }

 public Q_SLOTS:
  // A new run; a resume or fork when `origin` says so (see core/training/RunStart.h).
  void start(const cvae::ExperimentConfig& config, const cvae::RunOrigin& origin = {});
  void pause();
  // Resumes with `edit` applied at the next step (schedules and learning rate).
  void resumeWith(const cvae::ScheduleEdit& edit);
  void resume();
  void stop();
  // Stops and waits up to `timeout_ms` for the run to save and end (closing the window).
  bool stopAndWait(int timeout_ms);

 Q_SIGNALS:
  void stateChanged(cvae::ui::TrainingController::State state);
  void started(const QString& run_dir, qint64 total_steps);
  void progress(const QVector<cvae::ProgressReport>& reports);
  void evaluated(const cvae::EvaluationReport& report);
  void scheduleChanged(qint64 step);
  void message(const QString& text);
  void finished(const cvae::RunResult& result);

 private:
  void setState(State state);
  QThread thread_;
  std::unique_ptr<RunControl> control_;
  TrainingWorker* worker_ = nullptr;
  State state_ = State::Idle;
};

}  // namespace cvae::ui
