#pragma once
// One logged series (loss, KL, BLEU, …) over a seed group, as the group's mean with a ± standard
// deviation band, for the plots: W&B's and TensorBoard's "group runs" lines.

#include <vector>

namespace cvae {

struct SeriesBand {
  std::vector<double> x;
  std::vector<double> mean;
  std::vector<double> std;  // sample standard deviation (n − 1); 0 where n is 1
  std::vector<double> min, max;
  std::vector<int> n;  // runs with a finite value at x
};

// `xs[r]` and `ys[r]` are run r's series, x ascending. The band's x are the first run's x
// within the range every run covers (the group's runs are alike, so their x mostly coincide: the
// same steps, the same evaluated epochs); another run's value at x is its own there, or linearly
// interpolated between its neighbours. NaN and inf values are left out of the statistics; an x
// where no run has a finite value is a gap (NaN mean). Empty when a run has no points.
SeriesBand seriesBand(const std::vector<std::vector<double>>& xs,
                      const std::vector<std::vector<double>>& ys);

}  // namespace cvae
