#include "ui/TrainingWorker.h"

#include "core/training/Trainer.h"

namespace cvae::ui {

void registerCrossThreadTypes() {
  qRegisterMetaType<cvae::ProgressReport>();
  qRegisterMetaType<cvae::EvaluationReport>();
  qRegisterMetaType<cvae::RunResult>();
  qRegisterMetaType<QVector<cvae::ProgressReport>>();
  qRegisterMetaType<cvae::ExperimentConfig>();
  qRegisterMetaType<cvae::RunOrigin>();
}

TrainingWorker::TrainingWorker(RunControl& control, QObject* parent)
    : QObject(parent), control_(control) {}

void TrainingWorker::run(const cvae::ExperimentConfig& config, const cvae::RunOrigin& origin) {
  pending_.clear();
  since_emit_.start();
  Trainer trainer(config, *this, control_);
  trainer.setOrigin(origin);
  trainer.run();  // reports everything, the end included, through the observer
}

void TrainingWorker::onRunStarted(const std::string& run_dir, int64_t total_steps) {
  Q_EMIT started(QString::fromStdString(run_dir), total_steps);
}

void TrainingWorker::onProgress(const ProgressReport& report) {
  pending_.push_back(report);
  if (since_emit_.elapsed() >= kMinEmitIntervalMs) flushProgress();
}

void TrainingWorker::flushProgress() {
  if (pending_.isEmpty()) return;
  Q_EMIT progress(pending_);
  pending_.clear();
  since_emit_.restart();
}

void TrainingWorker::onEvaluation(const EvaluationReport& report) {
  flushProgress();
  Q_EMIT evaluated(report);
}

void TrainingWorker::onScheduleChanged(int64_t step) {
  flushProgress();
  Q_EMIT scheduleChanged(step);
}

void TrainingWorker::onMessage(const std::string& text) {
  Q_EMIT message(QString::fromStdString(text));
}

void TrainingWorker::onRunFinished(const RunResult& result) {
  flushProgress();
  Q_EMIT finished(result);
}

}  // namespace cvae::ui
