#pragma once
// Lets another thread pause, resume and stop a run, and hand it schedule edits; the trainer
// looks at it between steps only, so a step is never cut in half.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "core/config/ExperimentConfig.h"

namespace cvae {

// New schedules and learning rate, applied at the next step boundary (interactive tuning).
struct ScheduleEdit {
  KlAnnealingConfig kl;
  TeacherForcingConfig teacher_forcing;
  double learning_rate = 1e-3;
};

class RunControl {
 public:
  void requestStop();
  void pause();
  void resume();
  bool stopRequested() const { return stop_.load(); }
  bool isPaused() const { return paused_.load(); }

  // Blocks while paused. Returns false when the run should stop.
  bool waitWhilePaused();

  void submitEdit(const ScheduleEdit& edit);
  std::optional<ScheduleEdit> takeEdit();

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> paused_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<ScheduleEdit> pending_edit_;
};

}  // namespace cvae
