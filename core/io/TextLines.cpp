#include "core/io/TextLines.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/io/InputError.h"
#include "core/io/Utf8.h"

namespace cvae {

std::vector<std::string> splitTextLines(std::string_view text, const std::string& source) {
  text = withoutByteOrderMark(text);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t cr = line.find('\r');
    if (cr != std::string_view::npos)
      throw InputError(source + ":" + std::to_string(lines.size() + 1) +
                       ": a line ends with CR alone (old Mac line endings); save the file with "
                       "LF or CRLF line endings");
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> readTextLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return splitTextLines(text.str(), path);
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
