#include "core/data/WordBatch.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "core/data/CharVocabulary.h"

namespace cvae {

WordBatch WordBatch::fromWords(const std::vector<std::string>& words, c10::Device device) {
  const int64_t batch = static_cast<int64_t>(words.size());
  int64_t longest = 0;
  for (const auto& w : words) longest = std::max<int64_t>(longest, w.size() + 1);
  auto ids = at::full({longest, batch}, CharVocabulary::kEos, at::kLong);
  auto lengths = at::empty({batch}, at::kLong);
  auto ids_a = ids.accessor<int64_t, 2>();
  auto len_a = lengths.accessor<int64_t, 1>();
  for (int64_t b = 0; b < batch; ++b) {
    const auto encoded = CharVocabulary::encode(words[b]);
    for (size_t t = 0; t < encoded.size(); ++t) ids_a[t][b] = encoded[t];
    len_a[b] = static_cast<int64_t>(encoded.size()) + 1;
  }
  WordBatch wb;
  wb.lengths = lengths;
  wb.mask = (at::arange(longest, at::kLong).unsqueeze(1) < lengths.unsqueeze(0)).to(device);
  wb.ids = ids.to(device);
  return wb;
}

at::Tensor WordBatch::shiftedRight() const {
  auto sos = at::full({1, ids.size(1)}, CharVocabulary::kSos, ids.options());
  return at::cat({sos, ids.slice(0, 0, ids.size(0) - 1)}, 0);
}

}  // namespace cvae
