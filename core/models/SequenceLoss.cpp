#include "core/models/SequenceLoss.h"

#include <torch/nn/functional/loss.h>

namespace cvae {

at::Tensor sequenceCrossEntropy(const at::Tensor& logits, const WordBatch& target) {
  namespace F = torch::nn::functional;
  const auto per_char =
      F::cross_entropy(logits.reshape({-1, logits.size(2)}), target.ids.reshape({-1}),
                       F::CrossEntropyFuncOptions().reduction(torch::kNone));
  return (per_char.view_as(target.ids) * target.mask.to(per_char.dtype())).sum() / target.size();
}

}  // namespace cvae
