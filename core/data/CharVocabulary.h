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

}  // namespace cvae
