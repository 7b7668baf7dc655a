#include "core/models/SpellingSeq2Seq.h"

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
  decoder_ = register_module("decoder", CharDecoder(CharDecoderOptions()
                                                        .vocabulary_size(o.vocabulary_size())
                                                        .embedding_size(o.embedding_size())
                                                        .hidden_size(o.hidden_size())
                                                        .condition_size(o.hidden_size())
                                                        .cell(o.cell())
                                                        .word_dropout(o.word_dropout())));
}

torch::Tensor SpellingSeq2SeqImpl::context(const WordBatch& source) {
  return torch::tanh(to_context_(encoder_->forward(source).summary));
}

torch::Tensor SpellingSeq2SeqImpl::forwardTraining(const WordBatch& source, const WordBatch& target,
                                                   const torch::Tensor& teacher_forced) {
  const auto c = context(source);
  return decoder_->forwardTraining(decoder_->startState(c.unsqueeze(0)), c, target, teacher_forced);
}

std::vector<std::string> SpellingSeq2SeqImpl::correct(const WordBatch& source, int64_t max_length) {
  const auto c = context(source);
  return decoder_->decodeGreedy(decoder_->startState(c.unsqueeze(0)), c, max_length);
}

}  // namespace cvae
