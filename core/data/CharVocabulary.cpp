#include "core/data/CharVocabulary.h"

#include <stdexcept>

#include "core/config/ConfigError.h"
#include "core/io/Utf8.h"

namespace cvae {

size_t CharVocabulary::invalidCharacterAt(std::string_view word) {
  for (size_t i = 0; i < word.size(); ++i)
    if (word[i] < 'a' || word[i] > 'z') return i;
  return std::string_view::npos;
}

bool CharVocabulary::isValidWord(std::string_view word) {
  return !word.empty() && invalidCharacterAt(word) == std::string_view::npos;
}

std::vector<std::int64_t> CharVocabulary::encode(std::string_view word) {
  if (!isValidWord(word))
    throw std::invalid_argument("not a lower-case a-z word: '" + std::string(word) + "'");
  std::vector<std::int64_t> ids;
  ids.reserve(word.size());
  for (char c : word) ids.push_back(kFirstLetter + (c - 'a'));
  return ids;
}

std::string CharVocabulary::decode(const std::vector<std::int64_t>& ids) {
  std::string word;
  for (auto id : ids) {
    if (id == kEos) break;
    if (id >= kFirstLetter && id < kSize) word.push_back(letter(id));
  }
  return word;
}

std::string shownWord(std::string_view word) {
  constexpr size_t kShown = 40;
  return word.size() > kShown ? printable(word.substr(0, kShown)) + "…" : printable(word);
}

void checkWordLength(std::string_view word, size_t max_letters, const std::string& where) {
  if (max_letters == 0 || word.size() <= max_letters) return;
  throw InputError(where + ": word '" + shownWord(word) + "' has " + std::to_string(word.size()) +
                   " letters; this model writes words of at most " + std::to_string(max_letters) +
                   " (model.max_length)");
}

}  // namespace cvae
