#pragma once
// Checkpoints carry the weights, the optimizer state, where the run stood and the resolved
// config (as YAML), so `evaluate`, `generate` and resumed runs need nothing else. From format 2
// on they also carry what makes a resumed run continue bit for bit: the position inside the
// epoch, the training time so far, and the states of both random generators (ours and torch's).
// They are written to a temporary file and renamed: a crash never leaves half a checkpoint.

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <map>
#include <random>
#include <string>

#include "core/config/ExperimentConfig.h"

namespace cvae {

// Where a run stood when the checkpoint was written, and what continuing it needs.
struct CheckpointInfo {
  // 1: written before exact resume (no position or generator states); 2: before checksums.
  int format_version = 3;
  int epoch = 0;     // epochs completed
  int64_t step = 0;  // optimizer steps completed
  // Batches of epoch `epoch` (0-based: the one in progress) already trained: > 0 only for a
  // checkpoint written when a run stopped inside an epoch.
  int64_t batches_into_epoch = 0;
  double elapsed_seconds = 0;            // training time up to this checkpoint, across resumes
  double best_score = 0;                 // best selection score so far
  bool have_best = false;                // whether any evaluation has happened
  std::string config_yaml;               // the config as it ran, schedule edits included
  std::map<std::string, double> scores;  // of the evaluation that wrote it, if any
  std::string rng_state;        // our generator (std::mt19937_64's text form), empty in format 1
  std::string epoch_rng_state;  // the same at the start of the epoch in progress
  at::Tensor torch_rng_state;   // torch's default CPU generator; undefined in format 1
};

// Writes through a temporary file and a rename. Throws std::runtime_error naming the file when
// the write fails; the previous file at `path` is then left as it was.
void saveCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer, const CheckpointInfo& info);

// The bytes of a checkpoint file. Throws InputError naming the file when it is missing.
std::string readCheckpointBytes(const std::string& path);
// The info only, from a file or from its bytes (`source` names it in errors). Throws
// InputError naming the source when it is not a workbench checkpoint.
CheckpointInfo readCheckpointInfo(const std::string& path);
CheckpointInfo checkpointInfoFromBytes(const std::string& bytes, const std::string& source);
ExperimentConfig checkpointConfig(const std::string& path);
ExperimentConfig checkpointConfig(const CheckpointInfo& info, const std::string& source);

// Loads the weights (and optimizer state when given) into modules of the same shape. Throws
// InputError naming the source when they do not fit, and naming the record ("model",
// "optimizer") when its checksum shows it changed after it was written (format 3 on; older
// checkpoints load unchecked).
void loadCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer = nullptr);
void loadCheckpointFromBytes(const std::string& bytes, const std::string& source,
                             torch::nn::Module& model, torch::optim::Optimizer* optimizer);

// Our generator's state as text and back (the standard's stream form, locale-independent).
std::string saveGeneratorState(const std::mt19937_64& rng);
// Throws InputError naming `source` when `text` is not such a state.
void restoreGeneratorState(std::mt19937_64& rng, const std::string& text,
                           const std::string& source);
// torch's default CPU generator.
at::Tensor torchGeneratorState();
void restoreTorchGeneratorState(const at::Tensor& state);

}  // namespace cvae
