#include "core/models/SequenceLoss.h"

#include <torch/nn/functional/loss.h>

#include "core/data/CharVocabulary.h"

namespace cvae {

at::Tensor sequenceCrossEntropy(const at::Tensor& logits, const WordBatch& target) {
  namespace F = torch::nn::functional;
  const auto per_char =
      F::cross_entropy(logits.reshape({-1, logits.size(2)}), target.ids.reshape({-1}),
                       F::CrossEntropyFuncOptions().reduction(torch::kNone));
  return (per_char.view_as(target.ids) * target.mask.to(per_char.dtype())).sum() / target.size();
}

std::vector<std::vector<double>> targetProbabilities(const at::Tensor& logits,
                                                     const WordBatch& target) {
  const auto chosen = torch::softmax(logits.to(torch::kDouble), 2)
                          .gather(2, target.ids.unsqueeze(2))
                          .squeeze(2)
                          .to(torch::kCPU)
                          .contiguous();  // [time, batch]
  const auto lengths = target.lengths.to(torch::kCPU);
  std::vector<std::vector<double>> out(static_cast<size_t>(target.size()));
  for (int64_t b = 0; b < target.size(); ++b)
    for (int64_t t = 0; t < lengths[b].item<int64_t>(); ++t)
      out[static_cast<size_t>(b)].push_back(chosen[t][b].item<double>());
  return out;
}

WordBatch decodedWordBatch(const std::vector<std::string>& words, c10::Device device) {
  std::vector<std::string> letters = words;
  for (auto& word : letters)
    if (word.empty()) word = "a";  // a stand-in, replaced by EOS below
  WordBatch batch = WordBatch::fromWords(letters, c10::kCPU);
  for (size_t b = 0; b < words.size(); ++b) {
    if (!words[b].empty()) continue;
    const auto column = static_cast<int64_t>(b);
    batch.ids[0][column] = CharVocabulary::kEos;
    batch.lengths[column] = 1;
  }
  batch.mask = (at::arange(batch.ids.size(0), at::kLong).unsqueeze(1) < batch.lengths.unsqueeze(0))
                   .to(device);
  batch.ids = batch.ids.to(device);
  return batch;
}

}  // namespace cvae
