#include "core/metrics/Bleu.h"

#include "core/io/Utf8.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace cvae {
namespace {

std::map<std::u32string_view, int> ngramCounts(std::u32string_view text, size_t n) {
  std::map<std::u32string_view, int> counts;
  for (size_t i = 0; i + n <= text.size(); ++i) ++counts[text.substr(i, n)];
  return counts;
}

struct Precision {
  int numerator = 0;
  int denominator = 1;
};

Precision modifiedPrecision(std::u32string_view prediction, std::u32string_view reference,
                            size_t n) {
  const auto predicted = ngramCounts(prediction, n);
  const auto referenced = ngramCounts(reference, n);
  Precision p;
  int total = 0;
  for (const auto& [gram, count] : predicted) {
    total += count;
    auto it = referenced.find(gram);
    if (it != referenced.end()) p.numerator += std::min(count, it->second);
  }
  p.denominator = std::max(1, total);
  return p;
}

// Neumaier summation, standing in for Python's math.fsum over at most four terms.
double accurateSum(const std::vector<double>& terms) {
  double sum = 0.0, compensation = 0.0;
  for (double t : terms) {
    const double s = sum + t;
    compensation += std::fabs(sum) >= std::fabs(t) ? (sum - s) + t : (t - s) + sum;
    sum = s;
  }
  return sum + compensation;
}

}  // namespace

double bleu4(std::string_view prediction_text, std::string_view reference_text) {
  // Characters are code points, as nltk sees a Python str: "naïve" has 5, not 6.
  const std::u32string prediction = decodeUtf8(prediction_text);
  const std::u32string reference = decodeUtf8(reference_text);
  const bool three_grams = reference.size() == 3;
  const size_t orders = three_grams ? 3 : 4;
  const double weight = three_grams ? 0.33 : 0.25;

  std::vector<Precision> precisions;
  for (size_t n = 1; n <= orders; ++n)
    precisions.push_back(modifiedPrecision(prediction, reference, n));
  if (precisions[0].numerator == 0) return 0.0;

  const double c = static_cast<double>(prediction.size());
  const double r = static_cast<double>(reference.size());
  const double brevity = c > r ? 1.0 : (c == 0 ? 0.0 : std::exp(1.0 - r / c));

  constexpr double kEpsilon = 0.1;  // SmoothingFunction().method1
  std::vector<double> terms;
  for (const auto& p : precisions) {
    const double value = p.numerator == 0 ? kEpsilon / p.denominator
                                          : static_cast<double>(p.numerator) / p.denominator;
    terms.push_back(weight * std::log(value));
  }
  return brevity * std::exp(accurateSum(terms));
}

}  // namespace cvae
