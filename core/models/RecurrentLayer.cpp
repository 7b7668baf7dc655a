#include "core/models/RecurrentLayer.h"

#include <ATen/ATen.h>

#include <stdexcept>
#include <vector>

namespace cvae {

namespace {

// Step t of row b reads step lengths[b] - 1 - t for t < lengths[b], else step t: the map that
// reverses each row within its own length (it is its own inverse).
torch::Tensor reversingSteps(int64_t steps, const torch::Tensor& lengths) {
  const auto t = at::arange(steps, at::TensorOptions(at::kLong)).unsqueeze(1);
  const auto last = lengths.to(at::kLong).unsqueeze(0) - 1;
  return at::where(t <= last, last - t, t);
}

// torch::nn::LSTM's parameters of its only layer in one direction (0 forward, 1 reverse);
// all_weights() lists w_ih, w_hh, b_ih, b_hh for each direction in turn.
struct LstmWeights {
  LstmWeights(const torch::nn::LSTM& lstm, int64_t direction) {
    const auto w = lstm->all_weights();
    const size_t first = static_cast<size_t>(4 * direction);
    w_ih = w.at(first);
    w_hh = w.at(first + 1);
    bias = w.at(first + 2) + w.at(first + 3);
  }
  torch::Tensor w_ih, w_hh, bias;
};

// The input's share of the LSTM gates, x W_ih^T + b_ih + b_hh, as fusedLstm takes it. Every
// (step, row) of a plain input has its own projection: the table is the projections themselves.
LstmInputGates inputGates(const torch::Tensor& input, const LstmWeights& w) {
  const int64_t steps = input.size(0), batch = input.size(1);
  LstmInputGates gates;
  gates.table = at::mm(input.reshape({steps * batch, input.size(2)}), w.w_ih.t());
  gates.ids = at::arange(steps * batch, at::TensorOptions(at::kLong)).view({steps, batch});
  gates.row_bias = w.bias.expand({batch, -1});
  return gates;
}

LstmInputGates inputGates(const TokenInput& input, const LstmWeights& w) {
  const int64_t embedding_size = input.embedding.size(1);
  const int64_t condition_size = input.condition.defined() ? input.condition.size(1) : 0;
  if (embedding_size + condition_size != w.w_ih.size(1))
    throw std::invalid_argument("recurrent layer: token input is " +
                                std::to_string(embedding_size + condition_size) +
                                " wide, the layer takes " + std::to_string(w.w_ih.size(1)));
  LstmInputGates gates;
  // Every token's share of the gates is a row of the projected table ...
  gates.table = at::mm(input.embedding, w.w_ih.narrow(1, 0, embedding_size).t());
  gates.ids = input.ids;
  gates.keep = input.keep;
  // ... and the condition's, the same at every step, is part of the row's bias.
  const int64_t batch = input.ids.size(1);
  gates.row_bias =
      input.condition.defined()
          ? at::addmm(w.bias, input.condition, w.w_ih.narrow(1, embedding_size, condition_size).t())
          : w.bias.expand({batch, -1});
  return gates;
}

}  // namespace

RecurrentState RecurrentState::select(const torch::Tensor& batch_index) const {
  RecurrentState s;
  s.hidden = hidden.index_select(1, batch_index);
  if (cell.defined()) s.cell = cell.index_select(1, batch_index);
  return s;
}

torch::Tensor TokenInput::embedded() const {
  auto x = at::embedding(embedding, ids);
  if (keep.defined()) x = x * keep.unsqueeze(2);
  if (!condition.defined()) return x;
  return at::cat({x, condition.unsqueeze(0).expand({x.size(0), -1, -1})}, 2);
}

TokenInput TokenInput::reversedWithin(const torch::Tensor& lengths) const {
  // The padding after a row's end stays put.
  const auto source_step = reversingSteps(ids.size(0), lengths);
  TokenInput r = *this;
  r.ids = ids.gather(0, source_step);
  if (keep.defined()) r.keep = keep.gather(0, source_step);
  return r;
}

TokenInput TokenInput::rows(const torch::Tensor& order) const {
  TokenInput r = *this;
  r.ids = ids.index_select(1, order);
  if (condition.defined()) r.condition = condition.index_select(0, order);
  if (keep.defined()) r.keep = keep.index_select(1, order);
  return r;
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

bool RecurrentLayerImpl::runsFused(const torch::Tensor& like) const {
  return isLstm() && fusedLstmSupports(like, lstm_->all_weights().at(1));
}

RecurrentOutput RecurrentLayerImpl::forwardFused(const LstmInputGates& input,
                                                 const torch::Tensor& w_hh,
                                                 const RecurrentState& state) {
  const auto fused = fusedLstm(input, {}, state.hidden[0], state.cell[0], w_hh);
  RecurrentOutput out;
  out.output = fused.output;
  out.state.hidden = fused.hidden.unsqueeze(0);
  out.state.cell = fused.cell.unsqueeze(0);
  return out;
}

RecurrentOutput RecurrentLayerImpl::forward(const torch::Tensor& input,
                                            const RecurrentState& state) {
  // Whole output sequences run fused in one direction only.
  if (!options_.bidirectional() && runsFused(input)) {
    const LstmWeights w(lstm_, 0);
    return forwardFused(inputGates(input, w), w.w_hh, state);
  }
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

RecurrentOutput RecurrentLayerImpl::forward(const TokenInput& input, const RecurrentState& state) {
  if (!options_.bidirectional() && runsFused(input.embedding)) {
    const LstmWeights w(lstm_, 0);
    return forwardFused(inputGates(input, w), w.w_hh, state);
  }
  return forward(input.embedded(), state);
}

RecurrentState RecurrentLayerImpl::forwardPadded(const TokenInput& input,
                                                 const torch::Tensor& lengths,
                                                 const RecurrentState& state) {
  return runPadded(input, lengths, state, false).state;
}

RecurrentOutput RecurrentLayerImpl::forwardPaddedOutputs(const TokenInput& input,
                                                         const torch::Tensor& lengths,
                                                         const RecurrentState& state) {
  return runPadded(input, lengths, state, true);
}

RecurrentOutput RecurrentLayerImpl::runPadded(const TokenInput& input, const torch::Tensor& lengths,
                                              const RecurrentState& state, bool with_outputs) {
  RecurrentOutput out;
  if (runsFused(input.embedding)) {
    // fusedLstm takes the rows longest first, so that each step multiplies only the rows
    // still running; the results go back to the caller's order afterwards. The reverse
    // direction reads each row backwards from its own last token.
    const auto [sorted_lengths, order] =
        lengths.to(torch::kLong).sort(/*stable=*/true, /*dim=*/0, /*descending=*/true);
    const auto restore = at::argsort(order);
    const auto sorted = input.rows(order);
    std::vector<torch::Tensor> hidden, cell, outputs;
    for (int64_t direction = 0; direction < (options_.bidirectional() ? 2 : 1); ++direction) {
      const LstmWeights w(lstm_, direction);
      const auto fused =
          fusedLstm(inputGates(direction == 0 ? sorted : sorted.reversedWithin(sorted_lengths), w),
                    sorted_lengths, state.hidden[direction].index_select(0, order),
                    state.cell[direction].index_select(0, order), w.w_hh);
      hidden.push_back(fused.hidden.index_select(0, restore));
      cell.push_back(fused.cell.index_select(0, restore));
      if (!with_outputs) continue;
      auto steps = fused.output.index_select(1, restore);  // [time, batch, hidden]
      if (direction == 1) {
        // The reverse run's step t is the state after the row's letters length-1 .. length-1-t;
        // letter p's is therefore step length-1-p.
        const auto source = reversingSteps(steps.size(0), lengths);
        steps = steps.gather(0, source.unsqueeze(2).expand_as(steps).to(steps.device()));
      }
      outputs.push_back(steps);
    }
    out.state.hidden = at::stack(hidden);
    out.state.cell = at::stack(cell);
    if (with_outputs) out.output = at::cat(outputs, 2);
    return out;
  }
  namespace rnn = torch::nn::utils::rnn;
  const auto packed = rnn::pack_padded_sequence(input.embedded(), lengths, /*batch_first=*/false,
                                                /*enforce_sorted=*/false);
  const auto padded = [&](const rnn::PackedSequence& output) {
    return std::get<0>(rnn::pad_packed_sequence(output, /*batch_first=*/false,
                                                /*padding_value=*/0.0, input.ids.size(0)));
  };
  if (isLstm()) {
    auto result =
        lstm_->forward_with_packed_input(packed, std::make_tuple(state.hidden, state.cell));
    out.state.hidden = std::get<0>(std::get<1>(result));
    out.state.cell = std::get<1>(std::get<1>(result));
    if (with_outputs) out.output = padded(std::get<0>(result));
  } else {
    auto result = gru_->forward_with_packed_input(packed, state.hidden);
    out.state.hidden = std::get<1>(result);
    if (with_outputs) out.output = padded(std::get<0>(result));
  }
  return out;
}

}  // namespace cvae
