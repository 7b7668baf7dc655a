#pragma once
// Mean and spread of repeated measurements: runs that differ only in their seed, or a sampled
// score drawn with several sampling seeds.

#include <vector>

namespace cvae {

struct MeanStd {
  int n = 0;        // values that were not NaN
  double mean = 0;  // NaN when n == 0
  double std = 0;   // sample standard deviation (n - 1 in the denominator); 0 when n == 1
  double min = 0, max = 0;
};
// Over the values that are not NaN.
MeanStd meanStd(const std::vector<double>& values);

}  // namespace cvae
