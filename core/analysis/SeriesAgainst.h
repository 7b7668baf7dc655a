#pragma once
// One logged series against another over a run's metrics.csv rows, for plots whose x-axis is
// any series rather than time: KL against β, BLEU against the teacher-forcing ratio, so that
// runs with different schedules line up on one axis.

#include <string>
#include <vector>

#include "core/runs/MetricsFile.h"

namespace cvae {

struct SeriesPoints {
  std::vector<double> x, y;  // in row order; x need not be monotonic (cyclical β)
};

// A point per row holding a finite `y`; its x is the row's own `x`, or, when the row has none
// (an eval row has scores, not β), the latest finite `x` of the rows before it. Rows before any
// `x` give no point. "step", "epoch" (0-based, as in the file) and "elapsed_s" name the leading
// fields and work for either axis. Edit rows (schedule changes) give no points.
SeriesPoints seriesAgainst(const std::vector<MetricsRow>& rows, const MetricsColumns& columns,
                           const std::string& x, const std::string& y);

// The names seriesAgainst accepts for these columns: step, epoch, elapsed_s, then the columns.
std::vector<std::string> seriesNames(const MetricsColumns& columns);

}  // namespace cvae
