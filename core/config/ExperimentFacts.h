#pragma once
// What is known about each experiment without building it: its title, the files of its data
// set, its preset and the scores it reports. Plain data in the config layer, so validation,
// presets and the GUI's plots read it from here; the registry (experiments/ExperimentRegistry)
// adds what builds data sets and models.

#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

struct ExperimentFacts {
  ExperimentKind kind = ExperimentKind::Tense;
  std::string title;       // "Tense conversion CVAE"
  std::string train_file;  // file names of the embedded default data set
  std::string test_file;
  std::string default_config;             // preset in configs/
  std::vector<std::string> score_names;   // what its evaluations report, as in metrics.csv
  std::vector<std::string> score_labels;  // how the GUI names them, in the same order
  // What `evaluation.best_by` may name: a score, or "sum" (tense: BLEU + Gaussian score).
  std::vector<std::string> selection_scores;
  // Whether the model has a latent with a KL term (and so a beta schedule); the spelling
  // seq2seq has none, and the GUI hides its KL and beta curves.
  bool has_kl_term = true;
  // Writes the posterior-collapse watch (RUN_DIR/latent.csv: KL per latent dimension, active
  // units) at each evaluation.
  bool has_collapse_watch = false;
  // The watch also has the KL of each predicted frame's latent (a latent per frame, SVG-LP):
  // the GUI plots that instead of the KL per dimension.
  bool latent_per_frame = false;
  std::string data_name;  // what `make-data` also accepts: "pushing" for the video data
  // How `make-data` sizes the data set: its option and what the number counts.
  std::string data_size_option = "--size";
  std::string data_size_unit;  // "training rows"
  // The embedded default data set's folder under embeddedDataDir(). A maker that comes to write
  // different data gets a new folder name, so runs made on the old files keep reading them.
  std::string data_folder;
};

// Every experiment, in the order the GUI lists them.
const std::vector<ExperimentFacts>& experimentFactsTable();
// Throws InputError when there is no such experiment.
const ExperimentFacts& experimentFacts(ExperimentKind kind);
// The GUI's name for a score ("BLEU-4"); the score's own name when it has none.
std::string scoreLabel(const std::string& score);

}  // namespace cvae
