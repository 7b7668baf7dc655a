#pragma once
// The recurrent parts of SVG: a stack of LSTM cells between a linear embedding and a linear
// output (the frame predictor), and the same stack with Gaussian heads (the posterior
// q(z_t | x_1..t) and the learned prior p(z_t | x_1..t-1)). The state is explicit and made
// for each batch, so nothing depends on a fixed batch size.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "core/models/Gaussian.h"

namespace cvae {

struct LstmStackOptions {
  LstmStackOptions(int64_t input_size, int64_t output_size, int64_t hidden_size)
      : input_size_(input_size), output_size_(output_size), hidden_size_(hidden_size) {}
  TORCH_ARG(int64_t, input_size);
  TORCH_ARG(int64_t, output_size);
  TORCH_ARG(int64_t, hidden_size);
  TORCH_ARG(int64_t, layers) = 1;
};

struct LstmStackState {
  std::vector<torch::Tensor> hidden, cell;  // one [batch, hidden] pair per layer
};

// Embedding -> LSTM cells -> the last layer's hidden state.
class LstmCoreImpl : public torch::nn::Module {
 public:
  explicit LstmCoreImpl(const LstmStackOptions& options);
  LstmStackState initialState(int64_t batch, const torch::TensorOptions& tensor_options) const;
  torch::Tensor forward(const torch::Tensor& input, LstmStackState& state);

 private:
  LstmStackOptions options_;
  torch::nn::Linear embed_{nullptr};
  torch::nn::ModuleList cells_{nullptr};
};
TORCH_MODULE(LstmCore);

// The frame predictor: tanh(Linear(core output)).
class LstmStackImpl : public torch::nn::Module {
 public:
  explicit LstmStackImpl(const LstmStackOptions& options);
  LstmStackState initialState(int64_t batch, const torch::TensorOptions& o) const {
    return core_->initialState(batch, o);
  }
  torch::Tensor forward(const torch::Tensor& input, LstmStackState& state);

 private:
  LstmCore core_{nullptr};
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(LstmStack);

// Posterior and prior: Linear heads for the mean and log-variance of z_t.
class GaussianLstmImpl : public torch::nn::Module {
 public:
  explicit GaussianLstmImpl(const LstmStackOptions& options);
  LstmStackState initialState(int64_t batch, const torch::TensorOptions& o) const {
    return core_->initialState(batch, o);
  }
  DiagonalGaussian forward(const torch::Tensor& input, LstmStackState& state);

 private:
  LstmCore core_{nullptr};
  torch::nn::Linear to_mean_{nullptr}, to_logvar_{nullptr};
};
TORCH_MODULE(GaussianLstm);

}  // namespace cvae
