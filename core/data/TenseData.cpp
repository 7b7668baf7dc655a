#include "core/data/TenseData.h"

#include <fstream>
#include <sstream>

#include "core/config/ConfigError.h"
#include "core/data/CharVocabulary.h"
#include "core/io/AtomicFile.h"
#include "core/io/TextLines.h"
#include "core/io/Utf8.h"

namespace cvae {
namespace {

std::vector<std::string> splitWords(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The file's lines with trailing blank lines dropped; a file with no row is an error.
std::vector<std::string> readRows(const std::string& path) {
  auto lines = readTextLines(path);
  while (!lines.empty() && splitWords(lines.back()).empty()) lines.pop_back();
  if (lines.empty()) throw InputError(path + ": the file has no rows");
  return lines;
}

// Checks that the first `count` words use only the vocabulary's letters.
void checkWords(const std::vector<std::string>& words, size_t count, const std::string& where) {
  for (size_t i = 0; i < count && i < words.size(); ++i) {
    const size_t bad = CharVocabulary::invalidCharacterAt(words[i]);
    if (bad != std::string::npos)
      throw InputError(where + ": word '" + shownWord(words[i]) + "' has character " +
                       describeCharacterAt(words[i], bad) +
                       " outside the vocabulary a-z (lower-case letters without accents)");
  }
}

}  // namespace

std::string shortName(Tense tense) {
  static const char* names[] = {"sp", "tp", "pg", "p"};
  return names[static_cast<int>(tense)];
}

std::string longName(Tense tense) {
  static const char* names[] = {"simple present", "third person", "present progressive",
                                "simple past"};
  return names[static_cast<int>(tense)];
}

std::optional<Tense> parseTense(const std::string& name) {
  static const char* long_names[] = {"simple_present", "third_person", "present_progressive",
                                     "simple_past"};
  for (int i = 0; i < kTenseCount; ++i) {
    const auto t = static_cast<Tense>(i);
    if (name == shortName(t) || name == long_names[i]) return t;
  }
  return std::nullopt;
}

const std::vector<std::pair<Tense, Tense>>& courseTestTenses() {
  using T = Tense;
  static const std::vector<std::pair<Tense, Tense>> list = {
      {T::SimplePresent, T::SimplePast},  {T::SimplePresent, T::Progressive},
      {T::SimplePresent, T::ThirdPerson}, {T::SimplePresent, T::ThirdPerson},
      {T::SimplePast, T::ThirdPerson},    {T::SimplePresent, T::Progressive},
      {T::SimplePast, T::SimplePresent},  {T::Progressive, T::SimplePresent},
      {T::Progressive, T::SimplePast},    {T::Progressive, T::ThirdPerson}};
  return list;
}

std::vector<TenseTuple> readTenseTrainingFile(const std::string& path) {
  const auto lines = readRows(path);
  std::vector<TenseTuple> rows;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string where = path + ":" + std::to_string(i + 1);
    const auto words = splitWords(lines[i]);
    if (words.empty()) throw InputError(where + ": empty line");
    if (words.size() != 4)
      throw InputError(where + ": expected 4 words (sp tp pg p), found " +
                       std::to_string(words.size()));
    // A test file's row has four words too ("abet abetting sp pg"); read as forms, sp and pg
    // would become verbs.
    if (parseTense(words[2]) && parseTense(words[3]))
      throw InputError(where + ": '" + lines[i] +
                       "' is a test row (SOURCE TARGET FROM TO), not four forms of a verb (sp tp "
                       "pg p): is this the test file?");
    checkWords(words, 4, where);
    rows.push_back({words[0], words[1], words[2], words[3]});
  }
  return rows;
}

std::vector<TensePair> readTenseTestFile(const std::string& path) {
  const auto lines = readRows(path);
  const auto& fixed = courseTestTenses();
  std::vector<TensePair> pairs;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string where = path + ":" + std::to_string(i + 1);
    const auto words = splitWords(lines[i]);
    if (words.empty()) throw InputError(where + ": empty line");
    if (words.size() != 2 && words.size() != 4)
      throw InputError(where + ": expected 'SOURCE TARGET' or 'SOURCE TARGET FROM TO', found " +
                       std::to_string(words.size()) + " words");
    checkWords(words, 2, where);
    TensePair pair{words[0], words[1], Tense::SimplePresent, Tense::SimplePresent};
    if (words.size() == 4) {
      const auto from = parseTense(words[2]), to = parseTense(words[3]);
      if (!from || !to)
        throw InputError(where + ": unknown tense '" + (from ? words[3] : words[2]) +
                         "' (sp, tp, pg or p)");
      pair.from = *from;
      pair.to = *to;
    } else {
      if (i >= fixed.size())
        throw InputError(where + ": rows without tense names follow the course's fixed list of " +
                         std::to_string(fixed.size()) +
                         " tense pairs; write 'SOURCE TARGET FROM TO' for further rows");
      pair.from = fixed[i].first;
      pair.to = fixed[i].second;
    }
    pairs.push_back(pair);
  }
  return pairs;
}

// Row i of a file the readers took is its line i + 1: blank lines inside are refused and the
// trailing ones dropped.
void checkTenseWordLengths(const std::vector<TenseTuple>& rows, size_t max_letters,
                           const std::string& path) {
  for (size_t i = 0; i < rows.size(); ++i)
    for (const auto& word : rows[i])
      checkWordLength(word, max_letters, path + ":" + std::to_string(i + 1));
}

void checkTenseWordLengths(const std::vector<TensePair>& pairs, size_t max_letters,
                           const std::string& path) {
  for (size_t i = 0; i < pairs.size(); ++i)
    for (const auto* word : {&pairs[i].source, &pairs[i].target})
      checkWordLength(*word, max_letters, path + ":" + std::to_string(i + 1));
}

void writeTenseTrainingFile(const std::string& path, const std::vector<TenseTuple>& rows) {
  std::ostringstream out;
  for (const auto& r : rows) out << r[0] << ' ' << r[1] << ' ' << r[2] << ' ' << r[3] << '\n';
  writeFileAtomically(path, out.str());
}

void writeTenseTestFile(const std::string& path, const std::vector<TensePair>& pairs) {
  std::ostringstream out;
  for (const auto& p : pairs)
    out << p.source << ' ' << p.target << ' ' << shortName(p.from) << ' ' << shortName(p.to)
        << '\n';
  writeFileAtomically(path, out.str());
}

}  // namespace cvae
