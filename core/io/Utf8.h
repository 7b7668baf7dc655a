#pragma once
// Text is UTF-8 everywhere in the workbench; a "character" is a Unicode code point, as in
// Python's str (which the course's nltk scoring iterates). These helpers decode it and show
// any text safely in an error message.

#include <string>
#include <string_view>

namespace cvae {

// The code points of `text`. A byte that does not start a valid UTF-8 sequence becomes one
// code point of its own, 0xDC00 + byte (Python's "surrogateescape"), so nothing is lost or
// merged. `valid`, when given, says whether all of `text` was well-formed.
std::u32string decodeUtf8(std::string_view text, bool* valid = nullptr);

// `text` as it can be shown in a message: printable characters as they are, and anything
// invisible or unprintable as an escape: control characters and invalid bytes as \xNN, and
// invisible code points (byte-order mark, zero-width spaces, non-breaking space) as U+FEFF.
std::string printable(std::string_view text);

// The character that starts at byte `index` of `text`, for a message: "'é' (U+00E9)", "'\x01'
// (U+0001)", or "byte \xC3 (not UTF-8)".
std::string describeCharacterAt(std::string_view text, size_t index);

// Whether `bytes` start with a UTF-16 byte-order mark, either order (Windows "Unicode" text).
bool startsWithUtf16ByteOrderMark(std::string_view bytes);

// `text` without a leading UTF-8 byte-order mark (Windows Notepad writes one).
std::string_view withoutByteOrderMark(std::string_view text);

// `text` as UTF-8 without a byte-order mark: a UTF-16 or UTF-32 file (either byte order, told
// by its byte-order mark) decoded, a UTF-8 mark dropped, anything else as it is. Unpaired
// surrogates and a cut last unit become U+FFFD. Readers that compare a parser's byte offsets
// with the text (the YAML reader) read this, not the file's bytes.
std::string utf8WithoutByteOrderMark(std::string_view text);

}  // namespace cvae
