#include "core/analysis/SeriesAgainst.h"

#include <cmath>

namespace cvae {
namespace {

double valueOf(const MetricsRow& row, const MetricsColumns& columns, const std::string& name) {
  if (name == "step") return static_cast<double>(row.step);
  if (name == "epoch") return row.epoch;
  if (name == "elapsed_s") return row.elapsed_s;
  return columns.value(row, name);
}

}  // namespace

SeriesPoints seriesAgainst(const std::vector<MetricsRow>& rows, const MetricsColumns& columns,
                           const std::string& x, const std::string& y) {
  SeriesPoints points;
  double latest_x = std::nan("");
  for (const auto& row : rows) {
    if (row.record == "edit") continue;
    const double row_x = valueOf(row, columns, x);
    if (std::isfinite(row_x)) latest_x = row_x;
    const double row_y = valueOf(row, columns, y);
    if (!std::isfinite(row_y) || !std::isfinite(latest_x)) continue;
    points.x.push_back(latest_x);
    points.y.push_back(row_y);
  }
  return points;
}

std::vector<std::string> seriesNames(const MetricsColumns& columns) {
  std::vector<std::string> names = {"step", "epoch", "elapsed_s"};
  names.insert(names.end(), columns.names().begin(), columns.names().end());
  return names;
}

}  // namespace cvae
