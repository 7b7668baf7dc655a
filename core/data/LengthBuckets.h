#pragma once
// Length buckets for recurrent batches: a decoder runs to the longest target of its batch, so
// batches of similar lengths waste fewer steps on padding. Sorting only within pools of 32
// batches keeps each epoch random; the order of the batches is shuffled afterwards.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace cvae {

// Batches of at most `batch_size` that hold `items` items: the last one may be short.
inline int64_t batchCount(int64_t items, int64_t batch_size) {
  return (items + batch_size - 1) / batch_size;
}

// `items` must already be shuffled for this epoch; they are reordered in place. Returns the
// order in which to visit the `batch_size`-sized slices of `items`.
template <typename Item, typename LengthOf>
std::vector<int64_t> sortIntoLengthBuckets(std::vector<Item>& items, size_t batch_size,
                                           LengthOf length_of, std::mt19937_64& rng) {
  const size_t pool = batch_size * 32;
  for (size_t begin = 0; begin < items.size(); begin += pool) {
    const auto first = items.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last =
        items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), begin + pool));
    std::stable_sort(first, last,
                     [&](const Item& a, const Item& b) { return length_of(a) < length_of(b); });
  }
  std::vector<int64_t> order(
      batchCount(static_cast<int64_t>(items.size()), static_cast<int64_t>(batch_size)));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

}  // namespace cvae
