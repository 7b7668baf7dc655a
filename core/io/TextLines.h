#pragma once
// Line-oriented text files as users save them: a leading UTF-8 byte-order mark (Windows
// Notepad) is skipped, CRLF line ends are read as LF, and a file with old-Mac CR-only line ends
// is a named error rather than one long line.

#include <string>
#include <string_view>
#include <vector>

namespace cvae {

// The lines of `path`, without their line ends; the text after the last line end counts as a
// line when it is not empty. Throws InputError naming the file when it cannot be opened, and
// naming the file and line when the file ends its lines with CR alone.
std::vector<std::string> readTextLines(const std::string& path);
// The same for text already in memory; `source` names it in errors.
std::vector<std::string> splitTextLines(std::string_view text, const std::string& source);

// The comma-separated cells of one line, empty cells kept ("a,,b" -> "a", "", "b").
std::vector<std::string> splitCsvCells(const std::string& line);

}  // namespace cvae
