#pragma once
// SVG-LP (Denton & Fergus 2018) with conditions: stochastic video prediction with a learned
// prior. At step t (predicting frame t from frames before it):
//   h_{t-1} = encoder(x_{t-1})  (the true frame, or the model's own prediction when not
//                                 teacher-forced past the conditioning frames)
//   q(z_t | x_1..t)   = posterior(encoder(x_t))      used in training
//   p(z_t | x_1..t-1) = prior(h_{t-1})               used to predict
//   g_t = predictor([h_{t-1}, z_t, c_t]),  x^_t = decoder(g_t, skips of the last past frame)
// where c_t is frame t's condition row (action and end-effector position).
// Loss: sum over steps of MSE(x^_t, x_t) + beta * KL(q || p).
// With `composite` the decoder also paints a mask m_t and the frame is
//   x^_t = m_t * decoded_t + (1 - m_t) * x_last   (x_last: the last conditioning frame),
// the compositing of Finn et al. (2016) for robot pushing: static background is copied
// exactly from the start, and training spends itself on what moves. With
// `spatial_condition` the decoder also gets c_t as constant maps beside coordinate maps, so
// that drawing the arm where its position says is a local computation.

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>

#include "core/models/FrameCodec.h"
#include "core/models/LstmStack.h"

namespace cvae {

struct VideoCvaeOptions {
  TORCH_ARG(std::string, encoder) = "dcgan";
  TORCH_ARG(double, width) = 0.25;
  TORCH_ARG(int64_t, frame_dim) = 128;
  TORCH_ARG(int64_t, hidden_size) = 128;
  TORCH_ARG(int64_t, latent_size) = 16;
  TORCH_ARG(int64_t, condition_size) = 7;
  TORCH_ARG(int64_t, predictor_layers) = 2;
  TORCH_ARG(int64_t, posterior_layers) = 1;
  TORCH_ARG(int64_t, prior_layers) = 1;
  TORCH_ARG(bool, composite) = true;
  // The decoder also sees frame t's condition as maps beside coordinate maps (CoordConv).
  TORCH_ARG(bool, spatial_condition) = true;
  // With spatial_condition: maps around the end effector's position, the condition's last
  // three values in the course layout (FrameCodecOptions::position_index).
  TORCH_ARG(bool, position_maps) = false;
};

struct VideoLoss {
  torch::Tensor mse;  // sum over predicted steps of the per-pixel mean squared error
  torch::Tensor kl;   // sum over steps of KL(q || p), summed over z, averaged over the batch
  // The KL term as optimized: with free bits lambda > 0 (Kingma et al. 2016), per step
  // sum_j max(lambda, batch mean of KL_j), summed over steps; else the same tensor as `kl`.
  torch::Tensor kl_optimized;
  torch::Tensor last_prediction;  // [batch, 3, 64, 64] of the final step, for previews
};

// What the latent carries at each step, teacher-forced as in training: for t = 1..time-1,
// the posterior q(z_t | x_1..t) and its KL to the learned prior p(z_t | x_1..t-1).
struct VideoLatentTrace {
  torch::Tensor posterior_mean;  // [time - 1, batch, latent]
  torch::Tensor kl;              // [time - 1, batch, latent], nats (klPerDimension)
};

class VideoCvaeImpl : public torch::nn::Module {
 public:
  explicit VideoCvaeImpl(VideoCvaeOptions options);

  // `frames` [time, batch, 3, 64, 64] float in [0, 1], `conditions` [time, batch, 7]. Predicts
  // frames 1..time-1; rows of `teacher_forced` ([batch] bool) that are false feed their own
  // predictions back into the encoder after the first `past` frames.
  // `free_bits`: nats per latent dimension and step that cost nothing (kl_optimized).
  VideoLoss forwardTraining(const torch::Tensor& frames, const torch::Tensor& conditions,
                            int64_t past, const torch::Tensor& teacher_forced,
                            double free_bits = 0.0);

  // Predicts frames past..time-1 from the first `past` true frames and all conditions:
  // z_t from the learned prior (drawn with `generator`) or, when `use_posterior`, from the
  // posterior of the true frame (a reconstruction). Returns [time - past, batch, 3, 64, 64].
  torch::Tensor predict(const torch::Tensor& frames, const torch::Tensor& conditions, int64_t past,
                        bool use_posterior, at::Generator generator);

  // The collapse watch's view of `frames` [time, batch, 3, 64, 64]: the encoder, posterior
  // and prior only (nothing is decoded), so it costs a fraction of a forward pass.
  VideoLatentTrace latentTrace(const torch::Tensor& frames);

  const VideoCvaeOptions& options() const { return options_; }

 private:
  // Decoder output -> frame, composited over `last_frame` when options().composite().
  torch::Tensor toFrame(const torch::Tensor& decoded, const torch::Tensor& last_frame) const;

  VideoCvaeOptions options_;
  FrameEncoder encoder_{nullptr};
  FrameDecoder decoder_{nullptr};
  LstmStack predictor_{nullptr};
  GaussianLstm posterior_{nullptr}, prior_{nullptr};
};
TORCH_MODULE(VideoCvae);

}  // namespace cvae
