#include "ui/SequencePrediction.h"

#include <QFileInfo>

#include "core/experiments/WordTools.h"
#include "core/io/InputError.h"
#include "core/training/CheckpointLoader.h"

namespace cvae::ui {

SequencePrediction::SequencePrediction(QObject* parent) : QObject(parent) {}

SequencePrediction::~SequencePrediction() {
  if (!thread_) return;
  thread_->wait();
  delete thread_;  // its finished() would have come to this object, now gone
}

void SequencePrediction::request(const QString& checkpoint, const QString& folder, int row,
                                 int samples) {
  Job job{checkpoint, folder, row, samples};
  if (thread_)
    waiting_ = std::make_unique<Job>(job);
  else
    start(job);
}

void SequencePrediction::start(const Job& job) {
  const QFileInfo file(job.checkpoint);
  const QDateTime modified = file.lastModified();
  // A checkpoint rewritten since it was loaded (training went on) is loaded again.
  auto cached = (job.checkpoint == loaded_path_ && modified == loaded_time_) ? loaded_ : nullptr;
  auto strips = std::make_shared<std::vector<FrameStrip>>();
  auto error = std::make_shared<std::string>();
  auto loaded = cached ? cached : std::make_shared<LoadedExperiment>();
  const std::string path = job.checkpoint.toStdString(), folder = job.folder.toStdString();
  const int samples = job.samples;
  thread_ = QThread::create([loaded, fresh = !cached, strips, error, path, folder, samples] {
    try {
      if (fresh) *loaded = loadExperimentFromCheckpoint(path);
      auto* predictor = dynamic_cast<SequencePredictor*>(loaded->experiment.get());
      if (!predictor) throw InputError(path + ": this experiment does not predict frames");
      const auto& config = loaded->config;
      // The evaluation's preview seed (VideoExperiment::evaluate), so the first sequence
      // looks as it did there when the weights are the same.
      *strips =
          predictor->predictSequence(folder, samples > 0 ? samples : config.video.prior_samples,
                                     static_cast<std::uint64_t>(config.train.seed) + 1001);
    } catch (const std::exception& e) {
      *error = e.what();
    }
  });
  connect(thread_, &QThread::finished, this, [this, job, loaded, modified, strips, error] {
    thread_->deleteLater();
    thread_ = nullptr;
    if (error->empty()) {
      loaded_ = loaded;
      loaded_path_ = job.checkpoint;
      loaded_time_ = modified;
      Q_EMIT predicted(
          job.row, *strips,
          tr("%1, step %2").arg(QFileInfo(job.checkpoint).fileName()).arg(loaded->info.step));
    } else {
      loaded_.reset();
      loaded_path_.clear();
      Q_EMIT failed(job.row, QString::fromStdString(*error));
    }
    if (waiting_) {
      const Job next = *waiting_;
      waiting_.reset();
      start(next);
    }
  });
  thread_->start();
}

}  // namespace cvae::ui
