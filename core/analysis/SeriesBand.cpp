#include "core/analysis/SeriesBand.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/analysis/SeedGroups.h"

namespace cvae {
namespace {

// Run r's value at x (inside its range): its own point, or between its neighbours.
double valueAt(const std::vector<double>& x, const std::vector<double>& y, double at) {
  const auto it = std::lower_bound(x.begin(), x.end(), at);
  if (it == x.end()) return y.back();
  const size_t k = static_cast<size_t>(it - x.begin());
  if (*it == at || k == 0) return y[k];
  const double t = (at - x[k - 1]) / (x[k] - x[k - 1]);
  return y[k - 1] + t * (y[k] - y[k - 1]);
}

}  // namespace

SeriesBand seriesBand(const std::vector<std::vector<double>>& xs,
                      const std::vector<std::vector<double>>& ys) {
  SeriesBand band;
  if (xs.empty() || xs.size() != ys.size()) return band;
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  for (size_t r = 0; r < xs.size(); ++r) {
    if (xs[r].empty() || xs[r].size() != ys[r].size()) return band;
    low = std::max(low, xs[r].front());
    high = std::min(high, xs[r].back());
  }
  std::vector<double> values(xs.size());
  for (double at : xs.front()) {
    if (at < low || at > high) continue;
    for (size_t r = 0; r < xs.size(); ++r) {
      const double v = valueAt(xs[r], ys[r], at);
      values[r] = std::isfinite(v) ? v : std::nan("");
    }
    const MeanStd stats = meanStd(values);
    band.x.push_back(at);
    band.mean.push_back(stats.mean);
    band.std.push_back(stats.n > 0 ? stats.std : std::nan(""));
    band.min.push_back(stats.n > 0 ? stats.min : std::nan(""));
    band.max.push_back(stats.n > 0 ? stats.max : std::nan(""));
    band.n.push_back(stats.n);
  }
  return band;
}

}  // namespace cvae
