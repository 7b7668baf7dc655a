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

at::Tensor gaussianWindow(int size, double sigma, const at::TensorOptions& options) {
  auto x = at::arange(size, options).sub((size - 1) / 2.0);
  auto g = at::exp(-(x * x) / (2 * sigma * sigma));
  g = g / g.sum();
  return g.unsqueeze(1).mm(g.unsqueeze(0));  // [size, size]
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
  const int64_t channels = x.size(1);
  auto window = gaussianWindow(kWindow, 1.5, x.options()).expand({channels, 1, kWindow, kWindow});
  auto filter = [&](const at::Tensor& t) {
    const std::vector<int64_t> one{1, 1}, none{0, 0};
    return at::conv2d(t, window.contiguous(), at::Tensor(), one, none, one, channels);
  };
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

}  // namespace cvae
