#pragma once
// Experiments are found by name through this one table: the CLI, the GUI and the trainer ask
// it, so adding an experiment never means an `if` chain elsewhere.

#include <c10/core/Device.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/experiments/Experiment.h"

namespace cvae {

using ProgressFn = std::function<void(const std::string&)>;

struct ExperimentEntry {
  ExperimentKind kind;
  std::string title;       // "Tense conversion CVAE"
  std::string train_file;  // file names of the embedded default data set
  std::string test_file;
  std::string default_config;            // preset in configs/
  std::vector<std::string> score_names;  // what its evaluations report
  // Whether the model has a latent with a KL term (and so a beta schedule); the spelling
  // seq2seq has none, and the GUI hides its KL and beta curves.
  bool has_kl_term = true;
  std::string data_name;  // what `make-data` also accepts: "pushing" for the video data
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
