#pragma once
#include <string_view>

namespace cvae {

// Character-level BLEU exactly as the course scores it with nltk 3.8 (characters are Unicode
// code points of the UTF-8 text, as in a Python str):
//   sentence_bleu([list(reference)], list(prediction), weights,
//                 smoothing_function=SmoothingFunction().method1)
// with weights (0.25,)*4, or (0.33,)*3 when the reference has exactly 3 code points.
// Details reproduced from nltk: modified n-gram precision with clipped counts, denominators of
// at least 1, method1 replaces a zero numerator by epsilon 0.1, a brevity penalty
// exp(1 - r/c) for c < r (0 for an empty prediction), and 0 when no unigram matches.
double bleu4(std::string_view prediction, std::string_view reference);

}  // namespace cvae
