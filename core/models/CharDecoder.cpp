#include "core/models/CharDecoder.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "core/data/CharVocabulary.h"

namespace cvae {

CharDecoderImpl::CharDecoderImpl(CharDecoderOptions options) : options_(std::move(options)) {
  const auto& o = options_;
  embedding_ =
      register_module("embedding", torch::nn::Embedding(o.vocabulary_size(), o.embedding_size()));
  rnn_ = register_module(
      "rnn",
      RecurrentLayer(RecurrentLayerOptions(o.embedding_size() + o.condition_size(), o.hidden_size())
                         .cell(o.cell())));
  to_logits_ =
      register_module("to_logits", torch::nn::Linear(o.hidden_size(), o.vocabulary_size()));
  if (o.attention_size() > 0) {
    attention_score_ = register_module(
        "attention_score",
        torch::nn::Linear(
            torch::nn::LinearOptions(o.hidden_size(), o.attention_size()).bias(false)));
    attention_out_ = register_module(
        "attention_out", torch::nn::Linear(o.hidden_size() + o.attention_size(), o.hidden_size()));
    if (o.copy())
      copy_gate_ = register_module("copy_gate",
                                   torch::nn::Linear(2 * o.hidden_size() + o.attention_size(), 1));
  } else if (o.copy()) {
    throw std::invalid_argument("CharDecoder: copying needs attention (attention_size > 0)");
  }
}

AttentionMemory AttentionMemory::over(const torch::Tensor& states, const WordBatch& words) {
  const auto positions =
      torch::arange(states.size(0), torch::TensorOptions(torch::kLong)).unsqueeze(1);
  AttentionMemory m;
  m.states = states;
  m.valid = (positions < words.lengths.to(torch::kLong).unsqueeze(0)).to(states.device());
  m.open = torch::ones({states.size(1)}, states.options());
  m.ids = words.ids.to(states.device());
  return m;
}

AttentionMemory AttentionMemory::rows(const torch::Tensor& index) const {
  if (!defined()) return {};
  return {states.index_select(1, index), valid.index_select(1, index), open.index_select(0, index),
          ids.defined() ? ids.index_select(1, index) : ids};
}

torch::Tensor CharDecoderImpl::logitsOf(const torch::Tensor& output,
                                        const AttentionMemory& memory) {
  if (attention_score_.is_empty())
    return to_logits_(torch::dropout(output, options_.dropout(), is_training()));
  const int64_t steps = output.size(0), batch = output.size(1);
  torch::Tensor context, weights;  // weights [batch, time, source]
  if (memory.defined()) {
    // scores[b, t, s] = (W h_t) . m_s over the valid letters of row b.
    const auto keys = memory.states.permute({1, 2, 0});              // [batch, size, source]
    const auto query = attention_score_(output).permute({1, 0, 2});  // [batch, time, size]
    auto scores = torch::bmm(query, keys);                           // [batch, time, source]
    const auto valid = memory.valid.t().unsqueeze(1);                // [batch, 1, source]
    scores = scores.masked_fill(valid.logical_not(), -1e9);
    weights = torch::softmax(scores, 2);
    context = torch::bmm(weights, memory.states.permute({1, 0, 2}))  // [batch, time, size]
                  .permute({1, 0, 2}) *
              memory.open.view({1, batch, 1});
  } else {
    context = torch::zeros({steps, batch, options_.attention_size()}, output.options());
  }
  const auto attentional =
      torch::dropout(torch::tanh(attention_out_(torch::cat({output, context}, 2))),
                     options_.dropout(), is_training());
  const auto logits = to_logits_(attentional);
  if (copy_gate_.is_empty()) return logits;
  // p = g * softmax(logits) + (1 - g) * attention weights summed per letter, where a closed or
  // absent path has g = 1: such a row writes from the vocabulary alone.
  auto probabilities = torch::softmax(logits, 2);
  if (!memory.defined()) return torch::log(probabilities.clamp_min(1e-12));
  const auto open = memory.open.view({1, batch, 1});
  const auto gate = 1 - (1 - torch::sigmoid(copy_gate_(torch::cat({output, context, attentional},
                                                                  2)))) *
                            open;  // [time, batch, 1]
  const auto source_ids = memory.ids.t().unsqueeze(1).expand({batch, steps, memory.ids.size(0)});
  const auto copied = torch::zeros({batch, steps, options_.vocabulary_size()}, weights.options())
                          .scatter_add(2, source_ids, weights)
                          .permute({1, 0, 2});  // [time, batch, vocabulary]
  probabilities = gate * probabilities + (1 - gate) * copied;
  return torch::log(probabilities.clamp_min(1e-12));
}

RecurrentState CharDecoderImpl::startState(const torch::Tensor& initial_hidden) const {
  return rnn_->initialState(initial_hidden);
}

TokenInput CharDecoderImpl::stepInputs(const torch::Tensor& characters,
                                       const torch::Tensor& condition, bool apply_word_dropout) {
  TokenInput input{characters,
                   embedding_->weight,
                   options_.condition_size() > 0 ? condition : torch::Tensor(),
                   {}};
  if (apply_word_dropout && is_training() && options_.word_dropout() > 0 &&
      characters.size(0) > 1) {
    auto keep = torch::rand({characters.size(0), characters.size(1)}) >= options_.word_dropout();
    keep[0].fill_(true);  // SOS stays: it tells the decoder where the word starts
    input.keep = keep.to(embedding_->weight.options());
  }
  return input;
}

torch::Tensor CharDecoderImpl::teacherForced(const RecurrentState& start,
                                             const torch::Tensor& condition,
                                             const torch::Tensor& inputs,
                                             const AttentionMemory& memory) {
  return logitsOf(rnn_->forward(stepInputs(inputs, condition, true), start).output, memory);
}

torch::Tensor CharDecoderImpl::freeRunning(RecurrentState state, const torch::Tensor& condition,
                                           int64_t steps, const AttentionMemory& memory) {
  const int64_t batch = state.hidden.size(1);
  auto input =
      torch::full({1, batch}, CharVocabulary::kSos,
                  torch::TensorOptions().dtype(torch::kLong).device(state.hidden.device()));
  std::vector<torch::Tensor> logits;
  logits.reserve(steps);
  for (int64_t t = 0; t < steps; ++t) {
    auto out = rnn_->forward(stepInputs(input, condition, false), state);
    state = out.state;
    auto step_logits = logitsOf(out.output, memory);  // [1, batch, vocabulary]
    input = step_logits.argmax(2).detach();
    logits.push_back(step_logits);
  }
  return torch::cat(logits, 0);
}

torch::Tensor CharDecoderImpl::forwardTraining(const RecurrentState& start,
                                               const torch::Tensor& condition,
                                               const WordBatch& target,
                                               const torch::Tensor& teacher_forced,
                                               const AttentionMemory& memory) {
  const auto inputs = target.shiftedRight();
  const int64_t steps = target.ids.size(0);
  const auto forced = teacher_forced.to(torch::kCPU);
  const int64_t forced_count = forced.sum().item<int64_t>();
  if (forced_count == target.size()) return teacherForced(start, condition, inputs, memory);
  if (forced_count == 0) return freeRunning(start, condition, steps, memory);

  // A mixed batch: each half runs its own way, then the rows go back to their places. Teacher-
  // forced rows take the whole sequence in one call, which is much faster than stepping.
  const auto device = start.hidden.device();
  const auto forced_rows = forced.nonzero().squeeze(1).to(device);
  const auto free_rows = forced.logical_not().nonzero().squeeze(1).to(device);
  const auto rowsOf = [](const torch::Tensor& c, const torch::Tensor& rows) {
    return c.defined() ? c.index_select(0, rows) : c;
  };
  const auto forced_logits =
      teacherForced(start.select(forced_rows), rowsOf(condition, forced_rows),
                    inputs.index_select(1, forced_rows), memory.rows(forced_rows));
  const auto free_logits = freeRunning(start.select(free_rows), rowsOf(condition, free_rows), steps,
                                       memory.rows(free_rows));
  auto logits =
      torch::empty({steps, target.size(), options_.vocabulary_size()}, forced_logits.options());
  return logits.index_copy(1, forced_rows, forced_logits).index_copy(1, free_rows, free_logits);
}

std::vector<std::string> CharDecoderImpl::decodeGreedy(RecurrentState state,
                                                       const torch::Tensor& condition,
                                                       int64_t max_length,
                                                       const AttentionMemory& memory,
                                                       const Lexicon* lexicon) {
  const int64_t batch = state.hidden.size(1);
  std::vector<int> node(batch, Lexicon::kRoot);  // each row's prefix in the lexicon
  auto input =
      torch::full({1, batch}, CharVocabulary::kSos,
                  torch::TensorOptions().dtype(torch::kLong).device(state.hidden.device()));
  std::vector<std::string> words(batch);
  std::vector<bool> done(batch, false);
  int64_t remaining = batch;
  for (int64_t t = 0; t < max_length && remaining > 0; ++t) {
    auto out = rnn_->forward(stepInputs(input, condition, false), state);
    state = out.state;
    const auto logits = logitsOf(out.output, memory);
    if (lexicon) {
      // The most likely character that keeps each row's prefix a prefix of a word.
      const auto scores = logits.squeeze(0).to(torch::kCPU, torch::kFloat).contiguous();
      const auto* s = scores.data_ptr<float>();
      const int64_t vocabulary = scores.size(1);
      auto chosen = torch::full({1, batch}, CharVocabulary::kEos, torch::kLong);
      auto* c = chosen.data_ptr<int64_t>();
      for (int64_t b = 0; b < batch; ++b) {
        if (done[b]) continue;
        for (int64_t v = 0; v < vocabulary; ++v)
          if (lexicon->allows(node[b], v) &&
              (!lexicon->allows(node[b], c[b]) || s[b * vocabulary + v] > s[b * vocabulary + c[b]]))
            c[b] = v;
        if (c[b] != CharVocabulary::kEos) node[b] = lexicon->child(node[b], c[b]);
      }
      input = chosen.to(state.hidden.device());
    } else {
      input = logits.argmax(2);
    }
    const auto ids = input.to(torch::kCPU);
    const auto* id = ids.data_ptr<int64_t>();
    for (int64_t b = 0; b < batch; ++b) {
      if (done[b]) continue;
      if (id[b] == CharVocabulary::kEos || id[b] < CharVocabulary::kFirstLetter) {
        done[b] = true;
        --remaining;
      } else {
        words[b].push_back(CharVocabulary::letter(id[b]));
      }
    }
  }
  return words;
}

}  // namespace cvae
