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

EncodedWords CharEncoderImpl::forward(const WordBatch& words, torch::Tensor initial_hidden,
                                      bool with_outputs) {
  if (!initial_hidden.defined())
    initial_hidden = torch::zeros({directions(), words.size(), options_.hidden_size()},
                                  embedding_->weight.options());
  EncodedWords out;
  if (with_outputs && options_.bidirectional()) {
    // The reverse direction must start at each word's own last letter, not its padding.
    auto run = rnn_->forwardPaddedOutputs(TokenInput{words.ids, embedding_->weight, {}, {}},
                                          words.lengths, rnn_->initialState(initial_hidden));
    out.outputs = run.output;
    out.state = run.state;
    out.summary = out.state.hidden.permute({1, 0, 2}).reshape({words.size(), -1});
    return out;
  }
  if (with_outputs) {
    // One direction: a step depends only on the letters before it, so running the padded batch
    // whole gives each word's states up to its end, and its final state at length - 1.
    auto run = rnn_->forward(TokenInput{words.ids, embedding_->weight, {}, {}},
                             rnn_->initialState(initial_hidden));
    out.outputs = run.output;
    const auto last = (words.lengths.to(torch::kLong) - 1).to(run.output.device());
    const auto index = last.view({1, -1, 1}).expand({1, words.size(), run.output.size(2)});
    out.state.hidden = run.output.gather(0, index);  // [1, batch, hidden]
    out.summary = out.state.hidden.squeeze(0);
    return out;
  }
  out.state = rnn_->forwardPadded(TokenInput{words.ids, embedding_->weight, {}, {}}, words.lengths,
                                  rnn_->initialState(initial_hidden));
  // [directions, batch, hidden] -> [batch, directions * hidden]
  out.summary = out.state.hidden.permute({1, 0, 2}).reshape({words.size(), -1});
  return out;
}

}  // namespace cvae
