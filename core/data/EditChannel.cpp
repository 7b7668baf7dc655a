#include "core/data/EditChannel.h"

#include <algorithm>
#include <cmath>

namespace cvae {
namespace {

// Pseudo-counts. A context seen a few times leans on the edit's rate over all contexts
// (kBackoff pseudo-occurrences of it); an edit never seen keeps half a count, so no typo is
// impossible.
constexpr double kBackoff = 5.0;
constexpr double kUnseen = 0.5;
constexpr double kCheapest = 0.01;  // nats

}  // namespace

std::vector<std::vector<int>> alignmentTable(const std::string& a, const std::string& b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d;
}

int EditChannel::symbol(char c) {
  return c >= 'a' && c <= 'z' ? c - 'a' : kOther;
}

EditChannel::EditChannel() {
  for (Table* table : {&deletion_, &insertion_, &substitution_, &transposition_})
    for (auto& row : *table) row.fill(1.0);
}

EditChannel EditChannel::fromPairs(const std::vector<std::pair<std::string, std::string>>& pairs,
                                   int max_edits) {
  Table del{}, ins{}, sub{}, swap{}, bigram{};
  std::array<double, kSymbols> letters{};  // letters[kBoundary]: the number of words
  EditChannel channel;
  double kept = 0;  // pairs typed as intended
  for (const auto& [intended, typed] : pairs) {
    if (intended == typed) {
      kept += 1;
      continue;
    }
    const auto d = alignmentTable(intended, typed);
    const int distance = d[intended.size()][typed.size()];
    if (distance > max_edits) continue;
    ++channel.pairs_counted_;
    channel.edits_counted_ += distance;
    // The context of intended letter k (0-based) is the letter before it, or the word's start.
    auto before = [&](size_t k) { return k > 0 ? symbol(intended[k - 1]) : kBoundary; };
    letters[kBoundary] += 1;
    for (size_t k = 0; k < intended.size(); ++k) {
      letters[symbol(intended[k])] += 1;
      bigram[before(k)][symbol(intended[k])] += 1;
    }
    // Walk one optimal alignment back; where several are optimal a swap is taken before a
    // replacement, and both before a deletion or an insertion.
    size_t i = intended.size(), j = typed.size();
    while (i > 0 || j > 0) {
      if (i > 0 && j > 0 && intended[i - 1] == typed[j - 1] && d[i][j] == d[i - 1][j - 1]) {
        --i, --j;
      } else if (i > 1 && j > 1 && intended[i - 1] == typed[j - 2] &&
                 intended[i - 2] == typed[j - 1] && d[i][j] == d[i - 2][j - 2] + 1) {
        swap[symbol(intended[i - 2])][symbol(intended[i - 1])] += 1;
        i -= 2, j -= 2;
      } else if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + 1) {
        sub[symbol(intended[i - 1])][symbol(typed[j - 1])] += 1;
        --i, --j;
      } else if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
        // One of a doubled letter dropped is counted as the second dropped, after the first
        // (`letter -> leter`: t after t); the walk back meets the first, after the letter before.
        const bool doubled = i < intended.size() && intended[i] == intended[i - 1];
        const int context = doubled ? symbol(intended[i - 1]) : before(i - 1);
        del[context][symbol(intended[i - 1])] += 1;
        --i;
      } else {
        // Likewise a letter written twice is counted as inserted after itself.
        const bool doubled = i < intended.size() && intended[i] == typed[j - 1];
        ins[doubled ? symbol(typed[j - 1]) : before(i)][symbol(typed[j - 1])] += 1;
        --j;
      }
    }
  }
  if (channel.edits_counted_ == 0) return channel;

  // Rates over all contexts, the backoff of each context's rate.
  double letters_total = 0, pairs_of_letters = 0, swaps = 0;
  std::array<double, kSymbols> deleted{}, inserted{};
  for (int a = 0; a < kSymbols; ++a) {
    if (a != kBoundary) letters_total += letters[a];
    for (int b = 0; b < kSymbols; ++b) {
      deleted[b] += del[a][b];
      inserted[b] += ins[a][b];
      swaps += swap[a][b];
      if (a != kBoundary) pairs_of_letters += bigram[a][b];
    }
  }
  const double places = letters_total + letters[kBoundary];  // where a letter can be inserted
  const double swap_rate = (swaps + kUnseen) / (pairs_of_letters + 1.0);
  std::array<double, kSymbols> delete_rate{}, insert_rate{};  // of each letter, any context
  for (int b = 0; b < kSymbols; ++b) {
    delete_rate[b] = (deleted[b] + kUnseen) / (letters[b] + 1.0);
    insert_rate[b] = (inserted[b] + kUnseen) / (places + kUnseen * kSymbols);
  }
  // A rate above 1 (a context with more insertions after it than occurrences) would make an
  // edit free or better than none; kCheapest keeps every edit a cost.
  auto cost = [](double rate) { return std::max(kCheapest, -std::log(rate)); };
  for (int a = 0; a < kSymbols; ++a)
    for (int b = 0; b < kSymbols; ++b) {
      channel.deletion_[a][b] =
          cost((del[a][b] + kBackoff * delete_rate[b]) / (bigram[a][b] + kBackoff));
      channel.insertion_[a][b] =
          cost((ins[a][b] + kBackoff * insert_rate[b]) / (letters[a] + kBackoff));
      channel.substitution_[a][b] = cost((sub[a][b] + kUnseen) / (letters[a] + kUnseen * kSymbols));
      channel.transposition_[a][b] =
          cost((swap[a][b] + kBackoff * swap_rate) / (bigram[a][b] + kBackoff));
    }
  // The unit: the average cost of the edits counted.
  double total = 0;
  for (int a = 0; a < kSymbols; ++a)
    for (int b = 0; b < kSymbols; ++b)
      total += del[a][b] * channel.deletion_[a][b] + ins[a][b] * channel.insertion_[a][b] +
               sub[a][b] * channel.substitution_[a][b] + swap[a][b] * channel.transposition_[a][b];
  const double unit = total / static_cast<double>(channel.edits_counted_);
  channel.keep_cost_ =
      -std::log((kept + kUnseen) / (static_cast<double>(pairs.size()) + 1.0)) / unit;
  for (Table* table :
       {&channel.deletion_, &channel.insertion_, &channel.substitution_, &channel.transposition_})
    for (auto& row : *table)
      for (double& cost : row) cost /= unit;
  return channel;
}

double EditChannel::cost(const std::string& intended, const std::string& typed) const {
  if (intended == typed) return keep_cost_;
  const size_t n = intended.size(), m = typed.size();
  std::vector<double> d((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> double& { return d[i * (m + 1) + j]; };
  auto before = [&](size_t k) { return k > 0 ? symbol(intended[k - 1]) : kBoundary; };
  at(0, 0) = 0;
  for (size_t i = 1; i <= n; ++i)
    at(i, 0) = at(i - 1, 0) + deletion_[before(i - 1)][symbol(intended[i - 1])];
  for (size_t j = 1; j <= m; ++j)
    at(0, j) = at(0, j - 1) + insertion_[kBoundary][symbol(typed[j - 1])];
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j) {
      const int a = symbol(intended[i - 1]), b = symbol(typed[j - 1]);
      double best = std::min(at(i - 1, j) + deletion_[before(i - 1)][a],
                             at(i, j - 1) + insertion_[before(i)][b]);
      best = std::min(
          best, at(i - 1, j - 1) + (intended[i - 1] == typed[j - 1] ? 0.0 : substitution_[a][b]));
      if (i > 1 && j > 1 && intended[i - 1] == typed[j - 2] && intended[i - 2] == typed[j - 1])
        best = std::min(best, at(i - 2, j - 2) + transposition_[symbol(intended[i - 2])][a]);
      at(i, j) = best;
    }
  return at(n, m);
}

}  // namespace cvae
