#include "core/models/LstmStack.h"

#include <torch/nn/modules/rnn.h>

namespace cvae {

LstmCoreImpl::LstmCoreImpl(const LstmStackOptions& options) : options_(options) {
  embed_ = register_module("embed", torch::nn::Linear(options.input_size(), options.hidden_size()));
  cells_ = register_module("cells", torch::nn::ModuleList());
  for (int64_t i = 0; i < options.layers(); ++i)
    cells_->push_back(torch::nn::LSTMCell(options.hidden_size(), options.hidden_size()));
}

LstmStackState LstmCoreImpl::initialState(int64_t batch,
                                          const torch::TensorOptions& tensor_options) const {
  LstmStackState state;
  for (int64_t i = 0; i < options_.layers(); ++i) {
    state.hidden.push_back(torch::zeros({batch, options_.hidden_size()}, tensor_options));
    state.cell.push_back(torch::zeros({batch, options_.hidden_size()}, tensor_options));
  }
  return state;
}

torch::Tensor LstmCoreImpl::forward(const torch::Tensor& input, LstmStackState& state) {
  auto x = embed_(input);
  for (size_t i = 0; i < cells_->size(); ++i) {
    auto [h, c] = cells_[i]->as<torch::nn::LSTMCell>()->forward(
        x, std::make_tuple(state.hidden[i], state.cell[i]));
    state.hidden[i] = h;
    state.cell[i] = c;
    x = h;
  }
  return x;
}

LstmStackImpl::LstmStackImpl(const LstmStackOptions& options) {
  core_ = register_module("core", LstmCore(options));
  output_ =
      register_module("output", torch::nn::Linear(options.hidden_size(), options.output_size()));
}

torch::Tensor LstmStackImpl::forward(const torch::Tensor& input, LstmStackState& state) {
  return torch::tanh(output_(core_->forward(input, state)));
}

GaussianLstmImpl::GaussianLstmImpl(const LstmStackOptions& options) {
  core_ = register_module("core", LstmCore(options));
  to_mean_ =
      register_module("to_mean", torch::nn::Linear(options.hidden_size(), options.output_size()));
  to_logvar_ =
      register_module("to_logvar", torch::nn::Linear(options.hidden_size(), options.output_size()));
}

DiagonalGaussian GaussianLstmImpl::forward(const torch::Tensor& input, LstmStackState& state) {
  const auto h = core_->forward(input, state);
  return {to_mean_(h), to_logvar_(h)};
}

}  // namespace cvae
