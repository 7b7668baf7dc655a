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

// How many different training rows the generated tuples hit. gaussianScore counts a row
// written twice twice, so a collapsed model that writes one row for every draw scores 1; this
// count (1 there) tells such a model from one that writes many verbs (docs/BENCHMARKS.md,
// "a collapsed tense run with a high Gaussian score").
int distinctTrainingRows(const std::vector<TenseTuple>& generated,
                         const std::vector<TenseTuple>& training_rows);

}  // namespace cvae
