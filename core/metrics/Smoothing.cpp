#include "core/metrics/Smoothing.h"

#include <cmath>

namespace cvae {

double ExponentialSmoother::next(double y) {
  if (!std::isfinite(y)) return y;
  last_ = last_ * weight_ + (1 - weight_) * y;
  ++count_;
  const double debias = weight_ == 1 ? 1 : 1 - std::pow(weight_, static_cast<double>(count_));
  return last_ / debias;
}

}  // namespace cvae
