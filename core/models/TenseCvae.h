#pragma once
// Character-level conditional VAE for tense conversion.
//   encoder:  embedding + recurrent layer over the word (letters + EOS); the tense embedding
//             fills the last `condition_size` units of the initial hidden state, the rest
//             start at zero; linear heads give the posterior's mean and log-variance.
//   decoder:  h0 = Linear([z, tense embedding]); a recurrent layer emits characters from SOS
//             until EOS, fed either the true previous character (teacher forcing) or its own
//             argmax. Every step's input also carries [z, tense embedding]: with z only in h0
//             the decoder learns to ignore it and the posterior collapses (KL -> 0) as soon as
//             beta nears 1, which we saw on the course data.

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

#include "core/data/WordBatch.h"
#include "core/models/CharDecoder.h"
#include "core/models/CharEncoder.h"
#include "core/models/Gaussian.h"

namespace cvae {

struct TenseCvaeOptions {
  TORCH_ARG(int64_t, vocabulary_size) = 28;
  TORCH_ARG(int64_t, tense_count) = 4;
  TORCH_ARG(int64_t, embedding_size) = 64;
  TORCH_ARG(int64_t, hidden_size) = 256;
  // The encoder's width per direction; 0: hidden_size. A bidirectional encoder of half the
  // width costs less than a one-way encoder of the whole and gives the posterior and the
  // attention as many units.
  TORCH_ARG(int64_t, encoder_hidden_size) = 0;
  TORCH_ARG(int64_t, latent_size) = 32;
  TORCH_ARG(int64_t, condition_size) = 8;
  TORCH_ARG(std::string, cell) = "lstm";
  TORCH_ARG(bool, attention) = false;  // the decoder attends over the encoder's letters
  TORCH_ARG(bool, copy) = false;       // and copies them (CharDecoderOptions::copy)
  // The encoder also reads each word backwards: the posterior sees both final states and each
  // letter's attention state knows the letters after it too (where the word ends decides
  // doubling: drop -> dropped, but develop -> developed).
  TORCH_ARG(bool, bidirectional) = false;
  // Probability of hiding a decoder input character while training (Bowman et al. 2016): the
  // decoder must lean on z and the letters it reads rather than on the letters it wrote.
  TORCH_ARG(double, word_dropout) = 0.0;
  // In training, dropout on the letters' states the decoder attends over and on the state its
  // output layer reads (CharDecoderOptions::dropout).
  TORCH_ARG(double, dropout) = 0.0;
};

class TenseCvaeImpl : public torch::nn::Module {
 public:
  explicit TenseCvaeImpl(TenseCvaeOptions options);

  // q(z | word, tense). `tenses` is [batch] int64. With the attention option and a non-null
  // `memory`, also the letters' states to attend over, every row's path open.
  DiagonalGaussian encode(const WordBatch& words, const torch::Tensor& tenses,
                          AttentionMemory* memory = nullptr);

  // Logits [time, batch, vocabulary] aligned with `target.ids`. Rows whose `teacher_forced`
  // entry ([batch] bool) is true see the true previous character; the others their own argmax.
  // Without `memory` (or with its rows closed) the decoder writes from z and the tense alone.
  torch::Tensor decodeForTraining(const torch::Tensor& z, const torch::Tensor& tenses,
                                  const WordBatch& target, const torch::Tensor& teacher_forced,
                                  const AttentionMemory& memory = {});

  // Greedy decoding until EOS or `max_length` characters.
  std::vector<std::string> decodeGreedy(const torch::Tensor& z, const torch::Tensor& tenses,
                                        int64_t max_length, const AttentionMemory& memory = {});

  const TenseCvaeOptions& options() const { return options_; }
  int64_t encoderHiddenSize() const {
    return options_.encoder_hidden_size() > 0 ? options_.encoder_hidden_size()
                                              : options_.hidden_size();
  }

 private:
  RecurrentState decoderStart(const torch::Tensor& z, const torch::Tensor& tenses);
  // [z, tense embedding], the part of every decoder input that does not change over time.
  torch::Tensor stepCondition(const torch::Tensor& z, const torch::Tensor& tenses);

  TenseCvaeOptions options_;
  torch::nn::Embedding tense_embedding_{nullptr};
  CharEncoder encoder_{nullptr};
  CharDecoder decoder_{nullptr};
  torch::nn::Linear to_mean_{nullptr}, to_logvar_{nullptr}, to_decoder_hidden_{nullptr};
};
TORCH_MODULE(TenseCvae);

}  // namespace cvae
