#pragma once
// The posterior-collapse watch's result as plain numbers (no torch), so that the GUI, the
// run files and the previews can carry it; computed by latentActivity in core/models/Gaussian.h.

#include <vector>

namespace cvae {

// The posterior-collapse watch's numbers for a set of posteriors q(z|x_n), n = 1..N:
//   kl[j]            = mean over n of KL(q(z_j|x_n) || N(0, 1))            (nats, ≥ 0)
//   mean_variance[j] = variance over n of E_q[z_j | x_n] (the posterior mean), population form
//   active_units     = #{j : mean_variance[j] > threshold}
// A dimension whose posterior mean does not vary with the input carries nothing about it: the
// decoder cannot use it (Burda, Grosse & Salakhutdinov 2016, "Importance Weighted
// Autoencoders", §5.2, threshold 0.01). No active unit left is posterior collapse.
struct LatentActivity {
  std::vector<double> kl;
  std::vector<double> mean_variance;
  int active_units = 0;
  double threshold = 0.01;
  // Sequence models with a latent per frame (SVG-LP): the KL of the latent that predicts each
  // predicted frame, KL(q(z_t | x_1..t) || p(z_t | x_1..t-1)) summed over z, mean over the
  // evaluated sequences (nats); frame_numbers[i] is kl_per_frame[i]'s frame, 1-based as the
  // frame browser and the per-frame table count. Empty for a latent per word.
  std::vector<double> kl_per_frame;
  std::vector<int> frame_numbers;
};

}  // namespace cvae
