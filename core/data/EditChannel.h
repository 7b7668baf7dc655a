#pragma once
// What a typo costs: the noisy channel P(typed | intended) of a spelling corrector, its edit
// probabilities counted from (intended, typed) training pairs, after Church and Gale (1991),
// "Probability scoring for spelling correction": a letter deleted after the letter before it,
// inserted after a letter, replaced by another, or two letters swapped. Real slips are far
// from uniform (a doubled letter written once, a vowel for another), so a corrector that counts
// every edit alike ranks `beter -> beater` with `beter -> better`.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cvae {

// The optimal string alignment table of `a` into `b`: cell [i][j] is the fewest edits (a letter
// inserted, deleted or replaced, or two adjacent letters swapped; no substring edited twice)
// that turn a's first i letters into b's first j. editDistance() is its last cell.
std::vector<std::vector<int>> alignmentTable(const std::string& a, const std::string& b);

class EditChannel {
 public:
  // Every edit costs 1: cost() is then the optimal string alignment distance (editDistance).
  EditChannel();

  // Counts the edits of one optimal string alignment of each pair's intended word into its
  // typed word. Pairs more than `max_edits` apart are skipped: their alignment says little about
  // which letters slip (`barend` for `beautiful`). With no edit counted, every edit costs 1.
  static constexpr int kCountedEdits = 2;
  static EditChannel fromPairs(const std::vector<std::pair<std::string, std::string>>& pairs,
                               int max_edits = kCountedEdits);

  // The cheapest alignment of `intended` into `typed` under the counted probabilities: the sum
  // over its edits of -ln P(edit | context), in units of the average counted edit's cost (so an
  // edit as likely as the average one costs 1, a rarer one more, and cost() and editDistance()
  // are on one scale). Letters kept cost 0. Characters outside a-z are one "other" symbol.
  // A word typed as intended costs keepCost(): writing a word right is an outcome of the
  // channel like any slip, and in a file of misspellings a rare one.
  double cost(const std::string& intended, const std::string& typed) const;

  // -ln P(typed == intended), in the same units: from the share of the pairs whose typed word
  // is the intended one (half a pair if none is). 0 for the uniform channel.
  double keepCost() const { return keep_cost_; }

  // The number of edits counted, and of pairs they came from.
  int64_t editsCounted() const { return edits_counted_; }
  int64_t pairsCounted() const { return pairs_counted_; }

 private:
  // Symbols: 0-25 the letters, kBoundary the word's start (the context of a first letter),
  // kOther anything else.
  static constexpr int kBoundary = 26, kOther = 27, kSymbols = 28;
  using Table = std::array<std::array<double, kSymbols>, kSymbols>;
  static int symbol(char c);
  // Costs of each edit in its context, in units of the average edit (see cost()).
  Table deletion_{};       // [previous intended][deleted]
  Table insertion_{};      // [previous intended][inserted]
  Table substitution_{};   // [intended][typed]
  Table transposition_{};  // [first][second]: "ab" typed "ba"
  double keep_cost_ = 0.0;
  int64_t edits_counted_ = 0, pairs_counted_ = 0;
};

}  // namespace cvae
