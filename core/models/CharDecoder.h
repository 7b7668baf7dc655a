#pragma once
// Emits a word character by character from a start state: SOS first, then either the true
// previous character (teacher forcing) or its own argmax. Every step's input is the character
// embedding followed by a per-step condition vector that does not change over time (the
// tense CVAE's [z, tense], the spelling model's encoder summary): a decoder that sees its
// condition only through the start state learns to ignore it.

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

#include "core/data/Lexicon.h"
#include "core/data/WordBatch.h"
#include "core/models/RecurrentLayer.h"

namespace cvae {

struct CharDecoderOptions {
  TORCH_ARG(int64_t, vocabulary_size) = 28;
  TORCH_ARG(int64_t, embedding_size) = 64;
  TORCH_ARG(int64_t, hidden_size) = 256;
  TORCH_ARG(int64_t, condition_size) = 0;  // width of the per-step condition, may be 0
  TORCH_ARG(std::string, cell) = "lstm";
  // Word dropout (Bowman et al. 2016): in training, each teacher-forced input character after
  // SOS is hidden (its embedding zeroed) with this probability, so the decoder has to lean on
  // its condition instead of only continuing the prefix.
  TORCH_ARG(double, word_dropout) = 0.0;
  // In training, dropout (Srivastava et al. 2014) with this probability on the state the output
  // layer reads: the attentional state with attention, else the recurrent output. Luong et al.
  // (2015) used 0.2 for their attentional models.
  TORCH_ARG(double, dropout) = 0.0;
  // Width of the states attended over (an encoder's hidden size); 0: no attention.
  TORCH_ARG(int64_t, attention_size) = 0;
  // With attention: a pointer-generator (See et al. 2017). Each step writes a mixture of the
  // vocabulary distribution and the attention weights over the source letters, gated by a
  // learned p_gen, so a letter can be copied from where the decoder looks instead of being
  // recalled; the decoder's outputs are then log-probabilities (still logits to softmax).
  TORCH_ARG(bool, copy) = false;
};

// What the decoder attends over (Luong et al. 2015, "general" scores): the encoder's state
// after each letter. `states` [source time, batch, attention_size]; `valid` [source time,
// batch] bool, false on padding; `open` [batch] 0/1 floats, 0 closes a row's path (its
// context is zero, as when there is no memory at all: generation from the prior); `ids`
// [source time, batch] int64, the letters themselves (what the copy option copies).
struct AttentionMemory {
  torch::Tensor states, valid, open, ids;
  bool defined() const { return states.defined(); }
  // Every row open, its letters valid up to its length.
  static AttentionMemory over(const torch::Tensor& states, const WordBatch& words);
  AttentionMemory rows(const torch::Tensor& index) const;
};

class CharDecoderImpl : public torch::nn::Module {
 public:
  explicit CharDecoderImpl(CharDecoderOptions options);

  // `initial_hidden` [1, batch, hidden] -> a start state (LSTM cell at zero).
  RecurrentState startState(const torch::Tensor& initial_hidden) const;

  // Logits [time, batch, vocabulary] aligned with `target.ids`. Rows whose `teacher_forced`
  // entry ([batch] bool) is true see the true previous character; the others their own argmax.
  // `condition` is [batch, condition_size] (undefined when condition_size is 0).
  torch::Tensor forwardTraining(const RecurrentState& start, const torch::Tensor& condition,
                                const WordBatch& target, const torch::Tensor& teacher_forced,
                                const AttentionMemory& memory = {});

  // Greedy decoding until EOS or `max_length` characters. With a `lexicon`, each step takes
  // the most likely character that keeps the word a prefix of one of its words, and EOS only
  // where a word of it ends, so every word finished is a word of the lexicon.
  std::vector<std::string> decodeGreedy(RecurrentState state, const torch::Tensor& condition,
                                        int64_t max_length, const AttentionMemory& memory = {},
                                        const Lexicon* lexicon = nullptr);

  const CharDecoderOptions& options() const { return options_; }

 private:
  TokenInput stepInputs(const torch::Tensor& characters, const torch::Tensor& condition,
                        bool apply_word_dropout);
  torch::Tensor teacherForced(const RecurrentState& start, const torch::Tensor& condition,
                              const torch::Tensor& inputs, const AttentionMemory& memory);
  torch::Tensor freeRunning(RecurrentState state, const torch::Tensor& condition, int64_t steps,
                            const AttentionMemory& memory);
  // Logits from the recurrent outputs [time, batch, hidden], through the attention when the
  // decoder has one.
  torch::Tensor logitsOf(const torch::Tensor& output, const AttentionMemory& memory);

  CharDecoderOptions options_;
  torch::nn::Embedding embedding_{nullptr};
  RecurrentLayer rnn_{nullptr};
  torch::nn::Linear to_logits_{nullptr};
  torch::nn::Linear attention_score_{nullptr}, attention_out_{nullptr};
  torch::nn::Linear copy_gate_{nullptr};  // p_gen from [output, context, attentional state]
};
TORCH_MODULE(CharDecoder);

}  // namespace cvae
