#include "ui/TrainingController.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

namespace cvae::ui {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
  registerCrossThreadTypes();
  thread_.setObjectName("training");
  thread_.start();
}

TrainingController::~TrainingController() {
  if (control_) control_->requestStop();
  thread_.quit();
  thread_.wait();
}

void TrainingController::setState(State state) {
  if (state_ == state) return;
  state_ = state;
  Q_EMIT stateChanged(state);
}

void TrainingController::start(const cvae::ExperimentConfig& config,
                               const cvae::RunOrigin& origin) {
  if (isBusy()) return;
  control_ = std::make_unique<RunControl>();
  worker_ = new TrainingWorker(*control_);
  worker_->moveToThread(&thread_);
  connect(worker_, &TrainingWorker::started, this, &TrainingController::started);
  connect(worker_, &TrainingWorker::progress, this, &TrainingController::progress);
  connect(worker_, &TrainingWorker::evaluated, this, &TrainingController::evaluated);
  connect(worker_, &TrainingWorker::scheduleChanged, this, &TrainingController::scheduleChanged);
  connect(worker_, &TrainingWorker::message, this, &TrainingController::message);
  connect(worker_, &TrainingWorker::finished, this, [this](const cvae::RunResult& result) {
    worker_->deleteLater();
    worker_ = nullptr;
    setState(State::Idle);
    Q_EMIT finished(result);
  });
  setState(State::Running);
  QMetaObject::invokeMethod(worker_, "run", Qt::QueuedConnection,
                            Q_ARG(cvae::ExperimentConfig, config), Q_ARG(cvae::RunOrigin, origin));
}

void TrainingController::pause() {
  if (state_ != State::Running) return;
  control_->pause();
  setState(State::Paused);
}

void TrainingController::resumeWith(const cvae::ScheduleEdit& edit) {
  if (state_ != State::Paused) return;
  control_->submitEdit(edit);
  resume();
}

void TrainingController::resume() {
  if (state_ != State::Paused) return;
  control_->resume();
  setState(State::Running);
}

void TrainingController::stop() {
  if (state_ == State::Idle || state_ == State::Stopping) return;
  control_->requestStop();
  setState(State::Stopping);
}

bool TrainingController::stopAndWait(int timeout_ms) {
  stop();
  QDeadlineTimer deadline(timeout_ms);
  while (isBusy() && !deadline.hasExpired())
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  return !isBusy();
}

}  // namespace cvae::ui
