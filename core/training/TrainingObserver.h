#pragma once
// How a run reports what it does. The CLI prints; the GUI's worker forwards plain data to the
// GUI thread. Callbacks run on the training thread and must be quick.

#include <cstdint>
#include <string>

#include "core/experiments/Evaluation.h"

namespace cvae {

struct ProgressReport {
  int epoch = 0;  // 0-based
  int epochs = 0;
  int64_t step = 0;  // optimizer steps done so far, 1-based after the first
  int64_t total_steps = 0;
  int64_t batches_per_epoch = 0;
  double loss = 0, reconstruction = 0, kl = 0;
  double beta = 0, teacher_forcing = 0, learning_rate = 0;
  double items_per_second = 0;  // over the last few seconds
  double elapsed_seconds = 0, eta_seconds = 0;
};

struct EvaluationReport {
  int epoch = 0;
  int64_t step = 0;
  Evaluation evaluation;
  bool new_best = false;
};

enum class RunStatus { Completed, Stopped, Failed };

struct RunResult {
  RunStatus status = RunStatus::Completed;
  std::string message;
  // Failed on its input (a file, a value, a folder in the way: an InputError), not on the
  // machine; the CLI exits 2 for it, as every verb does for bad input.
  bool input_error = false;
  std::string run_dir;
  int epochs_done = 0;
  int64_t steps_done = 0;
  double best_score = 0;
  double seconds = 0;
};

class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  virtual void onRunStarted(const std::string& /*run_dir*/, int64_t /*total_steps*/) {}
  virtual void onProgress(const ProgressReport& /*report*/) {}
  virtual void onEvaluation(const EvaluationReport& /*report*/) {}
  virtual void onScheduleChanged(int64_t /*step*/) {}
  virtual void onMessage(const std::string& /*text*/) {}
  virtual void onRunFinished(const RunResult& /*result*/) {}
};

}  // namespace cvae
