#pragma once
// Line-oriented text files as users save them: a leading UTF-8 byte-order mark (Windows
// Notepad) is skipped, CRLF line ends are read as LF, and a file with old-Mac CR-only line ends
// is a named error rather than one long line.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cvae {

// The lines of `path`, without their line ends; the text after the last line end counts as a
// line when it is not empty. Throws InputError naming the file when it cannot be opened or is
// UTF-16, and naming the file and line when it holds a NUL byte (a binary file) or ends its
// lines with CR alone.
std::vector<std::string> readTextLines(const std::string& path);
// The same for text already in memory; `source` names it in errors.
std::vector<std::string> splitTextLines(std::string_view text, const std::string& source);

// The whole of a text file a user named (a config, a sweep file): refuses a folder, anything
// that is not a regular file (a device such as /dev/zero, a pipe), a file over `max_bytes`, and
// a binary file (NUL bytes, unless it starts with a UTF-16 byte-order mark, which the YAML
// reader decodes). `what` names it in the InputError: "config file".
std::string readUserTextFile(const std::string& path, const std::string& what,
                             std::uintmax_t max_bytes = 16u << 20);

// `text` without the spaces and tabs at either end.
std::string trimSpaces(std::string_view text);

// The comma-separated cells of one line, empty cells kept ("a,,b" -> "a", "", "b").
std::vector<std::string> splitCsvCells(const std::string& line);

}  // namespace cvae
