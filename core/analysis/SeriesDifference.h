#pragma once
// A fork read against its parent: child − parent of one series over time, from the fork on, so
// what the fork's new schedule changed shows as a curve about 0.

#include "core/analysis/SeriesAgainst.h"

namespace cvae {

// A point per child point at x ≥ `from_x` (fractional epochs, or steps: both in one unit) with
// y = child.y − parent(x), parent(x) interpolated linearly between the parent's two points
// around x (its own value where it has a point at x). Child points outside the parent's x range,
// or where either value is not finite, give none: nothing is extrapolated. The parent's points
// are taken in order of x (a time series; ties keep the later point).
SeriesPoints seriesDifference(const SeriesPoints& child, const SeriesPoints& parent, double from_x);

}  // namespace cvae
