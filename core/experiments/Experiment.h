#pragma once
// What the shared training loop needs from an experiment: its batches, one training step's
// loss, an evaluation with scores and preview tables, and its model. The loop itself (optimizer,
// schedules, checkpoints, metrics, pause/stop) lives in Trainer and is written once.

#include <torch/nn/module.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/experiments/Evaluation.h"
#include "core/io/InputError.h"
#include "core/models/Gaussian.h"

namespace cvae {

struct StepLoss {
  torch::Tensor total;  // what backward() runs on
  double reconstruction = 0.0;
  double kl = 0.0;
  int64_t items = 0;  // words or frames in the batch, for throughput
};

class Experiment {
 public:
  virtual ~Experiment() = default;

  virtual std::vector<std::string> scoreNames() const = 0;
  // The score that picks the best checkpoint, from the config's evaluation.best_by.
  virtual double selectionScore(const Evaluation& evaluation) const = 0;

  virtual int64_t batchesPerEpoch() const = 0;
  // Data-parallel training: this process will only be asked for batches rank, rank + world,
  // ... of each epoch. Experiments that read ahead use it to read only those.
  virtual void setShard(int /*rank*/, int /*world*/) {}
  // Starts an epoch: reshuffles the training examples with `rng`. The order must depend on
  // `rng` alone, not on earlier epochs' orders: a resumed run replays this call in a new process.
  virtual void startEpoch(std::mt19937_64& rng) = 0;
  virtual StepLoss trainStep(int64_t batch_index, const StepSchedule& schedule,
                             std::mt19937_64& rng) = 0;
  // Deterministic: equal weights give equal scores.
  virtual Evaluation evaluate() = 0;

  virtual torch::nn::Module& model() = 0;

  // The test data is read when the experiment is made; where it could not be read, the error is
  // kept and thrown here, so the verbs that never evaluate (convert, generate, interpolate) work
  // without it. Training calls this before its first step, evaluate() and the test probes first.
  void requireTestData() const {
    if (!test_data_error_.empty()) throw InputError(test_data_error_);
  }
  // A problem only training refuses, kept as the test data's error is: a training word longer
  // than model.max_length (the decoder stops there, so its last letters would be trained on and
  // never written), where a probe of a trained model may lower the bound on purpose (convert
  // --set model.max_length=4). Training calls this before its first step.
  void requireTrainableData() const {
    if (!training_data_error_.empty()) throw InputError(training_data_error_);
  }

 protected:
  // Runs `read` and returns what it read; its error is named as data.train's, as data.test's is.
  template <typename Read>
  static auto readTrainData(Read&& read) -> decltype(read()) {
    try {
      return read();
    } catch (const InputError& e) {
      throw InputError(std::string("data.train: ") + e.what());
    }
  }

  // Runs `check`, keeping its first error (named as `key`'s) for requireTrainableData().
  template <typename Check>
  void checkForTraining(const std::string& key, Check&& check) {
    try {
      check();
    } catch (const InputError& e) {
      if (training_data_error_.empty()) training_data_error_ = key + ": " + e.what();
    }
  }

  // Runs `read`, keeping its error (named as data.test's) for requireTestData().
  template <typename Read>
  void readTestData(Read&& read) {
    try {
      read();
    } catch (const InputError& e) {
      test_data_error_ = std::string("data.test: ") + e.what();
    }
  }

 private:
  std::string test_data_error_;
  std::string training_data_error_;
};

}  // namespace cvae
