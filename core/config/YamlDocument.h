#pragma once
// One YAML document read from a user's text, with errors that name the place.
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace cvae {

// A YAML text and the name messages give it (a file's path, "--set"), which places a node's
// mark as an editor would: yaml-cpp counts a line's columns in bytes, so "é" before an error
// moved it one column right.
class YamlSource {
 public:
  // `text` as read from the file: it is kept as UTF-8 without a byte-order mark
  // (utf8WithoutByteOrderMark), which is what the parser is given and its marks count.
  YamlSource(std::string name, std::string_view text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }

  // "NAME:LINE:COLUMN", 1-based, the column in characters (code points); NAME when the mark is
  // null. A mark past the text keeps yaml-cpp's column.
  std::string place(const YAML::Mark& mark) const;
  // The 1-based column, in characters, of byte `column` (0-based) of line `line` (0-based).
  int characterColumn(int line, int column) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<size_t> line_starts_;  // byte offset of each line's first byte
};

// Parses the source's text as exactly one YAML document. `what` names the kind of file in
// messages ("a config", "a sweep file"). Throws InputError naming NAME:LINE:COLUMN for invalid
// YAML, for a second document (after '---'), and for text yaml-cpp 0.7 cannot get past: a ','
// at the top level makes its LoadAll return empty documents forever (found by fuzzing: it
// exhausted memory) and its Load return an empty node, silently dropping the file's content.
YAML::Node loadOneYamlDocument(const YamlSource& source, const std::string& what);

}  // namespace cvae
