#pragma once
// A set of words as a trie over CharVocabulary's letter ids, for decoding that may write only
// words of it: a spelling corrector that answers with dictionary words. A character model
// cannot know that a word it never trained on exists; the word list can (issue 18).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace cvae {

// The optimal string alignment distance between `a` and `b`: the fewest letters inserted,
// deleted or substituted, or adjacent pairs swapped, that turn one into the other, no
// substring edited twice (the distance Lexicon::within measures).
int editDistance(const std::string& a, const std::string& b);

class Lexicon {
 public:
  Lexicon();

  // One word per line (e.g. /usr/share/dict/american-english). Capitalized words (proper
  // nouns: "Monday", "Christ") are kept in lower case, as the spelling data writes them; lines
  // with other characters (possessives, accents, digits) are skipped, as the models write a-z
  // only. Throws InputError naming the file when it cannot be read or holds no usable word.
  static Lexicon fromWordList(const std::string& path);

  // Adds `word` when it is a non-empty a-z word; returns whether it was one.
  bool add(const std::string& word);
  bool contains(const std::string& word) const;

  // The words within `max_edits` edits of `word` (optimal string alignment distance: inserting,
  // deleting or substituting a letter, or swapping two adjacent letters, each costs 1; no
  // substring is edited twice), with their distances, in trie (alphabetical) order. A trie
  // walk carrying the edit-distance rows (Oflazer 1996), cut where every cell of a row exceeds
  // `max_edits`, so it visits a small part of a 100,000-word list. `word` may hold any
  // characters; ones outside a-z match nothing.
  struct Near {
    std::string word;
    int edits;
  };
  std::vector<Near> within(const std::string& word, int max_edits) const;
  size_t size() const { return words_; }
  bool empty() const { return words_ == 0; }

  // Walking the trie: node 0 is the empty prefix; child() is -1 where no word continues so.
  static constexpr int kRoot = 0;
  int child(int node, std::int64_t letter_id) const;
  bool endsWord(int node) const { return ends_word_[static_cast<size_t>(node)]; }
  // Whether `id` (a CharVocabulary id) may come after the prefix `node`: a letter some word
  // continues with, or EOS where a word ends. Every node allows something, so decoding under
  // the lexicon always finishes a word of it.
  bool allows(int node, std::int64_t id) const;

 private:
  std::vector<std::array<std::int32_t, 26>> children_;
  std::vector<bool> ends_word_;
  size_t words_ = 0;
};

}  // namespace cvae
