#pragma once
// Data-parallel training across processes and machines over PyTorch's c10d: a TCPStore on
// rank 0's host for the rendezvous and a Gloo process group for the collectives. Every rank
// runs the same Trainer on its own shard of each epoch's batches; gradients are averaged with
// one all-reduce after backward, parameters start as rank 0's, and only rank 0 evaluates and
// writes the run folder. The only socket of its own is a probe of rank 0's port, opened and
// closed while a rank waits for rank 0 to start (so that the wait can be stopped).

#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

struct DistributedSettings {
  int world_size = 1;
  int rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  int timeout_seconds = 300;  // a collective waiting longer than this fails the run
  bool enabled() const { return world_size > 1; }
};

// torchrun's variables: WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT; unset ones keep the
// defaults. Throws InputError naming the variable for a value that is not a number.
DistributedSettings distributedSettingsFromEnvironment();
// "HOST:PORT" into `settings`; throws InputError when malformed.
void parseMaster(const std::string& text, DistributedSettings& settings);
// Throws InputError for a rank outside [0, world_size) or a port outside 1..65535.
void validateDistributedSettings(const DistributedSettings& settings);

// A collective failed: another rank died, hung past the timeout, or never joined.
class DistributedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A stop was asked (Ctrl-C, SIGTERM, the GUI's Stop) while this rank waited for the others to
// join: nothing was trained, so there is nothing to save.
class JoinStopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DataParallelGroup {
 public:
  // Joins the group; blocks until every rank has joined or the timeout passes (DistributedError).
  // `stop_requested`, when given, is asked every tenth of a second meanwhile: true ends the wait
  // with JoinStopped (a rank that never comes would otherwise hold a stop for the whole timeout).
  explicit DataParallelGroup(const DistributedSettings& settings,
                             const std::function<bool()>& stop_requested = {});
  ~DataParallelGroup();
  DataParallelGroup(const DataParallelGroup&) = delete;
  DataParallelGroup& operator=(const DataParallelGroup&) = delete;

  int rank() const { return settings_.rank; }
  int worldSize() const { return settings_.world_size; }

  // Copies rank 0's parameters and buffers into every rank's `module`.
  void broadcastParameters(torch::nn::Module& module);
  // Replaces every gradient by its mean over the ranks (one flat all-reduce).
  void averageGradients(torch::nn::Module& module);
  // Element-wise sums of `values` over the ranks (flags, losses).
  std::vector<double> sum(const std::vector<double>& values);
  // Rank 0's `bytes` on every rank (a checkpoint to resume from, say); other ranks' argument is
  // ignored.
  std::string broadcastBytes(const std::string& bytes);

 private:
  struct Impl;
  DistributedSettings settings_;
  std::unique_ptr<Impl> impl_;
};

// A collective, the first after joining: whether every rank could start (read its data, say).
// A rank that could not passes `refused` and rethrows its own error after this returns; every
// other rank throws InputError naming the ranks that could not, so none waits out a timeout.
void checkEveryRankStarted(DataParallelGroup& group, bool refused);

// Every rank must train rank 0's config: another model size sends gradients of another shape
// (Gloo then aborts the process), another schedule or epoch count ends the ranks apart. A
// collective (all ranks call it, after joining): rank 0's config is sent to the others, each
// compares its own, and every rank throws InputError when any differs, the differing ones naming
// the keys with both values. Per-node keys may differ: data paths, train.threads, train.device,
// output.dir (only rank 0 writes).
void checkSameConfigAsRankZero(DataParallelGroup& group, const ExperimentConfig& config);

// A collective like checkSameConfigAsRankZero for one number every rank must share with rank 0
// (batches per epoch, how the run starts): every rank throws InputError when any differs, the
// differing ones saying both values through `describe` ("600 training rows' 19 batches").
void checkSameAsRankZero(DataParallelGroup& group, const std::string& what, int64_t value,
                         const std::function<std::string(int64_t)>& describe);

}  // namespace cvae
