#pragma once
// Frame encoder and decoder of SVG (Denton & Fergus 2018), in two variants with one interface:
//   dcgan: 4x4 stride-2 convolutions (64 -> 32 -> 16 -> 8 -> 4 -> 1x1 vector)
//   vgg:   two 3x3 convolutions per level with max pooling between (64 -> ... -> 1x1 vector)
// The encoder returns the frame vector and four skip maps; the decoder takes a vector and the
// skips of the last conditioning frame, so static background need not pass through the
// recurrent state. `width` scales every channel count (1.0 = the paper's 64..512 channels), so
// a CPU run can stay interactive.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace cvae {

struct FrameCodecOptions {
  TORCH_ARG(std::string, variant) = "dcgan";  // dcgan | vgg
  TORCH_ARG(double, width) = 1.0;
  TORCH_ARG(int64_t, frame_dim) = 128;  // length of the frame vector
  TORCH_ARG(int64_t, channels) = 3;
  TORCH_ARG(int64_t, output_channels) = 3;  // decoder: 4 adds a compositing mask
  // Decoder: width of a per-frame condition vector joined to every level's input as constant
  // maps, beside two coordinate maps (CoordConv, Liu et al. 2018), so that where something
  // is drawn can follow the condition directly. 0: none, the plain SVG decoder.
  TORCH_ARG(int64_t, spatial_condition) = 0;
  // Decoder, with spatial_condition: where in the condition the end effector's (x, y, z)
  // position starts, or -1. A learned linear map projects it onto the image plane, and three
  // maps join every level: the offsets of each pixel from that point and a Gaussian blob
  // around it. The gripper is drawn where the blob is; from constant maps alone a convolution
  // must first learn that nonlinearity. The projection starts as x -> column, y -> row over
  // [0, 1], as the made data set has it; other data sets' positions are learned from there.
  TORCH_ARG(int64_t, position_index) = -1;
};

struct EncodedFrame {
  torch::Tensor vector;              // [batch, frame_dim]
  std::vector<torch::Tensor> skips;  // finest first: four maps
};

class FrameEncoderImpl : public torch::nn::Module {
 public:
  explicit FrameEncoderImpl(FrameCodecOptions options);
  EncodedFrame forward(const torch::Tensor& frames);  // [batch, 3, 64, 64] in [0, 1]

 private:
  FrameCodecOptions options_;
  torch::nn::ModuleList levels_{nullptr};  // four levels, each giving one skip map
  torch::nn::Sequential to_vector_{nullptr};
};
TORCH_MODULE(FrameEncoder);

class FrameDecoderImpl : public torch::nn::Module {
 public:
  explicit FrameDecoderImpl(FrameCodecOptions options);
  // [batch, frame_dim] + the encoder's skips -> [batch, 3, 64, 64] in [0, 1]. `condition`
  // [batch, spatial_condition] when that option is set.
  torch::Tensor forward(const torch::Tensor& vector, const std::vector<torch::Tensor>& skips,
                        const torch::Tensor& condition = {});

  // `like` joined by [coordinates, condition] maps of its size, and with position_index the
  // [dx, dy, blob] maps; `like` alone without spatial_condition. Public for tests.
  torch::Tensor withCondition(const torch::Tensor& like, const torch::Tensor& condition);

 private:
  int64_t extraMaps() const;  // channels withCondition adds

  FrameCodecOptions options_;
  torch::nn::Linear to_plane_{nullptr};  // end-effector position -> image plane, [-1, 1]
  torch::Tensor log_blob_width_;
  torch::nn::Sequential from_vector_{nullptr};
  torch::nn::ModuleList levels_{nullptr};  // coarsest first, each after a skip concatenation
};
TORCH_MODULE(FrameDecoder);

}  // namespace cvae
