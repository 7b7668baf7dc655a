#pragma once
// A batch of words as time-major id tensors: each word's letters followed by EOS, padded with
// EOS up to the longest word. Padding is never scored: `mask` marks the real positions.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <string>
#include <vector>

namespace cvae {

struct WordBatch {
  at::Tensor ids;      // [time, batch] int64
  at::Tensor lengths;  // [batch] int64 on the CPU: letters + 1 for EOS
  at::Tensor mask;     // [time, batch] bool
  int64_t size() const { return ids.size(1); }

  static WordBatch fromWords(const std::vector<std::string>& words, c10::Device device);
  // The decoder's inputs for teacher forcing: SOS, then the target shifted right by one.
  at::Tensor shiftedRight() const;
};

}  // namespace cvae
