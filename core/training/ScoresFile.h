#pragma once
// The scores of an evaluation saved beside its previews (`evaluate --save-previews DIR`):
// DIR/scores.yaml, so that the saved previews can be read with what they scored. A run folder
// needs none (its metrics.csv holds every evaluation's scores). Format (YAML):
//   checkpoint: PATH           the checkpoint evaluated
//   test: PATH                 its test file
//   epoch: E                   1-based, as evaluate prints it
//   step: S
//   scores: {NAME: VALUE, ...}
//   spread:                    sampled scores only (the tense Gaussian score)
//     NAME: {sd: SD, min: MIN, max: MAX, seeds: N}
// A file of its own, not lines in previews.tsv: earlier versions refuse lines they do not know
// there, and would then show none of the previews.

#include <cstdint>
#include <map>
#include <string>

#include "core/metrics/MeanStd.h"

namespace cvae {

struct SavedScores {
  std::string checkpoint;
  std::string test_file;
  int epoch = 0;  // 1-based
  int64_t step = 0;
  std::map<std::string, double> scores;
  std::map<std::string, MeanStd> spread;  // `mean` is the score's value
};

// Written through a temporary file and a rename.
void writeScoresFile(const std::string& path, const SavedScores& scores);
// Throws InputError naming the file, line and key when it is not in the format above.
SavedScores readScoresFile(const std::string& path);

}  // namespace cvae
