#include "core/models/Gaussian.h"

#include <ATen/ATen.h>

namespace cvae {

at::Tensor DiagonalGaussian::sample() const {
  return mean + at::exp(0.5 * logvar) * at::randn_like(mean);
}

at::Tensor DiagonalGaussian::sample(at::Generator generator) const {
  // Drawn on the CPU, where evaluation generators live, then moved beside the mean.
  const auto eps =
      at::randn(mean.sizes(), generator, mean.options().device(at::kCPU)).to(mean.device());
  return mean + at::exp(0.5 * logvar) * eps;
}

at::Tensor klToStandardNormal(const DiagonalGaussian& q) {
  const auto per_example = -0.5 * (1 + q.logvar - q.mean.pow(2) - q.logvar.exp()).sum(1);
  return per_example.mean();
}

at::Tensor klWithFreeBits(const DiagonalGaussian& q, double lambda) {
  const auto per_dim = (-0.5 * (1 + q.logvar - q.mean.pow(2) - q.logvar.exp())).mean(0);
  return lambda > 0 ? per_dim.clamp_min(lambda).sum() : per_dim.sum();
}

at::Tensor klBetween(const DiagonalGaussian& q, const DiagonalGaussian& p) {
  const auto per_dim = 0.5 * (p.logvar - q.logvar +
                              (q.logvar.exp() + (q.mean - p.mean).pow(2)) / p.logvar.exp() - 1);
  return per_dim.sum(1).mean();
}

}  // namespace cvae
