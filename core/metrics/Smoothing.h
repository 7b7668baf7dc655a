#pragma once
// TensorBoard's scalar smoothing: an exponential moving average with the start debiased, so the
// first points are not pulled towards 0 (tensorboard/plugins/scalar/vz_line_chart2, the
// "smoothing" slider; weight 0 is the raw curve, 0.99 very smooth).

#include <cstdint>

namespace cvae {

class ExponentialSmoother {
 public:
  // `weight` in [0, 1): how much of the running average each new point keeps.
  explicit ExponentialSmoother(double weight = 0) : weight_(weight) {}
  // The smoothed value after `y`. NaN and inf pass through unchanged and leave the average
  // alone, as TensorBoard does: a diverged step stays visible as a gap, not a smear.
  double next(double y);
  void reset() {
    last_ = 0;
    count_ = 0;
  }
  double weight() const { return weight_; }

 private:
  double weight_;
  double last_ = 0;
  std::int64_t count_ = 0;
};

}  // namespace cvae
