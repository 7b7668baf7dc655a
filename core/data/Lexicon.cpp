#include "core/data/Lexicon.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/data/CharVocabulary.h"
#include "core/io/InputError.h"

namespace cvae {
namespace {

std::array<std::int32_t, 26> noChildren() {
  std::array<std::int32_t, 26> children;
  children.fill(-1);
  return children;
}

}  // namespace

Lexicon::Lexicon() : children_{noChildren()}, ends_word_{false} {}

Lexicon Lexicon::fromWordList(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the word list: " + std::strerror(errno));
  Lexicon lexicon;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
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

}  // namespace cvae
