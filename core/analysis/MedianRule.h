#pragma once
// The median stopping rule of Google Vizier (Golovin et al. 2017), as W&B's early_terminate and
// Optuna's MedianPruner apply it: a trial whose score at a step is below the median of the other
// trials' scores at the same step is stopped. Scores here are better higher.

#include <optional>
#include <vector>

namespace cvae {

// The median of `values` (the mean of the two middle ones for an even count); nothing when empty.
std::optional<double> median(std::vector<double> values);

struct MedianVerdict {
  bool stop = false;
  double median = 0;  // of the others, when compared
  int compared = 0;   // how many others were compared against
};

// Whether `score` falls below the median of `others` (the other members' scores at the same
// epoch). Never stops with fewer than `min_members` others: with one or two, the median is
// noise. A NaN score (a diverged member) is below any median.
MedianVerdict medianRule(double score, const std::vector<double>& others, int min_members);

}  // namespace cvae
