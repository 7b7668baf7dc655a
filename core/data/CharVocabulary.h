#pragma once
// Character vocabulary shared by the word experiments: SOS, EOS and the letters a-z.
// There is no padding token: padded positions are masked out of every loss.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cvae {

class CharVocabulary {
 public:
  static constexpr std::int64_t kSos = 0;
  static constexpr std::int64_t kEos = 1;
  static constexpr std::int64_t kFirstLetter = 2;
  static constexpr std::int64_t kSize = 28;

  static bool isValidWord(std::string_view word);
  // Position of the first character outside a-z, or npos.
  static size_t invalidCharacterAt(std::string_view word);
  // Letters only, no SOS/EOS; the word must be valid.
  static std::vector<std::int64_t> encode(std::string_view word);
  // Stops at the first EOS; SOS is skipped.
  static std::string decode(const std::vector<std::int64_t>& ids);
  static char letter(std::int64_t id) { return static_cast<char>('a' + (id - kFirstLetter)); }
};

// A word as an error message shows it: invisible and invalid bytes escaped (printable), and cut
// after 40 bytes with "…" (a 50-million-letter line is not printed whole).
std::string shownWord(std::string_view word);

// Throws InputError "WHERE: word 'W…' has N letters; this model writes words of at most M
// (model.max_length)" when `word` has more than `max_letters` letters; 0: no limit. A longer
// word would train on letters the decoder never writes (it stops at model.max_length), and an
// input of millions of letters failed in a tensor allocation that named no file.
void checkWordLength(std::string_view word, size_t max_letters, const std::string& where);

}  // namespace cvae
