#pragma once
// Compares two lists of tensors (a model's parameters, say) element by element. Lists of
// different lengths, or empty ones, never compare equal: a loop over one list alone would pass
// for an empty list and read past the end of a shorter one.
#include <ATen/ATen.h>

#include <string>
#include <vector>

inline std::string tensorListDifference(const std::vector<at::Tensor>& expected,
                                        const std::vector<at::Tensor>& got, double rtol = 0,
                                        double atol = 0) {
  if (expected.empty()) return "the expected list is empty";
  if (expected.size() != got.size())
    return "lists of " + std::to_string(expected.size()) + " and " + std::to_string(got.size()) +
           " tensors";
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!expected[i].sizes().equals(got[i].sizes()))
      return "tensor " + std::to_string(i) + " has another shape";
    const bool same = rtol == 0 && atol == 0 ? at::equal(expected[i], got[i])
                                             : at::allclose(expected[i], got[i], rtol, atol);
    if (!same) return "tensor " + std::to_string(i) + " differs";
  }
  return "";
}
