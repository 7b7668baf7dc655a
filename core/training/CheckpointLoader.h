#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/experiments/Experiment.h"
#include "core/training/Checkpoint.h"

namespace cvae {

struct LoadedExperiment {
  ExperimentConfig config;
  CheckpointInfo info;
  std::unique_ptr<Experiment> experiment;
};

// Rebuilds the experiment a checkpoint was trained with (its embedded config, with `overrides`
// such as "data.test=other.txt" applied) and loads the weights, on the CPU unless the config
// asks otherwise.
LoadedExperiment loadExperimentFromCheckpoint(const std::string& path,
                                              const std::vector<std::string>& overrides = {});

}  // namespace cvae
