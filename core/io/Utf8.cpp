#include "core/io/Utf8.h"

#include <cstdio>

namespace cvae {
namespace {

// The length of a well-formed sequence starting at `i`, with its code point; 0 when the
// bytes there are not one (overlong forms, surrogates and values past U+10FFFF included).
size_t sequenceAt(std::string_view text, size_t i, char32_t& code) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    code = b0;
    return 1;
  }
  size_t length;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, code = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, code = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, code = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

bool invisible(char32_t c) {
  return c == 0xFEFF || c == 0x00A0 || c == 0x00AD || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || c == 0x180E;
}

}  // namespace

std::u32string decodeUtf8(std::string_view text, bool* valid) {
  std::u32string out;
  out.reserve(text.size());
  bool ok = true;
  for (size_t i = 0; i < text.size();) {
    char32_t code = 0;
    const size_t length = sequenceAt(text, i, code);
    if (length == 0) {
      out.push_back(0xDC00 + static_cast<unsigned char>(text[i]));
      ok = false;
      ++i;
    } else {
      out.push_back(code);
      i += length;
    }
  }
  if (valid) *valid = ok;
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  char buf[16];
  for (size_t i = 0; i < text.size();) {
    char32_t code = 0;
    const size_t length = sequenceAt(text, i, code);
    if (length == 0 || code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0)) {
      const auto b = static_cast<unsigned char>(text[i]);
      if (length == 1 && code == '\t') {
        out += "\\t";
      } else if (length <= 1) {
        std::snprintf(buf, sizeof buf, "\\x%02X", b);
        out += buf;
      } else {
        std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(code));
        out += buf;
      }
      i += length == 0 ? 1 : length;
      continue;
    }
    if (invisible(code)) {
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(code));
      out += buf;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string describeCharacterAt(std::string_view text, size_t index) {
  char buf[40];
  if (index >= text.size()) return "end of text";
  char32_t code = 0;
  const size_t length = sequenceAt(text, index, code);
  if (length == 0) {
    std::snprintf(buf, sizeof buf, "byte \\x%02X (not UTF-8)",
                  static_cast<unsigned char>(text[index]));
    return buf;
  }
  std::snprintf(buf, sizeof buf, " (U+%04X)", static_cast<unsigned>(code));
  return "'" + printable(text.substr(index, length)) + "'" + buf;
}

bool startsWithUtf16ByteOrderMark(std::string_view bytes) {
  return bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF";
}

std::string_view withoutByteOrderMark(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

namespace {

void appendUtf8(std::string& out, char32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The `width`-byte unit at `i`, in the given byte order.
char32_t unitAt(std::string_view text, size_t i, size_t width, bool little_endian) {
  char32_t unit = 0;
  for (size_t k = 0; k < width; ++k) {
    const auto byte = static_cast<unsigned char>(text[i + (little_endian ? width - 1 - k : k)]);
    unit = (unit << 8) | byte;
  }
  return unit;
}

}  // namespace

std::string utf8WithoutByteOrderMark(std::string_view text) {
  // UTF-32's marks first: UTF-32LE's starts with UTF-16LE's.
  size_t width = 0;
  bool little_endian = false;
  if (text.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) {
    width = 4, little_endian = true;
  } else if (text.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) {
    width = 4;
  } else if (text.substr(0, 2) == "\xFF\xFE") {
    width = 2, little_endian = true;
  } else if (text.substr(0, 2) == "\xFE\xFF") {
    width = 2;
  }
  if (width == 0) return std::string(withoutByteOrderMark(text));
  std::string out;
  for (size_t i = width; i < text.size(); i += width) {
    if (i + width > text.size()) {
      appendUtf8(out, 0xFFFD);
      break;
    }
    char32_t c = unitAt(text, i, width, little_endian);
    if (width == 2 && c >= 0xD800 && c <= 0xDBFF && i + 2 * width <= text.size()) {
      const char32_t low = unitAt(text, i + width, width, little_endian);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        i += width;
      }
    }
    appendUtf8(out, c);
  }
  return out;
}

}  // namespace cvae
