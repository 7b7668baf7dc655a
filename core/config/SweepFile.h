#pragma once
// A sweep file: a base config, fixed overrides, a grid of values, random draws and seeds. Read
// here with the place (file:line:column) of every value, so that expanding and validating the
// sweep (core/sweeps/SweepPlan.h) can name the line of a bad key or value.
//
//   name: kl-schedules                  # optional; the file's stem otherwise
//   base: ../configs/tense_cvae.yaml    # absolute, or relative to the sweep file
//   set:    {train.epochs: 60}          # fixed overrides for every member
//   grid:                               # every combination (the last key varies fastest)
//     kl_annealing.policy: [monotonic, cyclical]
//   random:                             # `count` draws, crossed with the grid
//     count: 8
//     seed: 1
//     keys:
//       optimizer.learning_rate: {log_uniform: [0.0005, 0.005]}
//       kl_annealing.ratio: {uniform: [0.2, 0.8]}   # also int_uniform: [a, b], choice: [...]
//   seeds: [1, 2, 3]                    # repeats every member with each train.seed
//   early_stop: {rule: median, score: bleu, align: warmup, min_epochs: 2, min_members: 3,
//                collapse: true}          # or {collapse: true} alone

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cvae {

// One key with one value, as written in the sweep file.
struct SweepAssignment {
  std::string key;
  std::string value;
  std::string place;      // of the value: "sweep.yaml:4:17"
  std::string key_place;  // of the key, where the key itself is wrong
  int key_line = 0;
};

// A grid key and its values, each with its place.
struct SweepAxis {
  std::string key;
  std::string place;  // of the key
  int key_line = 0;
  std::vector<SweepAssignment> values;
};

enum class SweepDistribution { Uniform, LogUniform, IntUniform, Choice };

struct SweepRandomKey {
  std::string key;
  std::string place;  // of the distribution
  std::string key_place;
  int key_line = 0;
  SweepDistribution distribution = SweepDistribution::Uniform;
  double low = 0;  // inclusive bounds of uniform, log_uniform and int_uniform
  double high = 0;
  std::vector<SweepAssignment> choices;
};

// Where members are compared: at the same place in their β schedules (core/analysis/MedianRule.h
// schedulePhase: the same fraction of the β warm-up, or the same epochs after it), the default,
// so members that anneal slowly are not stopped for it; or at the same epoch, as W&B and Optuna.
enum class MedianAlignment { Warmup, Epoch };

// W&B's early_terminate / Optuna's MedianPruner: after `min_epochs` evaluated epochs, a member
// whose `score` at an evaluated epoch is below the median of the other members' scores at the
// same schedule phase (or epoch, see MedianAlignment; when at least `min_members` others have
// reached it) is stopped.
//
// `collapse`: a member whose evaluation finds no active latent unit (posterior collapse, from
// RUN_DIR/latent.csv, training/LatentLog.h) is stopped too, with or without the median rule.
struct MedianStopping {
  bool median = true;  // false: `collapse: true` without a rule
  bool collapse = false;
  std::string score;
  std::string place;
  MedianAlignment align = MedianAlignment::Warmup;
  int min_epochs = 1;
  int min_members = 3;
};

struct SweepFile {
  std::string path;
  std::string text;  // the file as read: a rerun continues a sweep made from the same text
  std::string name;
  std::string base_config;  // absolute
  std::vector<SweepAssignment> set;
  std::vector<SweepAxis> grid;
  int random_count = 0;
  std::uint64_t random_seed = 0;
  std::vector<SweepRandomKey> random_keys;
  std::vector<SweepAssignment> seeds;  // train.seed values
  std::optional<MedianStopping> early_stop;
};

// Reads and checks the file's structure (keys, types, bounds of distributions). Whether each
// key and value suits the base config is checked when the sweep is expanded. Throws InputError
// naming the file, line and column.
SweepFile readSweepFile(const std::string& path);
// The same for text; `source` names it in messages and `base_dir` resolves a relative base.
SweepFile parseSweepText(const std::string& text, const std::string& source,
                         const std::string& base_dir);

// Values typed in one field, as the GUI's sweep editor takes them: "a, b, c" (a list), or a
// range "A..B xN" (N evenly spaced values from A to B) or "log A..B xN" (evenly spaced in log
// space, for learning rates). Returns nothing with `problem` filled when the text is neither.
// Range values are written with 4 significant digits; the schema checks them later.
std::optional<std::vector<std::string>> parseValueList(const std::string& text,
                                                       std::string& problem);

}  // namespace cvae
