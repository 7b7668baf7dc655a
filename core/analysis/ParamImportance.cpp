#include "core/analysis/ParamImportance.h"

#include <dlib/random_forest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

#include "core/io/NumberText.h"

namespace cvae {
namespace {

using Sample = dlib::matrix<double, 0, 1>;

std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> out(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) out[order[k]] = average;
    i = j + 1;
  }
  return out;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (saa <= 0 || sbb <= 0) return std::nan("");
  return sab / std::sqrt(saa * sbb);
}

// A column as numbers the forest can split: numeric values as they are, categories as their
// index in sorted order, a missing value below every present one (its own branch).
struct EncodedColumn {
  bool numeric = true;
  std::vector<double> x;
  std::vector<std::string> text;
  size_t distinct = 0;
};

EncodedColumn encode(const ImportanceColumn& column, const std::vector<size_t>& rows) {
  EncodedColumn out;
  std::vector<std::optional<double>> numbers;
  for (size_t r : rows) {
    const std::string& value = column.values[r];
    out.text.push_back(value);
    if (value.empty()) {
      numbers.push_back(std::nullopt);
      continue;
    }
    const auto number = parseDouble(value);
    if (!number || !std::isfinite(*number)) out.numeric = false;
    numbers.push_back(number);
  }
  std::map<std::string, double> categories;
  for (const auto& value : out.text) categories.emplace(value, 0);
  out.distinct = categories.size();
  if (out.numeric) {
    double low = INFINITY;
    for (const auto& v : numbers)
      if (v) low = std::min(low, *v);
    for (const auto& v : numbers) out.x.push_back(v ? *v : low - 1 - std::abs(low));
  } else {
    double code = 0;
    for (auto& [value, index] : categories) index = code++;
    for (const auto& value : out.text) out.x.push_back(categories[value]);
  }
  return out;
}

struct Forest {
  int trees;
  double oobMse(const std::vector<Sample>& x, const std::vector<double>& y,
                const std::string& seed) const {
    dlib::random_forest_regression_trainer<dlib::dense_feature_extractor> trainer;
    trainer.set_num_trees(static_cast<size_t>(trees));
    trainer.set_min_samples_per_leaf(2);
    trainer.set_seed(seed);
    std::vector<double> oob;
    trainer.train(x, y, oob);
    double mse = 0;
    for (size_t i = 0; i < y.size(); ++i) mse += (oob[i] - y[i]) * (oob[i] - y[i]);
    return mse / static_cast<double>(y.size());
  }
};

}  // namespace

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) return std::nan("");
  return pearson(ranks(a), ranks(b));
}

ImportanceResult paramImportance(const std::vector<ImportanceColumn>& columns,
                                 const std::vector<double>& scores,
                                 const ImportanceOptions& options) {
  for (const auto& column : columns)
    if (column.values.size() != scores.size())
      throw std::invalid_argument("paramImportance: column '" + column.key + "' has " +
                                  std::to_string(column.values.size()) + " values for " +
                                  std::to_string(scores.size()) + " scores");
  ImportanceResult result;
  std::vector<size_t> rows;
  for (size_t r = 0; r < scores.size(); ++r)
    if (std::isfinite(scores[r])) rows.push_back(r);
  result.runs = static_cast<int>(rows.size());
  if (rows.size() < 5) {
    result.problem = "needs at least 5 runs with the score; " + std::to_string(rows.size()) +
                     (rows.size() == 1 ? " has it" : " have it");
    return result;
  }
  // The forest fits "goodness": the score, negated when lower is better.
  const double sign = options.higher_is_better ? 1.0 : -1.0;
  // Scaled by the largest magnitude first: importances are shares of the variance, the same at
  // any scale, and a score of 1e200 would otherwise square to infinity.
  double magnitude = 0;
  for (size_t r : rows) magnitude = std::max(magnitude, std::abs(scores[r]));
  if (magnitude == 0) magnitude = 1;
  std::vector<double> y;
  for (size_t r : rows) y.push_back(sign * (scores[r] / magnitude));
  const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  double variance = 0;
  for (double v : y) variance += (v - mean_y) * (v - mean_y);
  variance /= static_cast<double>(y.size());

  std::vector<EncodedColumn> encoded;
  std::vector<size_t> varying;  // indices into columns
  for (size_t c = 0; c < columns.size(); ++c) {
    encoded.push_back(encode(columns[c], rows));
    if (encoded.back().distinct > 1) varying.push_back(c);
  }
  if (varying.empty()) {
    result.problem = "no key takes more than one value over these runs";
    return result;
  }
  if (variance <= 0) {
    result.problem = "every run has the same score";
    return result;
  }

  auto samples = [&](const std::vector<std::vector<double>>& features) {
    std::vector<Sample> x(rows.size(), Sample(static_cast<long>(features.size())));
    for (size_t i = 0; i < rows.size(); ++i)
      for (size_t f = 0; f < features.size(); ++f) x[i](static_cast<long>(f)) = features[f][i];
    return x;
  };
  std::vector<std::vector<double>> features;
  for (size_t c : varying) features.push_back(encoded[c].x);
  const Forest forest{options.trees};
  const int repeats = std::max(1, options.repeats);
  std::vector<double> base(repeats);
  for (int r = 0; r < repeats; ++r)
    base[r] =
        forest.oobMse(samples(features), y, std::to_string(options.seed) + "/" + std::to_string(r));
  const double base_mse = std::accumulate(base.begin(), base.end(), 0.0) / repeats;
  result.forest_r2 = 1 - base_mse / variance;

  std::mt19937 shuffler(options.seed);
  for (size_t f = 0; f < varying.size(); ++f) {
    const size_t c = varying[f];
    KeyImportance key;
    key.key = columns[c].key;
    key.numeric = encoded[c].numeric;
    std::vector<double> gains;
    for (int r = 0; r < repeats; ++r) {
      auto shuffled = features;
      std::shuffle(shuffled[f].begin(), shuffled[f].end(), shuffler);
      const double mse = forest.oobMse(samples(shuffled), y,
                                       std::to_string(options.seed) + "/" + std::to_string(r));
      gains.push_back((mse - base[r]) / variance);
    }
    key.importance = std::accumulate(gains.begin(), gains.end(), 0.0) / repeats;
    double squares = 0;
    for (double g : gains) squares += (g - key.importance) * (g - key.importance);
    key.importance_std = repeats > 1 ? std::sqrt(squares / (repeats - 1)) : 0;
    if (key.numeric) {
      const double rho = spearman(encoded[c].x, y);
      if (std::isfinite(rho)) key.correlation = rho;
    }
    if (!key.numeric || encoded[c].distinct <= 8) {
      std::map<std::string, std::pair<double, int>> by_value;
      for (size_t i = 0; i < rows.size(); ++i) {
        auto& [sum, n] = by_value[encoded[c].text[i]];
        sum += y[i];
        ++n;
      }
      double best = -INFINITY;
      for (const auto& [value, sum_n] : by_value)
        if (sum_n.first / sum_n.second > best) {
          best = sum_n.first / sum_n.second;
          key.best_value = value.empty() ? "(none)" : value;
        }
    }
    result.keys.push_back(std::move(key));
  }
  std::stable_sort(
      result.keys.begin(), result.keys.end(),
      [](const KeyImportance& a, const KeyImportance& b) { return a.importance > b.importance; });
  for (size_t c = 0; c < columns.size(); ++c)
    if (encoded[c].distinct <= 1) {
      KeyImportance key;
      key.key = columns[c].key;
      key.numeric = encoded[c].numeric;
      key.constant = true;
      key.best_value = encoded[c].text.empty() ? "" : encoded[c].text.front();
      result.keys.push_back(std::move(key));
    }
  return result;
}

}  // namespace cvae
