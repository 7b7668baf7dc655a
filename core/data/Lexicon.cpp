#include "core/data/Lexicon.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "core/data/CharVocabulary.h"
#include "core/data/EditChannel.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"

namespace cvae {
namespace {

std::array<std::int32_t, 26> noChildren() {
  std::array<std::int32_t, 26> children;
  children.fill(-1);
  return children;
}

}  // namespace

int editDistance(const std::string& a, const std::string& b) {
  return alignmentTable(a, b)[a.size()][b.size()];
}

Lexicon::Lexicon() : children_{noChildren()}, ends_word_{false} {}

Lexicon Lexicon::fromWordList(const std::string& path) {
  if (const std::string what = describeNonFile(path); !what.empty())
    throw InputError(path + ": " + what + ", so not a word list");
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the word list: " + std::strerror(errno));
  Lexicon lexicon;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // A proper noun of the list, in the lower case the data sets write it in.
    if (!line.empty() && line[0] >= 'A' && line[0] <= 'Z')
      line[0] = static_cast<char>(line[0] - 'A' + 'a');
    lexicon.add(line);
  }
  if (in.bad()) throw InputError(path + ": cannot read the word list: " + std::strerror(errno));
  if (lexicon.empty())
    throw InputError(path + ": no word of lower-case letters a-z in the word list");
  return lexicon;
}

bool Lexicon::add(const std::string& word) {
  if (word.empty()) return false;
  for (const char c : word)
    if (c < 'a' || c > 'z') return false;
  int node = kRoot;
  for (const char c : word) {
    auto& next = children_[static_cast<size_t>(node)][static_cast<size_t>(c - 'a')];
    if (next < 0) {
      next = static_cast<std::int32_t>(children_.size());
      children_.push_back(noChildren());
      ends_word_.push_back(false);
    }
    node = children_[static_cast<size_t>(node)][static_cast<size_t>(c - 'a')];
  }
  if (!ends_word_[static_cast<size_t>(node)]) {
    ends_word_[static_cast<size_t>(node)] = true;
    ++words_;
  }
  return true;
}

bool Lexicon::contains(const std::string& word) const {
  int node = kRoot;
  for (const char c : word) {
    if (c < 'a' || c > 'z') return false;
    node = child(node, CharVocabulary::kFirstLetter + (c - 'a'));
    if (node < 0) return false;
  }
  return !word.empty() && endsWord(node);
}

int Lexicon::child(int node, std::int64_t letter_id) const {
  const std::int64_t letter = letter_id - CharVocabulary::kFirstLetter;
  if (node < 0 || letter < 0 || letter >= 26) return -1;
  return children_[static_cast<size_t>(node)][static_cast<size_t>(letter)];
}

bool Lexicon::allows(int node, std::int64_t id) const {
  if (id == CharVocabulary::kEos) return node != kRoot && endsWord(node);
  return child(node, id) >= 0;
}

std::vector<Lexicon::Near> Lexicon::within(const std::string& word, int max_edits) const {
  std::vector<Near> found;
  if (max_edits < 0) return found;
  const size_t n = word.size();
  // Rows of the distance table, one per trie depth: rows[d][j] is the distance between the
  // prefix of depth d on the current path and word[0, j).
  std::vector<std::vector<int>> rows(1, std::vector<int>(n + 1));
  for (size_t j = 0; j <= n; ++j) rows[0][j] = static_cast<int>(j);
  std::string path;
  // Depth-first, explicit stack: (node, next letter to try).
  std::vector<std::pair<int, int>> stack{{kRoot, 0}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next == 26) {
      stack.pop_back();
      if (!path.empty()) path.pop_back();
      continue;
    }
    const int letter = next++;
    const int child = children_[static_cast<size_t>(node)][static_cast<size_t>(letter)];
    if (child < 0) continue;
    const char c = static_cast<char>('a' + letter);
    const size_t depth = path.size() + 1;
    if (rows.size() <= depth) rows.emplace_back(n + 1);
    const auto& above = rows[depth - 1];
    auto& row = rows[depth];
    row[0] = static_cast<int>(depth);
    int best = row[0];
    for (size_t j = 1; j <= n; ++j) {
      int d = std::min(above[j] + 1, row[j - 1] + 1);
      d = std::min(d, above[j - 1] + (word[j - 1] == c ? 0 : 1));
      if (depth > 1 && j > 1 && word[j - 1] == path.back() && word[j - 2] == c)
        d = std::min(d, rows[depth - 2][j - 2] + 1);
      row[j] = d;
      best = std::min(best, d);
    }
    if (best > max_edits) continue;  // no extension of this prefix comes within reach
    path.push_back(c);
    if (ends_word_[static_cast<size_t>(child)] && row[n] <= max_edits)
      found.push_back({path, row[n]});
    stack.push_back({child, 0});
  }
  return found;
}

}  // namespace cvae
