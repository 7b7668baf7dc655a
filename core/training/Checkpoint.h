#pragma once
// Checkpoints carry the weights, the optimizer state, where the run stood and the resolved
// config (as YAML), so `evaluate`, `generate` and resumed runs need nothing else. They are
// written to a temporary file and renamed: a crash never leaves half a checkpoint.

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <map>
#include <string>

#include "core/config/ExperimentConfig.h"

namespace cvae {

struct CheckpointInfo {
  int epoch = 0;          // epochs completed
  int64_t step = 0;       // optimizer steps completed
  double best_score = 0;  // best selection score so far
  std::string config_yaml;
  std::map<std::string, double> scores;  // of the evaluation that wrote it, if any
};

void saveCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer, const CheckpointInfo& info);

// Reads the info only. Throws InputError naming the file when it is not a checkpoint.
CheckpointInfo readCheckpointInfo(const std::string& path);
ExperimentConfig checkpointConfig(const std::string& path);

// Loads the weights (and optimizer state when given) into modules of the same shape.
void loadCheckpoint(const std::string& path, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer = nullptr);

}  // namespace cvae
