#include "core/data/SpellingDataMaker.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "core/config/ConfigError.h"
#include "core/data/CharVocabulary.h"

namespace cvae {
namespace {

// Letters next to each letter on a QWERTY keyboard (same row and the rows above and below).
const std::map<char, std::string>& keyboardNeighbours() {
  static const std::map<char, std::string> neighbours = {
      {'q', "wa"},     {'w', "qeas"},   {'e', "wrsd"},   {'r', "etdf"},   {'t', "ryfg"},
      {'y', "tugh"},   {'u', "yihj"},   {'i', "uojk"},   {'o', "ipkl"},   {'p', "ol"},
      {'a', "qwsz"},   {'s', "awedxz"}, {'d', "serfcx"}, {'f', "drtgvc"}, {'g', "ftyhbv"},
      {'h', "gyujnb"}, {'j', "huikmn"}, {'k', "jiolm"},  {'l', "kop"},    {'z', "asx"},
      {'x', "zsdc"},   {'c', "xdfv"},   {'v', "cfgb"},   {'b', "vghn"},   {'n', "bhjm"},
      {'m', "njk"}};
  return neighbours;
}

// Vowels people confuse in English spelling (e.g. "seperate", "definate", "independant").
const std::map<char, std::string>& confusableVowels() {
  static const std::map<char, std::string> vowels = {{'a', "eio"}, {'e', "aiy"}, {'i', "eay"},
                                                     {'o', "ua"},  {'u', "oa"},  {'y', "ie"}};
  return vowels;
}

size_t randomIndex(size_t size, std::mt19937_64& rng) {
  return std::uniform_int_distribution<size_t>(0, size - 1)(rng);
}

std::vector<std::string> readWordList(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw InputError(path +
                     ": cannot open the word list (install the Debian package "
                     "wamerican, or pass another list)");
  std::vector<std::string> words;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Lower-case a-z only: drops proper nouns, possessives and accented words.
    if (line.size() >= 3 && line.size() <= 14 && CharVocabulary::isValidWord(line))
      words.push_back(line);
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

}  // namespace

std::string applyTypo(const std::string& word, TypoKind kind, std::mt19937_64& rng) {
  if (word.size() < 2) return word;
  std::string out = word;
  switch (kind) {
    case TypoKind::Drop:
      out.erase(randomIndex(word.size(), rng), 1);
      break;
    case TypoKind::Double: {
      const size_t i = randomIndex(word.size(), rng);
      out.insert(i, 1, word[i]);
      break;
    }
    case TypoKind::Swap: {
      const size_t i = randomIndex(word.size() - 1, rng);
      std::swap(out[i], out[i + 1]);
      break;
    }
    case TypoKind::KeyboardNeighbour: {
      const size_t i = randomIndex(word.size(), rng);
      const auto& near = keyboardNeighbours().at(word[i]);
      out[i] = near[randomIndex(near.size(), rng)];
      break;
    }
    case TypoKind::VowelConfusion: {
      std::vector<size_t> vowels;
      for (size_t i = 0; i < word.size(); ++i)
        if (confusableVowels().count(word[i])) vowels.push_back(i);
      if (vowels.empty()) return word;
      const size_t i = vowels[randomIndex(vowels.size(), rng)];
      const auto& similar = confusableVowels().at(word[i]);
      out[i] = similar[randomIndex(similar.size(), rng)];
      break;
    }
  }
  return out;
}

SpellingDataSet makeSpellingData(const SpellingDataOptions& options) {
  const auto words = readWordList(options.word_list);
  const size_t needed = static_cast<size_t>(options.train_targets + options.test_targets);
  if (words.size() < needed)
    throw InputError(options.word_list + ": has " + std::to_string(words.size()) +
                     " usable words, " + std::to_string(needed) + " are needed");
  const std::set<std::string> dictionary(words.begin(), words.end());

  std::mt19937_64 rng(options.seed);
  std::vector<std::string> targets = words;
  std::shuffle(targets.begin(), targets.end(), rng);
  targets.resize(needed);

  // A misspelling that is itself a word ("form" for "from") cannot be corrected without
  // context, so such typos are drawn again.
  const auto misspell = [&](const std::string& target) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      std::string typo =
          applyTypo(target, static_cast<TypoKind>(randomIndex(kTypoKindCount, rng)), rng);
      if (target.size() >= 8 && randomIndex(4, rng) == 0)
        typo = applyTypo(typo, static_cast<TypoKind>(randomIndex(kTypoKindCount, rng)), rng);
      if (typo != target && typo.size() >= 2 && !dictionary.count(typo)) return typo;
    }
    return std::string();
  };
  const auto entryFor = [&](const std::string& target, int inputs) {
    SpellingEntry entry{{}, target};
    for (int k = 0; k < inputs; ++k) {
      auto typo = misspell(target);
      if (!typo.empty() &&
          std::find(entry.inputs.begin(), entry.inputs.end(), typo) == entry.inputs.end())
        entry.inputs.push_back(std::move(typo));
    }
    return entry;
  };

  SpellingDataSet data;
  for (int i = 0; i < options.test_targets; ++i) {
    auto entry = entryFor(targets[i], 1);
    if (!entry.inputs.empty()) data.test.push_back(std::move(entry));
  }
  for (size_t i = static_cast<size_t>(options.test_targets); i < targets.size(); ++i) {
    auto entry = entryFor(targets[i], 1 + static_cast<int>(randomIndex(options.max_inputs, rng)));
    if (!entry.inputs.empty()) data.train.push_back(std::move(entry));
  }
  return data;
}

}  // namespace cvae
