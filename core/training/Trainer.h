#pragma once
// The one training loop, shared by every experiment and by the CLI and the GUI:
//   for each epoch: set the learning rate, reshuffle; for each batch: wait while paused, apply
//   schedule edits, compute beta and the teacher-forcing ratio, one forward, one backward,
//   gradient clipping, one optimizer step; evaluate every `evaluation.every_epochs` and after
//   the last epoch, keeping best.pt; last.pt every `train.checkpoint_every_epochs`, at every
//   evaluation and on stop. The run folder (RunFolder) gets metrics.csv, config.yaml,
//   previews.tsv and status.yaml.
// A run starts fresh, continues from its own last.pt (resume: bit for bit the run it would have
// been), or starts from another run's checkpoint with a new config (fork).
// A non-finite loss ends the run with a message and leaves the last good checkpoint in place.

#include <c10/core/Device.h>
#include <torch/optim/optimizer.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/config/ExperimentConfig.h"
#include "core/experiments/Experiment.h"
#include "core/runs/RunFolder.h"
#include "core/training/Distributed.h"
#include "core/training/RunControl.h"
#include "core/training/RunStart.h"
#include "core/training/Runtime.h"
#include "core/training/TrainingObserver.h"

namespace cvae {

class Trainer {
 public:
  Trainer(ExperimentConfig config, TrainingObserver& observer, RunControl& control);
  ~Trainer();

  // Never throws: problems end the run with RunStatus::Failed and a message naming the cause.
  RunResult run();

  // Set before run() to write into this folder instead of OUTPUT_DIR/NAME-TIMESTAMP. A folder
  // that holds a run already is refused unless `overwrite`.
  void setRunDirectory(std::string dir, bool overwrite = false) {
    run_dir_ = std::move(dir);
    overwrite_ = overwrite;
  }
  // Set before run() to resume or fork (RunStart.h: prepareResume, prepareFork). A resume
  // writes into the origin's run folder.
  void setOrigin(RunOrigin origin);

  // Replaces the registry's factory (tests train stand-in experiments through the real loop).
  using ExperimentFactory =
      std::function<std::unique_ptr<Experiment>(const ExperimentConfig&, c10::Device)>;
  void setExperimentFactory(ExperimentFactory factory) { factory_ = std::move(factory); }

  // Set before run() to train as one rank of a data-parallel group (see Distributed.h): this
  // rank trains on batches rank, rank + world, ... of every epoch; only rank 0 evaluates and
  // writes the run folder. Pausing is not available; a stop on any rank stops them all. A
  // resumed or forked run reads its checkpoint on rank 0 and sends it to the others.
  void setDistributed(DistributedSettings settings) { distributed_ = std::move(settings); }

 private:
  // The steps of one run, in the order train() takes them.
  RunResult train();
  void setUpExperiment();
  void readStartCheckpoint();
  void openRunFolder();
  void buildModel();
  void checkStartScale();
  void restorePosition();
  void startEpoch(int epoch);
  // One batch: a stop, a schedule edit, one optimizer step and its report. Returns the run's
  // end when it ends here (stopped, or a non-finite loss).
  std::optional<RunResult> trainBatch(int epoch, int64_t batch);
  void endEpoch(int epoch);
  void saveLast(int epochs_done, int64_t batches_into_epoch);
  void recordPosition(int epochs_done, int64_t batches_into_epoch);
  RunResult stopped(int epoch, int64_t batch, const std::string& why);
  RunResult finish(RunStatus status, int epochs_done, std::string message);
  double elapsed() const;
  void writeFinalRecord(const RunResult& result);

  // Set before run().
  ExperimentConfig config_;
  TrainingObserver& observer_;
  RunControl& control_;
  std::string run_dir_;
  bool overwrite_ = false;
  RunOrigin origin_;
  ExperimentFactory factory_;
  DistributedSettings distributed_;

  // The run in progress.
  struct State;
  std::unique_ptr<State> state_;
  std::optional<RunFolder> folder_;
  std::unique_ptr<RunLock> lock_;  // held while this trainer writes the folder
  RunRecord record_;
};

// What a data-parallel step adds to a plain one. `agree` runs after the forward pass with
// whether this rank's loss is finite and returns whether every rank's is; `after_backward`
// averages the gradients before clipping.
struct StepHooks {
  std::function<bool(bool finite)> agree;
  std::function<void()> after_backward;
};

// One optimizer step: zero the gradients, the experiment's forward, and, when the loss is
// finite (on every rank), one backward, clipping to `grad_clip` (0: none) and the update. A
// non-finite loss leaves the weights untouched and StepLoss::total non-finite; the caller
// decides what to do.
StepLoss optimizationStep(Experiment& experiment, torch::optim::Optimizer& optimizer, int64_t batch,
                          const StepSchedule& schedule, double grad_clip, std::mt19937_64& rng,
                          const StepHooks* hooks = nullptr);

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerConfig& config,
                                                       std::vector<torch::Tensor> parameters);

// OUTPUT_DIR/NAME-YYYYmmdd-HHMMSS, with a suffix when that exists already; created.
std::string makeRunDirectory(const ExperimentConfig& config);

}  // namespace cvae
