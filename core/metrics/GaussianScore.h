#pragma once
#include <array>
#include <string>
#include <vector>

namespace cvae {

using TenseTuple = std::array<std::string, 4>;  // simple present, third person, progressive, past

// Share of generated tuples that equal a row of the training set exactly (all four words).
// An empty `generated` scores 0.
double gaussianScore(const std::vector<TenseTuple>& generated,
                     const std::vector<TenseTuple>& training_rows);

}  // namespace cvae
