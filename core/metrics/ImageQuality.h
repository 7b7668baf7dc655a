#pragma once
// Frame quality metrics for video prediction. Images are float tensors with values in [0, 1],
// shaped [N, C, H, W] (N frames, each scored on its own).

#include <ATen/core/Tensor.h>

namespace cvae {

// PSNR of identical frames is infinite; we cap it at this value so that averages stay finite
// and comparable: an MSE below 1e-10 counts as 1e-10, i.e. 100 dB.
constexpr double kPsnrCapDb = 100.0;

// Per-frame PSNR in dB, 10 * log10(1 / MSE), shape [N].
at::Tensor psnrPerFrame(const at::Tensor& predicted, const at::Tensor& target);

// Per-frame SSIM (Wang et al. 2004): 11x11 Gaussian window with sigma 1.5, C1 = 0.01^2,
// C2 = 0.03^2, "valid" convolution, averaged over pixels and channels; shape [N].
at::Tensor ssimPerFrame(const at::Tensor& predicted, const at::Tensor& target);

// Best of K samples, as SVG-LP reports it (Denton & Fergus 2018; edenton/svg picks each
// sequence's sample by its mean score over time): `scores` [K, frames, sequences] -> [frames,
// sequences], each sequence's frames taken from its sample with the highest mean over frames.
at::Tensor bestOfSamples(const at::Tensor& scores);

}  // namespace cvae
