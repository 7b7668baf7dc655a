#include "core/models/VideoCvae.h"

#include <ATen/ATen.h>

namespace cvae {

VideoCvaeImpl::VideoCvaeImpl(VideoCvaeOptions options) : options_(std::move(options)) {
  const auto& o = options_;
  const auto codec =
      FrameCodecOptions().variant(o.encoder()).width(o.width()).frame_dim(o.frame_dim());
  encoder_ = register_module("encoder", FrameEncoder(codec));
  decoder_ = register_module(
      "decoder", FrameDecoder(FrameCodecOptions(codec)
                                  .output_channels(o.composite() ? 4 : 3)
                                  .spatial_condition(o.spatial_condition() ? o.condition_size() : 0)
                                  .position_index(o.spatial_condition() && o.position_maps()
                                                      ? o.condition_size() - 3
                                                      : -1)));
  predictor_ = register_module(
      "predictor", LstmStack(LstmStackOptions(o.frame_dim() + o.latent_size() + o.condition_size(),
                                              o.frame_dim(), o.hidden_size())
                                 .layers(o.predictor_layers())));
  posterior_ = register_module(
      "posterior", GaussianLstm(LstmStackOptions(o.frame_dim(), o.latent_size(), o.hidden_size())
                                    .layers(o.posterior_layers())));
  prior_ = register_module(
      "prior", GaussianLstm(LstmStackOptions(o.frame_dim(), o.latent_size(), o.hidden_size())
                                .layers(o.prior_layers())));
}

torch::Tensor VideoCvaeImpl::toFrame(const torch::Tensor& decoded,
                                     const torch::Tensor& last_frame) const {
  if (!options_.composite()) return decoded;
  const auto colour = decoded.slice(1, 0, 3);
  const auto mask = decoded.slice(1, 3, 4);
  return mask * colour + (1 - mask) * last_frame;
}

VideoLoss VideoCvaeImpl::forwardTraining(const torch::Tensor& frames,
                                         const torch::Tensor& conditions, int64_t past,
                                         const torch::Tensor& teacher_forced, double free_bits) {
  const int64_t time = frames.size(0), batch = frames.size(1);
  const auto tensor_options = frames.options();
  // Every true frame is encoded in one batched call: it is both the input of the next step
  // and the posterior's target of its own.
  const auto truth = encoder_->forward(frames.flatten(0, 1));
  const auto truth_vectors = truth.vector.view({time, batch, -1});
  std::vector<torch::Tensor> skips;  // of the last conditioning frame
  for (const auto& s : truth.skips)
    skips.push_back(s.view({time, batch, s.size(1), s.size(2), s.size(3)})[past - 1]);

  const auto forced = teacher_forced.to(frames.device()).view({batch, 1});
  const bool all_forced = teacher_forced.all().item<bool>();
  auto predictor_state = predictor_->initialState(batch, tensor_options);
  auto posterior_state = posterior_->initialState(batch, tensor_options);
  auto prior_state = prior_->initialState(batch, tensor_options);

  VideoLoss loss;
  loss.kl = torch::zeros({}, tensor_options);
  loss.kl_optimized = torch::zeros({}, tensor_options);
  std::vector<torch::Tensor> outputs;  // predictor outputs, decoded together when all forced
  torch::Tensor previous_prediction;
  torch::Tensor mse = torch::zeros({}, tensor_options);
  for (int64_t t = 1; t < time; ++t) {
    auto h = truth_vectors[t - 1];
    if (!all_forced && t - 1 >= past)
      h = torch::where(forced, h, encoder_->forward(previous_prediction.detach()).vector);
    const auto q = posterior_->forward(truth_vectors[t], posterior_state);
    const auto p = prior_->forward(h, prior_state);
    const auto g =
        predictor_->forward(torch::cat({h, q.sample(), conditions[t]}, 1), predictor_state);
    const auto kl_per_dim = klPerDimension(q, p);  // [batch, latent]
    loss.kl = loss.kl + kl_per_dim.sum(1).mean();
    if (free_bits > 0)
      loss.kl_optimized = loss.kl_optimized + klWithFreeBits(kl_per_dim, free_bits);
    if (all_forced) {
      outputs.push_back(g);
    } else {
      previous_prediction = toFrame(decoder_->forward(g, skips, conditions[t]), frames[past - 1]);
      mse = mse + (previous_prediction - frames[t]).pow(2).mean();
    }
  }
  if (all_forced) {
    // Teacher forcing never feeds a prediction back, so all steps decode in one call.
    const int64_t steps = time - 1;
    std::vector<torch::Tensor> repeated;
    for (const auto& s : skips) repeated.push_back(s.repeat({steps, 1, 1, 1}));
    const auto decoded =
        decoder_->forward(torch::cat(outputs, 0), repeated, conditions.slice(0, 1).flatten(0, 1));
    const auto predicted =
        toFrame(decoded, frames[past - 1].repeat({steps, 1, 1, 1})).view_as(frames.slice(0, 1));
    mse = (predicted - frames.slice(0, 1)).pow(2).mean({1, 2, 3, 4}).sum();
    previous_prediction = predicted[steps - 1];
  }
  if (free_bits <= 0) loss.kl_optimized = loss.kl;
  loss.mse = mse;
  loss.last_prediction = previous_prediction.detach();
  return loss;
}

VideoLatentTrace VideoCvaeImpl::latentTrace(const torch::Tensor& frames) {
  const int64_t time = frames.size(0), batch = frames.size(1);
  const auto tensor_options = frames.options();
  const auto truth = encoder_->forward(frames.flatten(0, 1)).vector.view({time, batch, -1});
  auto posterior_state = posterior_->initialState(batch, tensor_options);
  auto prior_state = prior_->initialState(batch, tensor_options);
  std::vector<torch::Tensor> means, kls;
  for (int64_t t = 1; t < time; ++t) {
    const auto q = posterior_->forward(truth[t], posterior_state);
    const auto p = prior_->forward(truth[t - 1], prior_state);
    means.push_back(q.mean);
    kls.push_back(klPerDimension(q, p));
  }
  return {torch::stack(means, 0), torch::stack(kls, 0)};
}

torch::Tensor VideoCvaeImpl::predict(const torch::Tensor& frames, const torch::Tensor& conditions,
                                     int64_t past, bool use_posterior, at::Generator generator) {
  const int64_t time = frames.size(0), batch = frames.size(1);
  const auto tensor_options = frames.options();
  auto predictor_state = predictor_->initialState(batch, tensor_options);
  auto posterior_state = posterior_->initialState(batch, tensor_options);
  auto prior_state = prior_->initialState(batch, tensor_options);
  std::vector<torch::Tensor> skips;
  std::vector<torch::Tensor> predicted;
  auto input = frames[0];
  for (int64_t t = 1; t < time; ++t) {
    const auto encoded = encoder_->forward(input);
    if (t - 1 < past) skips = encoded.skips;  // ends as the last conditioning frame's
    const auto p = prior_->forward(encoded.vector, prior_state);
    torch::Tensor z;
    // The posterior runs during the conditioning frames either way, as in training.
    if (use_posterior || t < past) {
      z = posterior_->forward(encoder_->forward(frames[t]).vector, posterior_state).mean;
    } else {
      z = p.sample(generator);
    }
    const auto g =
        predictor_->forward(torch::cat({encoded.vector, z, conditions[t]}, 1), predictor_state);
    if (t < past) {
      input = frames[t];
      continue;
    }
    const auto x = toFrame(decoder_->forward(g, skips, conditions[t]), frames[past - 1]);
    predicted.push_back(x);
    input = x;
  }
  return torch::stack(predicted, 0);
}

}  // namespace cvae
