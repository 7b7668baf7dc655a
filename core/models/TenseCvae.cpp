#include "core/models/TenseCvae.h"

#include <torch/nn/utils/rnn.h>

#include "core/data/CharVocabulary.h"

namespace cvae {

namespace rnn = torch::nn::utils::rnn;

TenseCvaeImpl::TenseCvaeImpl(TenseCvaeOptions options) : options_(std::move(options)) {
  const auto& o = options_;
  encoder_embedding_ = register_module(
      "encoder_embedding", torch::nn::Embedding(o.vocabulary_size(), o.embedding_size()));
  decoder_embedding_ = register_module(
      "decoder_embedding", torch::nn::Embedding(o.vocabulary_size(), o.embedding_size()));
  tense_embedding_ =
      register_module("tense_embedding", torch::nn::Embedding(o.tense_count(), o.condition_size()));
  encoder_ = register_module(
      "encoder",
      RecurrentLayer(RecurrentLayerOptions(o.embedding_size(), o.hidden_size()).cell(o.cell())));
  const int64_t decoder_input = o.embedding_size() + o.latent_size() + o.condition_size();
  decoder_ = register_module(
      "decoder",
      RecurrentLayer(RecurrentLayerOptions(decoder_input, o.hidden_size()).cell(o.cell())));
  to_mean_ = register_module("to_mean", torch::nn::Linear(o.hidden_size(), o.latent_size()));
  to_logvar_ = register_module("to_logvar", torch::nn::Linear(o.hidden_size(), o.latent_size()));
  to_decoder_hidden_ =
      register_module("to_decoder_hidden",
                      torch::nn::Linear(o.latent_size() + o.condition_size(), o.hidden_size()));
  to_logits_ =
      register_module("to_logits", torch::nn::Linear(o.hidden_size(), o.vocabulary_size()));
}

DiagonalGaussian TenseCvaeImpl::encode(const WordBatch& words, const torch::Tensor& tenses) {
  const int64_t batch = words.size();
  const auto condition = tense_embedding_(tenses);  // [batch, condition]
  const auto padding = torch::zeros({batch, options_.hidden_size() - options_.condition_size()},
                                    condition.options());
  const auto h0 = torch::cat({padding, condition}, 1).unsqueeze(0);
  const auto packed = rnn::pack_padded_sequence(encoder_embedding_(words.ids), words.lengths,
                                                /*batch_first=*/false, /*enforce_sorted=*/false);
  const auto last = encoder_->forwardPacked(packed, encoder_->initialState(h0)).hidden.squeeze(0);
  return {to_mean_(last), to_logvar_(last)};
}

RecurrentState TenseCvaeImpl::decoderStart(const torch::Tensor& z, const torch::Tensor& tenses) {
  const auto h0 = to_decoder_hidden_(torch::cat({z, tense_embedding_(tenses)}, 1)).unsqueeze(0);
  return decoder_->initialState(h0);
}

torch::Tensor TenseCvaeImpl::stepCondition(const torch::Tensor& z, const torch::Tensor& tenses) {
  return torch::cat({z, tense_embedding_(tenses)}, 1);
}

torch::Tensor TenseCvaeImpl::decoderInput(const torch::Tensor& characters,
                                          const torch::Tensor& condition) {
  const auto embedded = decoder_embedding_(characters);  // [time, batch, embedding]
  return torch::cat({embedded, condition.unsqueeze(0).expand({embedded.size(0), -1, -1})}, 2);
}

torch::Tensor TenseCvaeImpl::decodeTeacherForced(const RecurrentState& start,
                                                 const torch::Tensor& condition,
                                                 const torch::Tensor& inputs) {
  return to_logits_(decoder_->forward(decoderInput(inputs, condition), start).output);
}

torch::Tensor TenseCvaeImpl::decodeFreeRunning(RecurrentState state, const torch::Tensor& condition,
                                               int64_t steps) {
  const int64_t batch = state.hidden.size(1);
  auto input =
      torch::full({1, batch}, CharVocabulary::kSos,
                  torch::TensorOptions().dtype(torch::kLong).device(state.hidden.device()));
  std::vector<torch::Tensor> logits;
  logits.reserve(steps);
  for (int64_t t = 0; t < steps; ++t) {
    auto out = decoder_->forward(decoderInput(input, condition), state);
    state = out.state;
    auto step_logits = to_logits_(out.output);  // [1, batch, vocabulary]
    input = step_logits.argmax(2).detach();
    logits.push_back(step_logits);
  }
  return torch::cat(logits, 0);
}

torch::Tensor TenseCvaeImpl::decodeForTraining(const torch::Tensor& z, const torch::Tensor& tenses,
                                               const WordBatch& target,
                                               const torch::Tensor& teacher_forced) {
  const auto start = decoderStart(z, tenses);
  const auto condition = stepCondition(z, tenses);
  const auto inputs = target.shiftedRight();
  const int64_t steps = target.ids.size(0);
  const auto forced = teacher_forced.to(torch::kCPU);
  const int64_t forced_count = forced.sum().item<int64_t>();
  if (forced_count == target.size()) return decodeTeacherForced(start, condition, inputs);
  if (forced_count == 0) return decodeFreeRunning(start, condition, steps);

  // A mixed batch: each half runs its own way, then the rows go back to their places. Teacher-
  // forced rows take the whole sequence in one call, which is much faster than stepping.
  const auto device = z.device();
  const auto forced_rows = forced.nonzero().squeeze(1).to(device);
  const auto free_rows = forced.logical_not().nonzero().squeeze(1).to(device);
  const auto forced_logits =
      decodeTeacherForced(start.select(forced_rows), condition.index_select(0, forced_rows),
                          inputs.index_select(1, forced_rows));
  const auto free_logits =
      decodeFreeRunning(start.select(free_rows), condition.index_select(0, free_rows), steps);
  auto logits = torch::empty({steps, target.size(), options_.vocabulary_size()}, z.options());
  return logits.index_copy(1, forced_rows, forced_logits).index_copy(1, free_rows, free_logits);
}

std::vector<std::string> TenseCvaeImpl::decodeGreedy(const torch::Tensor& z,
                                                     const torch::Tensor& tenses,
                                                     int64_t max_length) {
  auto state = decoderStart(z, tenses);
  const auto condition = stepCondition(z, tenses);
  const int64_t batch = z.size(0);
  auto input = torch::full({1, batch}, CharVocabulary::kSos,
                           torch::TensorOptions().dtype(torch::kLong).device(z.device()));
  std::vector<std::string> words(batch);
  std::vector<bool> done(batch, false);
  int64_t remaining = batch;
  for (int64_t t = 0; t < max_length && remaining > 0; ++t) {
    auto out = decoder_->forward(decoderInput(input, condition), state);
    state = out.state;
    input = to_logits_(out.output).argmax(2);
    const auto ids = input.to(torch::kCPU);
    const auto* id = ids.data_ptr<int64_t>();
    for (int64_t b = 0; b < batch; ++b) {
      if (done[b]) continue;
      if (id[b] == CharVocabulary::kEos || id[b] < CharVocabulary::kFirstLetter) {
        done[b] = true;
        --remaining;
      } else {
        words[b].push_back(CharVocabulary::letter(id[b]));
      }
    }
  }
  return words;
}

}  // namespace cvae
