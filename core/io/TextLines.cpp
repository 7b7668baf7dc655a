#include "core/io/TextLines.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/io/Utf8.h"

namespace cvae {

namespace {

// A NUL byte marks a binary file (an image, an archive, a checkpoint given for text), said as
// such with its line: a PNG's header read as "a line ends with CR alone". UTF-16 text, whose
// ASCII letters come with NUL bytes, is let through where it starts with its byte-order mark.
void refuseBinary(std::string_view bytes, const std::string& source, const std::string& what) {
  if (startsWithUtf16ByteOrderMark(bytes)) return;
  const auto nul = bytes.find('\0');
  if (nul == std::string_view::npos) return;
  const auto line = 1 + std::count(bytes.begin(), bytes.begin() + static_cast<long>(nul), '\n');
  throw InputError(source + ":" + std::to_string(line) +
                   ": holds a NUL byte: a binary file, not a " + what);
}

}  // namespace

std::vector<std::string> splitTextLines(std::string_view text, const std::string& source) {
  refuseBinary(text, source, "text file");
  text = withoutByteOrderMark(text);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t cr = line.find('\r');
    if (cr != std::string_view::npos) {
      // Random bytes without a NUL (a compressed file) hold stray CRs too: with invalid UTF-8
      // beside them they are said as binary, not as old Mac line ends.
      bool valid = true;
      decodeUtf8(text, &valid);
      if (!valid)
        throw InputError(source + ":" + std::to_string(lines.size() + 1) +
                         ": not UTF-8 text (a binary file?); expected a text file");
      throw InputError(source + ":" + std::to_string(lines.size() + 1) +
                       ": a line ends with CR alone (old Mac line endings); save the file with "
                       "LF or CRLF line endings");
    }
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> readTextLines(const std::string& path) {
  if (const std::string what = describeNonFile(path); !what.empty())
    throw InputError(path + ": " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  const std::string bytes = text.str();
  // Line files are read as UTF-8 (a-z words, CSV numbers); UTF-16 (Windows "Unicode") is said
  // as such, not as a word with character '\x00'.
  if (startsWithUtf16ByteOrderMark(bytes))
    throw InputError(path + ": UTF-16 text; save the file as UTF-8");
  return splitTextLines(bytes, path);
}

std::string readUserTextFile(const std::string& path, const std::string& what,
                             std::uintmax_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(path, ec)) && !fs::exists(fs::status(path, ec)))
    throw InputError(path + ": is " + describeNonFile(path) + ", not a " + what);
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw InputError(path + ": no such " + what);
  if (fs::is_directory(status)) throw InputError(path + ": is a folder, not a " + what);
  if (!fs::is_regular_file(status))
    throw InputError(path + ": not a regular file (a device or a pipe), so not a " + what);
  const auto size = fs::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw InputError(path + ": " + std::to_string(size) + " bytes, too large for a " + what +
                     " (at most " + std::to_string(max_bytes) + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the " + what + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  const std::string bytes = text.str();
  refuseBinary(bytes, path, what);
  return bytes;
}

std::string trimSpaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

std::vector<std::string> splitCsvCells(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.push_back(
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace cvae
