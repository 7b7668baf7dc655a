#include "core/models/RecurrentLayer.h"

#include <stdexcept>

namespace cvae {

RecurrentState RecurrentState::select(const torch::Tensor& batch_index) const {
  RecurrentState s;
  s.hidden = hidden.index_select(1, batch_index);
  if (cell.defined()) s.cell = cell.index_select(1, batch_index);
  return s;
}

RecurrentLayerImpl::RecurrentLayerImpl(RecurrentLayerOptions options)
    : options_(std::move(options)) {
  if (options_.cell() == "lstm") {
    lstm_ = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(options_.input_size(),
                                                                           options_.hidden_size())
                                                        .bidirectional(options_.bidirectional())));
  } else if (options_.cell() == "gru") {
    gru_ = register_module(
        "gru", torch::nn::GRU(torch::nn::GRUOptions(options_.input_size(), options_.hidden_size())
                                  .bidirectional(options_.bidirectional())));
  } else {
    throw std::invalid_argument("unknown recurrent cell '" + options_.cell() + "' (lstm or gru)");
  }
}

RecurrentState RecurrentLayerImpl::initialState(const torch::Tensor& initial_hidden) const {
  RecurrentState s;
  s.hidden = initial_hidden;
  if (isLstm()) s.cell = torch::zeros_like(initial_hidden);
  return s;
}

RecurrentOutput RecurrentLayerImpl::forward(const torch::Tensor& input,
                                            const RecurrentState& state) {
  RecurrentOutput out;
  if (isLstm()) {
    auto [output, hc] = lstm_->forward(input, std::make_tuple(state.hidden, state.cell));
    out.output = output;
    out.state.hidden = std::get<0>(hc);
    out.state.cell = std::get<1>(hc);
  } else {
    auto [output, h] = gru_->forward(input, state.hidden);
    out.output = output;
    out.state.hidden = h;
  }
  return out;
}

RecurrentState RecurrentLayerImpl::forwardPacked(const torch::nn::utils::rnn::PackedSequence& input,
                                                 const RecurrentState& state) {
  RecurrentState out;
  if (isLstm()) {
    auto result =
        lstm_->forward_with_packed_input(input, std::make_tuple(state.hidden, state.cell));
    out.hidden = std::get<0>(std::get<1>(result));
    out.cell = std::get<1>(std::get<1>(result));
  } else {
    auto result = gru_->forward_with_packed_input(input, state.hidden);
    out.hidden = std::get<1>(result);
  }
  return out;
}

}  // namespace cvae
