#include "core/training/RunControl.h"

namespace cvae {

void RunControl::requestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void RunControl::pause() {
  paused_ = true;
}

void RunControl::resume() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = false;
  }
  wake_.notify_all();
}

bool RunControl::waitWhilePaused() {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait(lock, [this] { return !paused_.load() || stop_.load(); });
  return !stop_.load();
}

void RunControl::submitEdit(const ScheduleEdit& edit) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_edit_ = edit;
}

std::optional<ScheduleEdit> RunControl::takeEdit() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto edit = pending_edit_;
  pending_edit_.reset();
  return edit;
}

}  // namespace cvae
