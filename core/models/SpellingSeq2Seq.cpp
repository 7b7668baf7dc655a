#include "core/models/SpellingSeq2Seq.h"

#include <torch/nn/functional/activation.h>

namespace cvae {

SpellingSeq2SeqImpl::SpellingSeq2SeqImpl(SpellingSeq2SeqOptions options)
    : options_(std::move(options)) {
  const auto& o = options_;
  encoder_ = register_module("encoder", CharEncoder(CharEncoderOptions()
                                                        .vocabulary_size(o.vocabulary_size())
                                                        .embedding_size(o.embedding_size())
                                                        .hidden_size(o.hidden_size())
                                                        .cell(o.cell())
                                                        .bidirectional(o.bidirectional())));
  to_context_ =
      register_module("to_context", torch::nn::Linear(encoder_->summarySize(), o.hidden_size()));
  decoder_ = register_module(
      "decoder", CharDecoder(CharDecoderOptions()
                                 .vocabulary_size(o.vocabulary_size())
                                 .embedding_size(o.embedding_size())
                                 .hidden_size(o.hidden_size())
                                 .condition_size(o.hidden_size())
                                 .cell(o.cell())
                                 .word_dropout(o.word_dropout())
                                 .attention_size(o.attention() ? encoder_->summarySize() : 0)
                                 .copy(o.copy())));
}

SpellingSeq2SeqImpl::Encoded SpellingSeq2SeqImpl::encode(const WordBatch& source) {
  const auto encoded = encoder_->forward(source, {}, options_.attention());
  Encoded out;
  out.context = torch::tanh(to_context_(encoded.summary));
  if (options_.attention()) out.letters = AttentionMemory::over(encoded.outputs, source);
  return out;
}

torch::Tensor SpellingSeq2SeqImpl::forwardTraining(const WordBatch& source, const WordBatch& target,
                                                   const torch::Tensor& teacher_forced) {
  const auto e = encode(source);
  return decoder_->forwardTraining(decoder_->startState(e.context.unsqueeze(0)), e.context, target,
                                   teacher_forced, e.letters);
}

std::vector<std::string> SpellingSeq2SeqImpl::correct(const WordBatch& source, int64_t max_length,
                                                      const Lexicon* lexicon) {
  const auto e = encode(source);
  return decoder_->decodeGreedy(decoder_->startState(e.context.unsqueeze(0)), e.context, max_length,
                                e.letters, lexicon);
}

torch::Tensor SpellingSeq2SeqImpl::logLikelihood(const WordBatch& source,
                                                 const torch::Tensor& source_row,
                                                 const WordBatch& target) {
  const auto e = encode(source);
  const auto rows = source_row.to(e.context.device());
  const auto context = e.context.index_select(0, rows);
  const auto letters = e.letters.rows(rows);  // undefined without attention
  const auto logits =
      decoder_->forwardTraining(decoder_->startState(context.unsqueeze(0)), context, target,
                                torch::ones({target.size()}, torch::kBool), letters);
  // With the copy option the outputs are log-probabilities already; log_softmax leaves them so.
  const auto chosen = torch::log_softmax(logits, 2).gather(2, target.ids.unsqueeze(2)).squeeze(2);
  return (chosen * target.mask.to(chosen.dtype())).sum(0);
}

}  // namespace cvae
