#pragma once
// Produces the batches of an epoch, in order, on a background thread a few batches ahead of
// training, so a step never waits on file decoding. take(i) returns batch i; asking for a
// batch behind the producer restarts it there. Errors from the producer (a missing frame, a
// bad CSV) are rethrown by take(), on the training thread, with their message.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace cvae {

template <typename Batch>
class BatchPrefetcher {
 public:
  using Produce = std::function<Batch(int64_t index)>;

  BatchPrefetcher() = default;
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;
  ~BatchPrefetcher() { stop(); }

  // Starts producing batches 0..count-1 with `produce`, at most `depth` ahead.
  void start(int64_t count, Produce produce, int64_t depth = 3) {
    stop();
    count_ = count;
    produce_ = std::move(produce);
    depth_ = depth;
    startAt(0);
  }

  Batch take(int64_t index) {
    if (index < 0 || index >= count_)
      throw std::out_of_range("batch " + std::to_string(index) + " of an epoch of " +
                              std::to_string(count_));
    std::unique_lock<std::mutex> lock(mutex_);
    if (index < first_) {
      lock.unlock();
      startAt(index);
      lock.lock();
    }
    while (first_ < index) {  // skipped batches are dropped
      ready_.wait(lock, [&] { return !queue_.empty() || error_; });
      if (error_) std::rethrow_exception(error_);
      queue_.pop_front();
      ++first_;
      space_.notify_one();
    }
    ready_.wait(lock, [&] { return !queue_.empty() || error_; });
    if (queue_.empty() && error_) std::rethrow_exception(error_);
    Batch batch = std::move(queue_.front());
    queue_.pop_front();
    ++first_;
    space_.notify_one();
    return batch;
  }

 private:
  void startAt(int64_t index) {
    stop();
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
    error_ = nullptr;
    stopping_ = false;
    first_ = index;
    worker_ = std::thread([this, index] { run(index); });
  }

  void run(int64_t index) {
    for (int64_t i = index; i < count_; ++i) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        space_.wait(lock,
                    [&] { return stopping_ || static_cast<int64_t>(queue_.size()) < depth_; });
        if (stopping_) return;
      }
      try {
        Batch batch = produce_(i);
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(batch));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = std::current_exception();
        ready_.notify_all();
        return;
      }
      ready_.notify_one();
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    space_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

  int64_t count_ = 0;
  int64_t depth_ = 3;
  Produce produce_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<Batch> queue_;
  int64_t first_ = 0;  // index of queue_.front()
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace cvae
