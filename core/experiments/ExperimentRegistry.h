#pragma once
// Experiments are found by name through this one table: the CLI, the GUI and the trainer ask
// it, so adding an experiment never means an `if` chain elsewhere.

#include <c10/core/Device.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/config/ExperimentFacts.h"

namespace cvae {

// Complete in core/experiments/Experiment.h, which callers of `create` include: this header
// stays free of LibTorch's tensor headers for the GUI.
class Experiment;

using ProgressFn = std::function<void(const std::string&)>;

// The facts (ExperimentFacts) and what builds the experiment's data set and model.
struct ExperimentEntry : ExperimentFacts {
  // Writes the embedded default data set into `dir`; `size` > 0 overrides its size (training
  // rows, target words, or training sequences).
  std::function<void(const std::string& dir, int size, const ProgressFn&)> make_default_data;
  // Optimizer steps per epoch the config will take, without loading the model (schedule
  // previews): cheap, from the data file's size, or from the embedded default's size.
  std::function<int64_t(const ExperimentConfig&)> estimate_batches_per_epoch;
  // Builds the experiment with its data loaded and its model on `device`.
  std::function<std::unique_ptr<Experiment>(const ExperimentConfig&, c10::Device)> create;
};

const std::vector<ExperimentEntry>& experimentRegistry();
// Throws InputError when this build has no such experiment.
const ExperimentEntry& experimentEntry(ExperimentKind kind);

}  // namespace cvae
