#include "core/models/CharEncoder.h"

#include <ATen/ATen.h>

namespace cvae {

CharEncoderImpl::CharEncoderImpl(CharEncoderOptions options) : options_(std::move(options)) {
  const auto& o = options_;
  embedding_ =
      register_module("embedding", torch::nn::Embedding(o.vocabulary_size(), o.embedding_size()));
  rnn_ = register_module("rnn",
                         RecurrentLayer(RecurrentLayerOptions(o.embedding_size(), o.hidden_size())
                                            .cell(o.cell())
                                            .bidirectional(o.bidirectional())));
}

EncodedWords CharEncoderImpl::forward(const WordBatch& words, torch::Tensor initial_hidden) {
  if (!initial_hidden.defined())
    initial_hidden = torch::zeros({directions(), words.size(), options_.hidden_size()},
                                  embedding_->weight.options());
  EncodedWords out;
  out.state = rnn_->forwardPadded(TokenInput{words.ids, embedding_->weight, {}, {}}, words.lengths,
                                  rnn_->initialState(initial_hidden));
  // [directions, batch, hidden] -> [batch, directions * hidden]
  out.summary = out.state.hidden.permute({1, 0, 2}).reshape({words.size(), -1});
  return out;
}

}  // namespace cvae
