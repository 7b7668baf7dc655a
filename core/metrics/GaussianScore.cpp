#include "core/metrics/GaussianScore.h"

#include <set>

namespace cvae {

double gaussianScore(const std::vector<TenseTuple>& generated,
                     const std::vector<TenseTuple>& training_rows) {
  if (generated.empty()) return 0.0;
  const std::set<TenseTuple> known(training_rows.begin(), training_rows.end());
  size_t hits = 0;
  for (const auto& tuple : generated) hits += known.count(tuple);
  return static_cast<double>(hits) / static_cast<double>(generated.size());
}

int distinctTrainingRows(const std::vector<TenseTuple>& generated,
                         const std::vector<TenseTuple>& training_rows) {
  const std::set<TenseTuple> known(training_rows.begin(), training_rows.end());
  std::set<TenseTuple> hit;
  for (const auto& tuple : generated)
    if (known.count(tuple)) hit.insert(tuple);
  return static_cast<int>(hit.size());
}

}  // namespace cvae
