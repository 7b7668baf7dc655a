#pragma once
// The course's spelling-correction format: a JSON list of entries
//   [{"input": ["recetion", "receshion"], "target": "recession"}, ...]
// Every (input, target) pair of an entry is one example. Words use the letters a-z only.

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
void writeSpellingFile(const std::string& path, const std::vector<SpellingEntry>& entries);

// One pair per input of every entry, in file order.
std::vector<SpellingPair> spellingPairs(const std::vector<SpellingEntry>& entries);

}  // namespace cvae
