#pragma once
// The course's spelling-correction format: a JSON list of entries
//   [{"input": ["recetion", "receshion"], "target": "recession"}, ...]
// Every (input, target) pair of an entry is one example. Words use the letters a-z only.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace cvae {

struct SpellingEntry {
  std::vector<std::string> inputs;  // misspellings, at least one
  std::string target;               // the correct word
};

struct SpellingPair {
  std::string input;
  std::string target;
};

// Throws InputError naming the file and, past the JSON syntax, the entry (1-based) and key:
// malformed JSON (with line and column), a missing key, a non-string, an empty list, a
// character outside a-z.
std::vector<SpellingEntry> readSpellingFile(const std::string& path);
// Throws InputError "PATH: entry N: key 'input' item K: word '…' has N letters; this model
// writes words of at most M (model.max_length)" for the first word longer than `max_letters`.
// Training refuses such a word (a 50-million-letter input failed in a tensor allocation that
// named no file); a probe of a trained model may lower the bound on purpose.
void checkSpellingWordLengths(const std::vector<SpellingEntry>& entries, size_t max_letters,
                              const std::string& path);
void writeSpellingFile(const std::string& path, const std::vector<SpellingEntry>& entries);

// A dev set of words the model never trains on (issue 18): the entries of `held_out_share`
// of the distinct target words, drawn with `seed`, and the rest, each in file order. Targets in
// `keep` (e.g. test.json's, so that its score stays comparable) are never held out. Throws
// std::invalid_argument for a share outside (0, 1) or one that leaves either part empty.
struct SpellingSplit {
  std::vector<SpellingEntry> train, held_out;
};
SpellingSplit holdOutTargets(const std::vector<SpellingEntry>& entries, double held_out_share,
                             std::uint64_t seed, const std::set<std::string>& keep = {});

// One pair per input of every entry, in file order.
std::vector<SpellingPair> spellingPairs(const std::vector<SpellingEntry>& entries);

}  // namespace cvae
