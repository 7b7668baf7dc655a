#pragma once
// What an experiment's step is told and what its evaluation returns, as plain data (no torch):
// it crosses threads to the GUI and is written to previews.tsv, so the GUI and the run files
// include this header, not Experiment.h and LibTorch's.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/io/PngImage.h"
#include "core/metrics/LatentActivity.h"
#include "core/metrics/MeanStd.h"

namespace cvae {

struct StepSchedule {
  double beta = 0.0;             // KL weight
  double teacher_forcing = 1.0;  // probability that a sequence is teacher-forced
};

// A table of preview rows, plain strings so it crosses threads and files as is.
struct PreviewTable {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> row_ok;  // false: highlight as a mismatch
};

// A row of frames for the video preview (ground truth, a reconstruction, a prior sample), as
// plain images so it crosses threads and files as is. `psnr` is per frame, NaN where none.
struct FrameStrip {
  std::string title;
  std::vector<RgbImage> frames;
  std::vector<double> psnr;
};

struct Evaluation {
  std::map<std::string, double> scores;
  // Sampled scores only (the tense Gaussian score), by score name: how the score varies over
  // its sampling seeds; `scores` holds their mean.
  std::map<std::string, MeanStd> spread;
  std::vector<PreviewTable> previews;
  std::vector<FrameStrip> frames;  // video experiments only
  std::vector<std::string> notes;  // e.g. "BLEU decodes from the posterior mean"
  // The posterior-collapse watch (core/models/Gaussian.h latentActivity): KL per latent
  // dimension and active units over the evaluation's inputs, and for video the KL per
  // predicted frame; experiments without a latent (spelling) leave it empty.
  std::optional<LatentActivity> latent;
  int64_t items = 0;  // words or frames decoded, for evaluation throughput
};

}  // namespace cvae
