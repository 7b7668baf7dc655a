#pragma once
// Embedding + recurrent layer over a batch of words (letters + EOS, padded). Padding is
// skipped (RecurrentLayer::forwardPadded), so a word's encoding does not depend on the words
// batched with it.

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

#include <string>

#include "core/data/WordBatch.h"
#include "core/models/RecurrentLayer.h"

namespace cvae {

struct CharEncoderOptions {
  TORCH_ARG(int64_t, vocabulary_size) = 28;
  TORCH_ARG(int64_t, embedding_size) = 64;
  TORCH_ARG(int64_t, hidden_size) = 256;
  TORCH_ARG(std::string, cell) = "lstm";
  TORCH_ARG(bool, bidirectional) = false;
};

struct EncodedWords {
  // [batch, directions * hidden]: the final hidden states of all directions side by side.
  torch::Tensor summary;
  RecurrentState state;  // final state, [directions, batch, hidden]
  // [time, batch, directions * hidden]: the state after each letter (positions past a word's
  // end are padding), when asked for; a bidirectional encoder's reverse half at letter p has
  // read the word from its end back to p.
  torch::Tensor outputs;
};

class CharEncoderImpl : public torch::nn::Module {
 public:
  explicit CharEncoderImpl(CharEncoderOptions options);

  int64_t directions() const { return options_.bidirectional() ? 2 : 1; }
  int64_t summarySize() const { return directions() * options_.hidden_size(); }

  // `initial_hidden` is [directions, batch, hidden]; undefined means zeros. `with_outputs`
  // also gives every step's state.
  EncodedWords forward(const WordBatch& words, torch::Tensor initial_hidden = {},
                       bool with_outputs = false);

  const CharEncoderOptions& options() const { return options_; }

 private:
  CharEncoderOptions options_;
  torch::nn::Embedding embedding_{nullptr};
  RecurrentLayer rnn_{nullptr};
};
TORCH_MODULE(CharEncoder);

}  // namespace cvae
