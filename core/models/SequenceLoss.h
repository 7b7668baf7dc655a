#pragma once
#include <ATen/core/Tensor.h>

#include "core/data/WordBatch.h"

namespace cvae {

// Cross-entropy of `logits` [time, batch, vocabulary] against `target`, summed over each word's
// real characters (EOS included, padding masked out) and averaged over the words: the
// reconstruction term of a per-word negative ELBO.
at::Tensor sequenceCrossEntropy(const at::Tensor& logits, const WordBatch& target);

}  // namespace cvae
