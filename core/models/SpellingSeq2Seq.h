#pragma once
// Character encoder-decoder for spelling correction (no latent).
//   encoder:  embedding + LSTM/GRU over the misspelling, optionally bidirectional.
//   bridge:   context = tanh(Linear(final hidden states of all directions)), the decoder's
//             initial hidden state and part of every decoder input (Cho et al. 2014).
//   decoder:  CharDecoder from SOS to EOS, teacher-forced or free-running per word, with
//             optional word dropout and, with the attention option, Luong attention over the
//             encoder's state after each letter (both directions side by side): a correction
//             mostly copies its input, and a path to the letters lets the model copy words it
//             never saw instead of recalling a look-alike training word (issue 18).

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
  TORCH_ARG(bool, attention) = false;
  TORCH_ARG(bool, copy) = false;  // with attention: copy letters (CharDecoderOptions::copy)
};

class SpellingSeq2SeqImpl : public torch::nn::Module {
 public:
  explicit SpellingSeq2SeqImpl(SpellingSeq2SeqOptions options);

  // Logits [time, batch, vocabulary] aligned with `target.ids`; `teacher_forced` is [batch]
  // bool as in CharDecoder.
  torch::Tensor forwardTraining(const WordBatch& source, const WordBatch& target,
                                const torch::Tensor& teacher_forced);

  // Greedy decoding of each source word, until EOS or `max_length` characters; with a
  // `lexicon`, only its words are written (CharDecoder::decodeGreedy).
  std::vector<std::string> correct(const WordBatch& source, int64_t max_length,
                                   const Lexicon* lexicon = nullptr);

  // log p(target word | source word) under the model, teacher-forced: the sum over the target's
  // letters and EOS of each one's log-probability. `source_row` [targets] int64 says which word
  // of `source` each target word answers, so each source word is encoded once however many
  // candidates it has. Returns [targets] float, in nats.
  torch::Tensor logLikelihood(const WordBatch& source, const torch::Tensor& source_row,
                              const WordBatch& target);

  const SpellingSeq2SeqOptions& options() const { return options_; }

 private:
  struct Encoded {
    torch::Tensor context;    // [batch, hidden]
    AttentionMemory letters;  // undefined without the attention option
  };
  Encoded encode(const WordBatch& source);

  SpellingSeq2SeqOptions options_;
  CharEncoder encoder_{nullptr};
  torch::nn::Linear to_context_{nullptr};
  CharDecoder decoder_{nullptr};
};
TORCH_MODULE(SpellingSeq2Seq);

}  // namespace cvae
