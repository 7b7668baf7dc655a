#include "core/metrics/ImageQuality.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

namespace cvae {
namespace {

void checkFrames(const at::Tensor& a, const at::Tensor& b) {
  if (a.dim() != 4 || a.sizes() != b.sizes())
    throw std::invalid_argument("image metrics need two [N, C, H, W] tensors of the same shape");
}

// The 1-D Gaussian g of the SSIM window as a banded [length, length - size + 1] matrix B with
// B[i + k, i] = g[k]: multiplying by it filters along one axis ("valid" borders). The 2-D
// window is the outer product of g with itself, so two such products equal the 2-D
// convolution, at a fraction of its cost (and with no im2col copies).
at::Tensor gaussianBand(int64_t length, int size, double sigma, const at::TensorOptions& options) {
  auto x = at::arange(size, options).sub((size - 1) / 2.0);
  auto g = at::exp(-(x * x) / (2 * sigma * sigma));
  g = g / g.sum();
  auto band = at::zeros({length, length - size + 1}, options);
  for (int64_t i = 0; i < length - size + 1; ++i) band.select(1, i).slice(0, i, i + size).copy_(g);
  return band;
}

}  // namespace

at::Tensor psnrPerFrame(const at::Tensor& predicted, const at::Tensor& target) {
  checkFrames(predicted, target);
  const double min_mse = std::pow(10.0, -kPsnrCapDb / 10.0);
  auto mse = (predicted.to(at::kDouble) - target.to(at::kDouble)).pow(2).mean({1, 2, 3});
  return -10.0 * at::log10(mse.clamp_min(min_mse));
}

at::Tensor ssimPerFrame(const at::Tensor& predicted, const at::Tensor& target) {
  checkFrames(predicted, target);
  constexpr int kWindow = 11;
  if (predicted.size(2) < kWindow || predicted.size(3) < kWindow)
    throw std::invalid_argument("SSIM needs frames of at least 11x11 pixels");
  const auto x = predicted.to(at::kDouble);
  const auto y = target.to(at::kDouble);
  const auto along_w = gaussianBand(x.size(3), kWindow, 1.5, x.options());
  const auto along_h = gaussianBand(x.size(2), kWindow, 1.5, x.options()).t();
  auto filter = [&](const at::Tensor& t) { return at::matmul(along_h, at::matmul(t, along_w)); };
  const auto mu_x = filter(x);
  const auto mu_y = filter(y);
  const auto sxx = filter(x * x) - mu_x * mu_x;
  const auto syy = filter(y * y) - mu_y * mu_y;
  const auto sxy = filter(x * y) - mu_x * mu_y;
  constexpr double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  const auto map = ((2 * mu_x * mu_y + c1) * (2 * sxy + c2)) /
                   ((mu_x * mu_x + mu_y * mu_y + c1) * (sxx + syy + c2));
  return map.mean({1, 2, 3});
}

at::Tensor bestOfSamples(const at::Tensor& scores) {
  const auto best = scores.mean(1).argmax(0);  // [sequences]
  const auto index = best.view({1, 1, -1}).expand({1, scores.size(1), scores.size(2)});
  return scores.gather(0, index).squeeze(0);
}

}  // namespace cvae
