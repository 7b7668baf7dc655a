#pragma once
// One recurrent layer, LSTM or GRU, behind a single interface so encoders and decoders are
// written once. The state is a named struct; for a GRU its cell tensor stays undefined.

#include <torch/nn/module.h>
#include <torch/nn/modules/rnn.h>
#include <torch/nn/pimpl.h>
#include <torch/nn/utils/rnn.h>

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

struct RecurrentOutput {
  torch::Tensor output;  // [time, batch, directions * hidden]
  RecurrentState state;
};

class RecurrentLayerImpl : public torch::nn::Module {
 public:
  explicit RecurrentLayerImpl(RecurrentLayerOptions options);

  // `initial_hidden` is [directions, batch, hidden]; the LSTM cell state starts at zero.
  RecurrentState initialState(const torch::Tensor& initial_hidden) const;
  RecurrentOutput forward(const torch::Tensor& input, const RecurrentState& state);
  // Runs over a packed batch and returns the state after each sequence's own last step.
  RecurrentState forwardPacked(const torch::nn::utils::rnn::PackedSequence& input,
                               const RecurrentState& state);

  bool isLstm() const { return !lstm_.is_empty(); }
  const RecurrentLayerOptions& options() const { return options_; }

 private:
  RecurrentLayerOptions options_;
  torch::nn::LSTM lstm_{nullptr};
  torch::nn::GRU gru_{nullptr};
};
TORCH_MODULE(RecurrentLayer);

}  // namespace cvae
