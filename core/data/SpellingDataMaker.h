#pragma once
// Makes the embedded default spelling data set from a Debian word list (package wamerican):
// lower-case words of 3-14 letters, each given one to three misspellings made by the kinds of
// typo people make. The test file's target words are held out of the training file.
// Deterministic: the same word list and options give the same files.

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/data/SpellingData.h"

namespace cvae {

enum class TypoKind { Drop, Double, Swap, KeyboardNeighbour, VowelConfusion };
constexpr int kTypoKindCount = 5;

// Applies one typo of `kind` at a random position; returns the word unchanged when the kind
// cannot apply (a one-letter word has nothing to swap, a word without vowels none to confuse).
std::string applyTypo(const std::string& word, TypoKind kind, std::mt19937_64& rng);

struct SpellingDataOptions {
  std::string word_list = "/usr/share/dict/american-english";
  int train_targets = 6000;
  int test_targets = 50;
  int max_inputs = 3;  // misspellings per training target: 1..max_inputs
  std::uint64_t seed = 11;
};

struct SpellingDataSet {
  std::vector<SpellingEntry> train;
  std::vector<SpellingEntry> test;
};

// Throws InputError naming the word list when it is missing or too short for the options.
SpellingDataSet makeSpellingData(const SpellingDataOptions& options);

}  // namespace cvae
