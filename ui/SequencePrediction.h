#pragma once
// Predicts one video sequence with a run's checkpoint off the GUI thread, for the frame
// browser's sequence picker: the evaluation keeps the frames of its first sequence only, so
// any other evaluated sequence is predicted again on demand (SequencePredictor, the same code
// as `cvae-cli predict`). The loaded checkpoint is kept while its file is unchanged, so picking
// one sequence after another loads it once.

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QThread>

#include <memory>
#include <vector>

#include "core/experiments/Evaluation.h"

namespace cvae {
struct LoadedExperiment;
}

namespace cvae::ui {

class SequencePrediction : public QObject {
  Q_OBJECT
 public:
  explicit SequencePrediction(QObject* parent = nullptr);
  ~SequencePrediction() override;  // waits for a prediction still running

  // Predicts the sequence in `folder` with the checkpoint `checkpoint` (truth, posterior and
  // `samples` prior samples, the config's video.prior_samples when `samples` < 1, seeded as the
  // evaluation's preview: sample k is the same draw whatever the count).
  // A request made while one runs replaces the waiting one; the running one finishes first.
  void request(const QString& checkpoint, const QString& folder, int row, int samples = -1);
  bool isRunning() const { return thread_ != nullptr; }

 Q_SIGNALS:
  // `source` says what predicted it, e.g. "last.pt, step 1200".
  void predicted(int row, const std::vector<cvae::FrameStrip>& strips, const QString& source);
  void failed(int row, const QString& message);

 private:
  struct Job {
    QString checkpoint, folder;
    int row = -1;
    int samples = -1;
  };
  void start(const Job& job);

  QThread* thread_ = nullptr;
  std::unique_ptr<Job> waiting_;
  std::shared_ptr<LoadedExperiment> loaded_;  // the cached checkpoint
  QString loaded_path_;
  QDateTime loaded_time_;
};

}  // namespace cvae::ui
