#include "core/metrics/MeanStd.h"

#include <algorithm>
#include <cmath>

namespace cvae {

MeanStd meanStd(const std::vector<double>& values) {
  MeanStd out;
  double sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (out.n == 0) out.min = out.max = v;
    out.min = std::min(out.min, v);
    out.max = std::max(out.max, v);
    sum += v;
    ++out.n;
  }
  if (out.n == 0) {
    out.mean = std::nan("");
    return out;
  }
  out.mean = sum / out.n;
  if (out.n > 1) {
    double squares = 0;
    for (double v : values)
      if (!std::isnan(v)) squares += (v - out.mean) * (v - out.mean);
    out.std = std::sqrt(squares / (out.n - 1));
  }
  return out;
}

}  // namespace cvae
