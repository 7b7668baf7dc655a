#pragma once
// Which config keys mattered for a score, over a set of runs: a random forest's permutation
// importance beside the plain rank correlation, as W&B's parameter-importance panel and Optuna's
// importance evaluators report them. The forest is dlib's random_forest_regression_trainer
// (dlib 19.24, Debian's libdlib-dev; chosen over writing our own because it is a maintained,
// tested implementation with out-of-bag predictions, and Debian has no fANOVA or mlpack).
//
// Importance of a key = how much worse the forest predicts the score, out of bag, after that
// key's values are shuffled across the runs and the forest is refitted ("permute and relearn",
// Mentch & Hooker 2016; Hooker et al. 2021 "Unrestricted permutation forces extrapolation"),
// as a share of the score's variance. Out-of-bag errors keep the measure honest with few runs:
// a forest that memorises 12 runs predicts nothing out of bag, and every key scores about 0.

#include <optional>
#include <string>
#include <vector>

namespace cvae {

// One hyperparameter over the runs: its text per run ("" where the run has no value). A column
// whose every value is a number is numeric; any other is categorical (a policy, an optimizer).
struct ImportanceColumn {
  std::string key;
  std::vector<std::string> values;
};

struct ImportanceOptions {
  // The score is maximised (BLEU, PSNR) or minimised (a loss, KL): the correlation's sign and
  // the best category are given for "better", whichever way that is.
  bool higher_is_better = true;
  int trees = 300;
  int repeats = 5;  // shuffles (and forest seeds) averaged per key
  unsigned seed = 1;
};

struct KeyImportance {
  std::string key;
  bool numeric = true;
  bool constant = false;  // one value over the runs: nothing can be learnt about it
  // Mean over the repeats of (out-of-bag MSE with the key shuffled − without) / Var(score).
  // About 0 for a key that does not matter; may be slightly negative from noise.
  double importance = 0;
  double importance_std = 0;  // over the repeats
  // Numeric keys: Spearman's rank correlation of the key with the score, signed so that + means
  // higher values of the key go with better scores. Nothing for categorical keys.
  std::optional<double> correlation;
  // Categorical keys: the value whose runs have the best mean score.
  std::string best_value;
};

struct ImportanceResult {
  int runs = 0;  // runs used (those with a finite score)
  // Out-of-bag R² of the forest with every key: how much of the score the keys explain at all.
  // Near 0 or below, the importances say little.
  double forest_r2 = 0;
  std::vector<KeyImportance> keys;  // most important first; constant keys last
  // Set (and keys empty) when nothing can be computed: fewer than 5 runs with a score, or no key
  // varies.
  std::string problem;
};

// `scores` has one value per run (NaN: the run has none, and is left out); every column's
// values have the same length. Throws std::invalid_argument for mismatched lengths.
ImportanceResult paramImportance(const std::vector<ImportanceColumn>& columns,
                                 const std::vector<double>& scores,
                                 const ImportanceOptions& options = {});

// Spearman's rank correlation (average ranks for ties); NaN when either side is constant.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace cvae
