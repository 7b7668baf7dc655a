#pragma once
// One recurrent layer, LSTM or GRU, behind a single interface so encoders and decoders are
// written once. The state is a named struct; for a GRU its cell tensor stays undefined.
// An LSTM on float32 CPU tensors runs through fusedLstm (FusedLstm.h), which is faster than
// torch's own and computes the same with the same parameters (so checkpoints do not change):
// in one direction always, in both when only the final states are asked for (forwardPadded).
// Everything else runs through torch::nn::LSTM / GRU.

#include <torch/nn/module.h>
#include <torch/nn/modules/rnn.h>
#include <torch/nn/pimpl.h>
#include <torch/nn/utils/rnn.h>

#include "core/models/FusedLstm.h"

namespace cvae {

struct RecurrentState {
  torch::Tensor hidden;                                           // [directions, batch, hidden]
  torch::Tensor cell;                                             // LSTM only
  RecurrentState select(const torch::Tensor& batch_index) const;  // rows of the batch
};

struct RecurrentLayerOptions {
  RecurrentLayerOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TORCH_ARG(int64_t, input_size);
  TORCH_ARG(int64_t, hidden_size);
  TORCH_ARG(std::string, cell) = "lstm";  // lstm | gru
  TORCH_ARG(bool, bidirectional) = false;
};

// An input sequence of tokens: each step's input is the token's embedding (zeroed where `keep`
// is 0) followed by a per-row condition that is the same at every step. Given this way, the
// LSTM projects the embedding table and the condition once instead of every step's input.
struct TokenInput {
  torch::Tensor ids;        // [time, batch] int64
  torch::Tensor embedding;  // [vocabulary, embedding size], e.g. an Embedding's weight
  torch::Tensor condition;  // [batch, condition size], or undefined
  torch::Tensor keep;       // [time, batch] of 0/1 floats (word dropout), or undefined

  // The explicit input, [time, batch, embedding size + condition size].
  torch::Tensor embedded() const;
  // The same input with its batch rows reordered.
  TokenInput rows(const torch::Tensor& order) const;
  // The same input with each row's first `lengths[row]` steps in reverse order.
  TokenInput reversedWithin(const torch::Tensor& lengths) const;
};

struct RecurrentOutput {
  torch::Tensor output;  // [time, batch, directions * hidden]
  RecurrentState state;
};

class RecurrentLayerImpl : public torch::nn::Module {
 public:
  explicit RecurrentLayerImpl(RecurrentLayerOptions options);

  // `initial_hidden` is [directions, batch, hidden]; the LSTM cell state starts at zero.
  RecurrentState initialState(const torch::Tensor& initial_hidden) const;
  // `input` [time, batch, input].
  RecurrentOutput forward(const torch::Tensor& input, const RecurrentState& state);
  RecurrentOutput forward(const TokenInput& input, const RecurrentState& state);
  // Runs over a padded batch with `lengths` ([batch] int64 on the CPU) and returns the state
  // after each sequence's own last step: the padding does not change it.
  RecurrentState forwardPadded(const TokenInput& input, const torch::Tensor& lengths,
                               const RecurrentState& state);
  // As forwardPadded, and also the state after each step, in both directions when the layer
  // has two: output[t, b] is [forward state after letters 0..t, reverse state after letters
  // length-1..t] of row b, so the reverse half reads each row from its own end, never its
  // padding. Steps past a row's end hold no meaning (mask them by `lengths`).
  RecurrentOutput forwardPaddedOutputs(const TokenInput& input, const torch::Tensor& lengths,
                                       const RecurrentState& state);

  bool isLstm() const { return !lstm_.is_empty(); }
  const RecurrentLayerOptions& options() const { return options_; }

 private:
  // Whether fusedLstm runs this layer on tensors like `like`.
  bool runsFused(const torch::Tensor& like) const;
  RecurrentOutput forwardFused(const LstmInputGates& input, const torch::Tensor& w_hh,
                               const RecurrentState& state);
  // Both padded runs, fused or packed; `output` is undefined unless `with_outputs`.
  RecurrentOutput runPadded(const TokenInput& input, const torch::Tensor& lengths,
                            const RecurrentState& state, bool with_outputs);

  RecurrentLayerOptions options_;
  torch::nn::LSTM lstm_{nullptr};
  torch::nn::GRU gru_{nullptr};
};
TORCH_MODULE(RecurrentLayer);

}  // namespace cvae
