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

// Members annealing β over different lengths are not comparable at the same raw epoch: one still
// warming up (β small, reconstruction good, generation poor) looks worse or better than one at
// full β for reasons of schedule alone. So the rule can compare them at the same place in their
// schedules instead, the "phase": during the β warm-up, the fraction of it done (0 to 1); after
// it, 1 + the epochs since it ended. `epochs_done` counts whole epochs trained (an evaluation
// after epoch e, 0-based, has e + 1); `warmup_end_epoch` is when β first reaches its maximum
// (core/schedules/ScheduleSummary), < 0 or 0 when it never rises (all of such a run is after).
double schedulePhase(double epochs_done, double warmup_end_epoch);

struct PhaseScore {
  double phase = 0;
  double score = 0;
};
// A member's score at `phase` from its evaluations (in order of phase): linearly interpolated
// between the evaluations either side; nothing outside the phases it was evaluated at (before
// its first evaluation or after its latest), so members are compared only where both have
// scores: one that reached full β within an epoch has nothing to say about a warm-up's middle.
std::optional<double> scoreAtPhase(const std::vector<PhaseScore>& evaluations, double phase);

}  // namespace cvae
