#pragma once
// The posterior-collapse watch, written and said while a run trains. RUN_DIR/latent.csv has
// metrics.csv's format (runs/MetricsFile.h), one "eval" row per evaluation:
//   record,epoch,step,elapsed_s,active_units,kl_total,kl_0,...,kl_{K-1}[,kl_frame_N,...]
// kl_j is the mean KL(q(z_j|x) || N(0, 1)) over the evaluation's inputs in nats (video: to
// the learned prior), kl_total their sum, and active_units the dimensions whose posterior mean
// varies (core/models/Gaussian.h). Video runs add kl_frame_N, the KL of the latent that
// predicts frame N (1-based), summed over z.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/metrics/LatentActivity.h"
#include "core/runs/MetricsFile.h"

namespace cvae {

class LatentLog {
 public:
  // `append`: continue a resumed run's file when it has one (its columns must match).
  LatentLog(std::string path, bool append);
  // Throws std::runtime_error naming the file when the write fails; InputError when an
  // appended file's columns are not these dimensions'.
  void write(int epoch, int64_t step, double elapsed_seconds, const LatentActivity& activity);

  static std::vector<std::string> columns(size_t dimensions,
                                          const std::vector<int>& frame_numbers = {});
  // Whether `names` (a latent.csv header past record..elapsed_s) are a model's with this many
  // dimensions, with or without per-frame columns.
  static bool columnsFit(const std::vector<std::string>& names, size_t dimensions);

 private:
  std::string path_;
  bool append_;
  std::unique_ptr<MetricsWriter> writer_;  // opened at the first write: K is known then
};

// Says posterior collapse once, when it sets in: at an evaluation with no active unit left
// after one with some (or at the first evaluation), and again only after the units came back.
class CollapseWatch {
 public:
  // `kl`: the run's annealing, so the advice names only what it does not do already (a
  // cyclical run was told to try cyclical annealing, one with free bits 2 to try 0.25).
  explicit CollapseWatch(KlAnnealingConfig kl = {}) : kl_(kl) {}
  // The annealing now in force (a pause may have edited it).
  void setAnnealing(const KlAnnealingConfig& kl) { kl_ = kl; }
  // The warning to print and show, with what to try; nothing when there is no news.
  std::optional<std::string> update(const LatentActivity& activity, int epoch, double beta);

 private:
  std::string advice() const;
  KlAnnealingConfig kl_;
  bool collapsed_ = false;
};

}  // namespace cvae
