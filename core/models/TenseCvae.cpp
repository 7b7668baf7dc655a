#include "core/models/TenseCvae.h"

namespace cvae {

TenseCvaeImpl::TenseCvaeImpl(TenseCvaeOptions options) : options_(std::move(options)) {
  const auto& o = options_;
  tense_embedding_ =
      register_module("tense_embedding", torch::nn::Embedding(o.tense_count(), o.condition_size()));
  encoder_ = register_module("encoder", CharEncoder(CharEncoderOptions()
                                                        .vocabulary_size(o.vocabulary_size())
                                                        .embedding_size(o.embedding_size())
                                                        .hidden_size(encoderHiddenSize())
                                                        .cell(o.cell())
                                                        .bidirectional(o.bidirectional())));
  decoder_ = register_module(
      "decoder", CharDecoder(CharDecoderOptions()
                                 .vocabulary_size(o.vocabulary_size())
                                 .embedding_size(o.embedding_size())
                                 .hidden_size(o.hidden_size())
                                 .condition_size(o.latent_size() + o.condition_size())
                                 .cell(o.cell())
                                 .word_dropout(o.word_dropout())
                                 .attention_size(o.attention() ? encoder_->summarySize() : 0)
                                 .copy(o.copy())));
  const int64_t summary = encoder_->summarySize();
  to_mean_ = register_module("to_mean", torch::nn::Linear(summary, o.latent_size()));
  to_logvar_ = register_module("to_logvar", torch::nn::Linear(summary, o.latent_size()));
  to_decoder_hidden_ =
      register_module("to_decoder_hidden",
                      torch::nn::Linear(o.latent_size() + o.condition_size(), o.hidden_size()));
}

DiagonalGaussian TenseCvaeImpl::encode(const WordBatch& words, const torch::Tensor& tenses,
                                       AttentionMemory* memory) {
  const int64_t batch = words.size();
  const auto condition = tense_embedding_(tenses);  // [batch, condition]
  const auto padding =
      torch::zeros({batch, encoderHiddenSize() - options_.condition_size()}, condition.options());
  // The tense starts every direction.
  const auto h0 =
      torch::cat({padding, condition}, 1).unsqueeze(0).repeat({encoder_->directions(), 1, 1});
  const bool with_memory = memory && options_.attention();
  const auto encoded = encoder_->forward(words, h0, with_memory);
  if (with_memory)
    *memory = AttentionMemory::over(
        torch::dropout(encoded.outputs, options_.dropout(), is_training()), words);
  const auto& last = encoded.summary;
  return {to_mean_(last), to_logvar_(last)};
}

RecurrentState TenseCvaeImpl::decoderStart(const torch::Tensor& z, const torch::Tensor& tenses) {
  return decoder_->startState(
      to_decoder_hidden_(torch::cat({z, tense_embedding_(tenses)}, 1)).unsqueeze(0));
}

torch::Tensor TenseCvaeImpl::stepCondition(const torch::Tensor& z, const torch::Tensor& tenses) {
  return torch::cat({z, tense_embedding_(tenses)}, 1);
}

torch::Tensor TenseCvaeImpl::decodeForTraining(const torch::Tensor& z, const torch::Tensor& tenses,
                                               const WordBatch& target,
                                               const torch::Tensor& teacher_forced,
                                               const AttentionMemory& memory) {
  return decoder_->forwardTraining(decoderStart(z, tenses), stepCondition(z, tenses), target,
                                   teacher_forced, memory);
}

std::vector<std::string> TenseCvaeImpl::decodeGreedy(const torch::Tensor& z,
                                                     const torch::Tensor& tenses,
                                                     int64_t max_length,
                                                     const AttentionMemory& memory) {
  return decoder_->decodeGreedy(decoderStart(z, tenses), stepCondition(z, tenses), max_length,
                                memory);
}

}  // namespace cvae
