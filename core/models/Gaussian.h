#pragma once
// Diagonal Gaussians in (mean, log-variance) form, as every VAE here uses them.

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <vector>

#include "core/metrics/LatentActivity.h"

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

// The posterior-collapse watch's numbers (KL per dimension, active units; their definitions in
// core/metrics/LatentActivity.h) for the posteriors q(z|x_n), n = 1..N, in `q`.
// `q` holds N ≥ 1 rows (for N = 1 every variance is 0). Throws std::invalid_argument for an
// empty or non-2-D posterior.
LatentActivity latentActivity(const DiagonalGaussian& q, double threshold = 0.01);
// The same for a latent with a learned prior (SVG-LP): `posterior_mean` [N, latent] and
// `kl` [N, latent] (klPerDimension against each row's prior); kl[j] is then the mean KL to the
// prior, not to N(0, 1). Throws std::invalid_argument unless both are [N >= 1, latent].
LatentActivity latentActivity(const at::Tensor& posterior_mean, const at::Tensor& kl,
                              double threshold = 0.01);

}  // namespace cvae
