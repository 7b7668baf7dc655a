#pragma once
// Makes the embedded default tense data set from WordNet (Debian package wordnet-base):
// verbs from index.verb, irregular and consonant-doubling forms from verb.exc, English
// inflection rules for the rest. Deterministic: the same WordNet and options give the same
// files.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/data/TenseData.h"

namespace cvae {

struct TenseDataOptions {
  std::string wordnet_dir = "/usr/share/wordnet";
  int train_rows = 2000;  // most frequent verbs (WordNet's tagged-sense count), then alphabetical
  int test_pairs = 50;    // held-out verbs, cycling through the course's ten tense pairs
  std::uint64_t seed = 7;
};

// Inflects a base form with the exceptions from verb.exc (inflected form -> its bases).
class VerbInflector {
 public:
  explicit VerbInflector(std::map<std::string, std::vector<std::string>> exceptions_by_base);
  static VerbInflector fromWordNet(const std::string& wordnet_dir);
  TenseTuple inflect(const std::string& base) const;

 private:
  std::map<std::string, std::vector<std::string>> exceptions_;
};

struct TenseDataSet {
  std::vector<TenseTuple> train;
  std::vector<TensePair> test;
};

// Throws InputError naming the WordNet file when it is missing or malformed.
TenseDataSet makeTenseData(const TenseDataOptions& options);

// A dev set of verbs a model never saw: up to `count` conversion pairs (the course's test
// format, cycling through its ten tense pairs) of WordNet verbs, most frequent first, none of
// whose four forms is in `known` (e.g. the course's train.txt). `rows` are the verbs' four forms,
// `irregular` how many have a past that is neither base+"ed"/"d"/"ied" nor a doubled consonant.
// Throws InputError naming the WordNet file when it is missing or malformed.
struct UnseenVerbs {
  std::vector<TensePair> pairs;
  std::vector<TenseTuple> rows;
  int irregular = 0;
};
UnseenVerbs makeUnseenTensePairs(const std::vector<TenseTuple>& known, int count,
                                 const std::string& wordnet_dir = "/usr/share/wordnet");

}  // namespace cvae
