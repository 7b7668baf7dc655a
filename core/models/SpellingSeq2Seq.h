#pragma once
// Character encoder-decoder for spelling correction (no latent).
//   encoder:  embedding + LSTM/GRU over the misspelling, optionally bidirectional.
//   bridge:   context = tanh(Linear(final hidden states of all directions)), the decoder's
//             initial hidden state and part of every decoder input (Cho et al. 2014).
//   decoder:  CharDecoder from SOS to EOS, teacher-forced or free-running per word, with
//             optional word dropout.

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

#include "core/data/WordBatch.h"
#include "core/models/CharDecoder.h"
#include "core/models/CharEncoder.h"

namespace cvae {

struct SpellingSeq2SeqOptions {
  TORCH_ARG(int64_t, vocabulary_size) = 28;
  TORCH_ARG(int64_t, embedding_size) = 64;
  TORCH_ARG(int64_t, hidden_size) = 256;
  TORCH_ARG(std::string, cell) = "lstm";
  TORCH_ARG(bool, bidirectional) = false;
  TORCH_ARG(double, word_dropout) = 0.0;
};

class SpellingSeq2SeqImpl : public torch::nn::Module {
 public:
  explicit SpellingSeq2SeqImpl(SpellingSeq2SeqOptions options);

  // Logits [time, batch, vocabulary] aligned with `target.ids`; `teacher_forced` is [batch]
  // bool as in CharDecoder.
  torch::Tensor forwardTraining(const WordBatch& source, const WordBatch& target,
                                const torch::Tensor& teacher_forced);

  // Greedy decoding of each source word, until EOS or `max_length` characters.
  std::vector<std::string> correct(const WordBatch& source, int64_t max_length);

  const SpellingSeq2SeqOptions& options() const { return options_; }

 private:
  torch::Tensor context(const WordBatch& source);  // [batch, hidden]

  SpellingSeq2SeqOptions options_;
  CharEncoder encoder_{nullptr};
  torch::nn::Linear to_context_{nullptr};
  CharDecoder decoder_{nullptr};
};
TORCH_MODULE(SpellingSeq2Seq);

}  // namespace cvae
