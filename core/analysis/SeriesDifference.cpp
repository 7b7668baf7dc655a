#include "core/analysis/SeriesDifference.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cvae {

SeriesPoints seriesDifference(const SeriesPoints& child, const SeriesPoints& parent,
                              double from_x) {
  // The parent's finite points by x; a point logged twice at one x (a resumed run) counts once,
  // the later.
  std::vector<std::pair<double, double>> p;
  for (size_t i = 0; i < parent.x.size() && i < parent.y.size(); ++i)
    if (std::isfinite(parent.x[i]) && std::isfinite(parent.y[i]))
      p.emplace_back(parent.x[i], parent.y[i]);
  std::stable_sort(p.begin(), p.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<double, double>> unique;
  for (const auto& point : p) {
    if (!unique.empty() && unique.back().first == point.first)
      unique.back() = point;
    else
      unique.push_back(point);
  }
  SeriesPoints out;
  if (unique.empty()) return out;
  for (size_t i = 0; i < child.x.size() && i < child.y.size(); ++i) {
    const double x = child.x[i];
    if (!(x >= from_x) || !std::isfinite(child.y[i])) continue;
    if (x < unique.front().first || x > unique.back().first) continue;
    const auto above = std::lower_bound(
        unique.begin(), unique.end(), x,
        [](const std::pair<double, double>& point, double v) { return point.first < v; });
    double at;
    if (above->first == x) {
      at = above->second;
    } else {
      const auto below = above - 1;
      const double t = (x - below->first) / (above->first - below->first);
      at = below->second + t * (above->second - below->second);
    }
    out.x.push_back(x);
    out.y.push_back(child.y[i] - at);
  }
  return out;
}

}  // namespace cvae
