#include "core/models/FrameCodec.h"

#include <torch/nn/functional/upsampling.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/pooling.h>

#include <cmath>
#include <stdexcept>

namespace cvae {
namespace nn = torch::nn;

namespace {

// The paper's channel counts 64, 128, 256, 512 scaled by `width`.
std::vector<int64_t> channelCounts(double width) {
  std::vector<int64_t> c;
  for (int64_t base : {64, 128, 256, 512})
    c.push_back(std::max<int64_t>(4, std::llround(base * width)));
  return c;
}

nn::LeakyReLU leaky() {
  return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2).inplace(true));
}

// 4x4 stride-2 convolution: halves the size.
void addDown(nn::Sequential& s, int64_t in, int64_t out, bool batch_norm) {
  s->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 4).stride(2).padding(1)));
  if (batch_norm) s->push_back(nn::BatchNorm2d(out));
  s->push_back(leaky());
}

// 4x4 stride-2 transposed convolution: doubles the size.
void addUp(nn::Sequential& s, int64_t in, int64_t out) {
  s->push_back(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(in, out, 4).stride(2).padding(1)));
  s->push_back(nn::BatchNorm2d(out));
  s->push_back(leaky());
}

// VGG layer: 3x3 convolution keeping the size.
void addVgg(nn::Sequential& s, int64_t in, int64_t out) {
  s->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)));
  s->push_back(nn::BatchNorm2d(out));
  s->push_back(leaky());
}

bool isVgg(const FrameCodecOptions& o) {
  if (o.variant() != "dcgan" && o.variant() != "vgg")
    throw std::invalid_argument("unknown frame encoder '" + o.variant() + "' (dcgan or vgg)");
  return o.variant() == "vgg";
}

}  // namespace

FrameEncoderImpl::FrameEncoderImpl(FrameCodecOptions options) : options_(std::move(options)) {
  const auto c = channelCounts(options_.width());
  const bool vgg = isVgg(options_);
  levels_ = register_module("levels", nn::ModuleList());
  int64_t in = options_.channels();
  for (int k = 0; k < 4; ++k) {
    nn::Sequential level;
    if (vgg) {
      // Level 0 works at 64x64; each later level pools first: skips at 64, 32, 16, 8.
      if (k > 0) level->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
      addVgg(level, in, c[k]);
      addVgg(level, c[k], c[k]);
    } else {
      addDown(level, in, c[k], /*batch_norm=*/k > 0);  // skips at 32, 16, 8, 4
    }
    levels_->push_back(level);
    in = c[k];
  }
  to_vector_ = nn::Sequential();
  if (vgg) to_vector_->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));  // 8 -> 4
  to_vector_->push_back(nn::Conv2d(nn::Conv2dOptions(c[3], options_.frame_dim(), 4)));
  to_vector_->push_back(nn::BatchNorm2d(options_.frame_dim()));
  to_vector_->push_back(nn::Tanh());
  register_module("to_vector", to_vector_);
}

EncodedFrame FrameEncoderImpl::forward(const torch::Tensor& frames) {
  EncodedFrame out;
  auto x = frames;
  for (const auto& level : *levels_) {
    x = level->as<nn::Sequential>()->forward(x);
    out.skips.push_back(x);
  }
  out.vector = to_vector_->forward(x).flatten(1);
  return out;
}

FrameDecoderImpl::FrameDecoderImpl(FrameCodecOptions options) : options_(std::move(options)) {
  const auto c = channelCounts(options_.width());
  const bool vgg = isVgg(options_);
  from_vector_ =
      nn::Sequential(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(options_.frame_dim(), c[3], 4)),
                     nn::BatchNorm2d(c[3]), leaky());  // 1x1 -> 4x4
  register_module("from_vector", from_vector_);
  levels_ = register_module("levels", nn::ModuleList());
  // Level k (coarsest first) takes [previous, skip] with 2 * c[k] channels, plus the
  // coordinate and condition maps when asked for.
  if (options_.spatial_condition() > 0 && options_.position_index() >= 0) {
    TORCH_CHECK(options_.position_index() + 3 <= options_.spatial_condition(),
                "the end-effector position must lie inside the condition");
    to_plane_ = register_module("to_plane", torch::nn::Linear(3, 2));
    torch::NoGradGuard no_grad;
    to_plane_->weight.zero_();
    to_plane_->weight[0][0] = 2.0;  // x in [0, 1] -> column in [-1, 1]
    to_plane_->weight[1][1] = 2.0;  // y in [0, 1] -> row in [-1, 1]
    to_plane_->bias.fill_(-1.0);
    log_blob_width_ = register_parameter("log_blob_width", torch::full({1}, std::log(0.12)));
  }
  const int64_t extra = extraMaps();
  for (int k = 3; k >= 0; --k) {
    nn::Sequential level;
    const int64_t out = k > 0 ? c[k - 1] : 0;
    if (vgg) {
      addVgg(level, 2 * c[k] + extra, c[k]);
      if (k > 0) {
        addVgg(level, c[k], out);
      } else {
        level->push_back(
            nn::Conv2d(nn::Conv2dOptions(c[0], options_.output_channels(), 3).padding(1)));
        level->push_back(nn::Sigmoid());
      }
    } else if (k > 0) {
      addUp(level, 2 * c[k] + extra, out);
    } else {
      level->push_back(nn::ConvTranspose2d(
          nn::ConvTranspose2dOptions(2 * c[0] + extra, options_.output_channels(), 4)
              .stride(2)
              .padding(1)));
      level->push_back(nn::Sigmoid());
    }
    levels_->push_back(level);
  }
}

int64_t FrameDecoderImpl::extraMaps() const {
  if (options_.spatial_condition() == 0) return 0;
  return 2 + options_.spatial_condition() + (to_plane_ ? 3 : 0);
}

torch::Tensor FrameDecoderImpl::withCondition(const torch::Tensor& like,
                                              const torch::Tensor& condition) {
  if (options_.spatial_condition() == 0) return like;
  const int64_t batch = like.size(0), h = like.size(2), w = like.size(3);
  const auto o = like.options();
  const auto ys = torch::linspace(-1, 1, h, o).view({1, 1, h, 1}).expand({batch, 1, h, w});
  const auto xs = torch::linspace(-1, 1, w, o).view({1, 1, 1, w}).expand({batch, 1, h, w});
  const auto maps = condition.view({batch, -1, 1, 1}).expand({batch, condition.size(1), h, w});
  if (!to_plane_) return torch::cat({like, xs, ys, maps}, 1);
  const auto point = to_plane_->forward(
      condition.slice(1, options_.position_index(), options_.position_index() + 3));
  const auto dx = xs - point.slice(1, 0, 1).view({batch, 1, 1, 1});
  const auto dy = ys - point.slice(1, 1, 2).view({batch, 1, 1, 1});
  const auto width = log_blob_width_.exp();
  const auto blob = torch::exp(-(dx * dx + dy * dy) / (2 * width * width));
  return torch::cat({like, xs, ys, maps, dx, dy, blob}, 1);
}

torch::Tensor FrameDecoderImpl::forward(const torch::Tensor& vector,
                                        const std::vector<torch::Tensor>& skips,
                                        const torch::Tensor& condition) {
  namespace F = torch::nn::functional;
  const bool vgg = options_.variant() == "vgg";
  auto x = from_vector_->forward(vector.view({vector.size(0), vector.size(1), 1, 1}));
  for (size_t i = 0; i < levels_->size(); ++i) {
    const auto& skip = skips[skips.size() - 1 - i];
    // VGG upsamples to the skip's size before joining it; DCGAN's transposed convolution
    // upsamples after.
    if (vgg && x.size(2) != skip.size(2))
      x = F::interpolate(x, F::InterpolateFuncOptions()
                                .size(std::vector<int64_t>{skip.size(2), skip.size(3)})
                                .mode(torch::kNearest));
    x = levels_[i]->as<nn::Sequential>()->forward(
        withCondition(torch::cat({x, skip}, 1), condition));
  }
  return x;
}

}  // namespace cvae
