#pragma once
// Diagonal Gaussians in (mean, log-variance) form, as every VAE here uses them.

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <vector>

namespace cvae {

struct DiagonalGaussian {
  at::Tensor mean;    // [batch, latent]
  at::Tensor logvar;  // [batch, latent]
  // z = mean + exp(logvar / 2) * eps, eps ~ N(0, I): differentiable in mean and logvar.
  at::Tensor sample() const;
  // The same with eps drawn from `generator`: evaluations that must not touch the global RNG.
  at::Tensor sample(at::Generator generator) const;
};

// KL(q || N(0, I)) = -1/2 * sum_j (1 + logvar_j - mean_j^2 - exp(logvar_j)),
// summed over latent dimensions and averaged over the batch (nats per example).
at::Tensor klToStandardNormal(const DiagonalGaussian& q);

// The KL term as optimized with "free bits" lambda (Kingma et al. 2016):
//   sum_j max(lambda, mean over the batch of KL_j), KL_j the term of dimension j above.
// With lambda = 0 this equals klToStandardNormal.
at::Tensor klWithFreeBits(const DiagonalGaussian& q, double lambda);
// The same floor over any per-dimension KL terms `kl_rows` [batch, latent] (e.g.
// klPerDimension against a learned prior): sum_j max(lambda, batch mean of kl_rows[:, j]).
at::Tensor klWithFreeBits(const at::Tensor& kl_rows, double lambda);

// KL(q || p) between two diagonal Gaussians, summed over latent dimensions and averaged over
// the batch: 1/2 * sum_j (logvar_p - logvar_q + (exp(logvar_q) + (mean_q - mean_p)^2)
//                          / exp(logvar_p) - 1).
at::Tensor klBetween(const DiagonalGaussian& q, const DiagonalGaussian& p);
// The same terms before the sums: [batch, latent], nats.
at::Tensor klPerDimension(const DiagonalGaussian& q, const DiagonalGaussian& p);

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
// `q` holds N ≥ 1 rows (for N = 1 every variance is 0). Throws std::invalid_argument for an
// empty or non-2-D posterior.
LatentActivity latentActivity(const DiagonalGaussian& q, double threshold = 0.01);
// The same for a latent with a learned prior (SVG-LP): `posterior_mean` [N, latent] and
// `kl` [N, latent] (klPerDimension against each row's prior); kl[j] is then the mean KL to the
// prior, not to N(0, 1). Throws std::invalid_argument unless both are [N >= 1, latent].
LatentActivity latentActivity(const at::Tensor& posterior_mean, const at::Tensor& kl,
                              double threshold = 0.01);

}  // namespace cvae
