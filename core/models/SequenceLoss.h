#pragma once
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "core/data/WordBatch.h"

namespace cvae {

// Cross-entropy of `logits` [time, batch, vocabulary] against `target`, summed over each word's
// real characters (EOS included, padding masked out) and averaged over the words: the
// reconstruction term of a per-word negative ELBO.
at::Tensor sequenceCrossEntropy(const at::Tensor& logits, const WordBatch& target);

// The probability `logits` [time, batch, vocabulary] give each character of each word of
// `target` (its letters, then EOS; padding skipped): the softmax over the vocabulary read at
// the target's id. Word b gets target.lengths[b] values.
std::vector<std::vector<double>> targetProbabilities(const at::Tensor& logits,
                                                     const WordBatch& target);

// Words a decoder wrote, as a batch to score them with (targetProbabilities): as
// WordBatch::fromWords, except that an empty word (the decoder ended at once) is EOS alone.
WordBatch decodedWordBatch(const std::vector<std::string>& words, c10::Device device);

}  // namespace cvae
