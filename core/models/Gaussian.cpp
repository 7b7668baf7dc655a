#include "core/models/Gaussian.h"

#include <ATen/ATen.h>

#include <stdexcept>

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
  return klWithFreeBits(-0.5 * (1 + q.logvar - q.mean.pow(2) - q.logvar.exp()), lambda);
}

at::Tensor klWithFreeBits(const at::Tensor& kl_rows, double lambda) {
  const auto per_dim = kl_rows.mean(0);
  return lambda > 0 ? per_dim.clamp_min(lambda).sum() : per_dim.sum();
}

at::Tensor klPerDimension(const DiagonalGaussian& q, const DiagonalGaussian& p) {
  return 0.5 *
         (p.logvar - q.logvar + (q.logvar.exp() + (q.mean - p.mean).pow(2)) / p.logvar.exp() - 1);
}

at::Tensor klBetween(const DiagonalGaussian& q, const DiagonalGaussian& p) {
  return klPerDimension(q, p).sum(1).mean();
}

LatentActivity latentActivity(const DiagonalGaussian& q, double threshold) {
  if (!q.mean.defined() || q.mean.dim() != 2 || q.mean.size(0) == 0 || !q.logvar.defined() ||
      q.logvar.sizes() != q.mean.sizes())
    throw std::invalid_argument("latentActivity: a [N, latent] posterior with N >= 1 is needed");
  const auto mean = q.mean.detach().to(at::kCPU, at::kDouble);
  const auto logvar = q.logvar.detach().to(at::kCPU, at::kDouble);
  return latentActivity(mean, -0.5 * (1 + logvar - mean.pow(2) - logvar.exp()), threshold);
}

LatentActivity latentActivity(const at::Tensor& posterior_mean, const at::Tensor& kl_rows,
                              double threshold) {
  if (!posterior_mean.defined() || posterior_mean.dim() != 2 || posterior_mean.size(0) == 0 ||
      !kl_rows.defined() || kl_rows.sizes() != posterior_mean.sizes())
    throw std::invalid_argument(
        "latentActivity: [N, latent] posterior means and KL terms with N >= 1 are needed");
  const auto mean = posterior_mean.detach().to(at::kCPU, at::kDouble);
  const auto kl = kl_rows.detach().to(at::kCPU, at::kDouble).mean(0).contiguous();
  const auto variance = (mean - mean.mean(0, /*keepdim=*/true)).pow(2).mean(0).contiguous();
  LatentActivity out;
  out.threshold = threshold;
  const auto n = static_cast<size_t>(mean.size(1));
  out.kl.assign(kl.data_ptr<double>(), kl.data_ptr<double>() + n);
  out.mean_variance.assign(variance.data_ptr<double>(), variance.data_ptr<double>() + n);
  for (double v : out.mean_variance) out.active_units += v > threshold ? 1 : 0;
  return out;
}

}  // namespace cvae
