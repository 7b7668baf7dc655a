#include "core/config/YamlDocument.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <sstream>

#include "core/io/InputError.h"
#include "core/io/Utf8.h"

namespace cvae {
namespace {

// Where the quoted scalar opening at `pos` closes before `end`, or npos: yaml-cpp 0.7 ends one
// at the end of the file silently ("myruns + newline read as "myruns ", a folder name ending
// in a space). In double quotes a backslash escapes the next character; in single quotes '' is
// a quote.
size_t closingQuote(const std::string& text, size_t pos, size_t end) {
  const char quote = text[pos];
  for (size_t i = pos + 1; i < end; ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < end && text[i + 1] == '\'') {
        ++i;
      } else {
        return i;
      }
    }
  }
  return std::string::npos;
}

// A quote left open mid-file makes yaml-cpp fail lines later, where the quoted text ends
// ("end of map not found"). A line before the failure that opens a quote and does not close it
// is named as the likely cause: configs put no quoted value across lines. Empty when none.
std::string quoteLeftOpenHint(const YamlSource& source, const YAML::Mark& failure) {
  if (failure.is_null()) return {};
  const std::string& text = source.text();
  int line = 0;
  size_t start = 0;
  while (line <= failure.line && start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    for (size_t i = start; i < end; ++i) {
      const char c = text[i];
      if (c == '#' && (i == start || text[i - 1] == ' ' || text[i - 1] == '\t')) break;  // comment
      // A quote that starts a value, not an apostrophe inside a plain word.
      if ((c != '"' && c != '\'') ||
          (i != start && std::string(" \t:[{,-").find(text[i - 1]) == std::string::npos))
        continue;
      const size_t closed = closingQuote(text, i, end);
      if (closed != std::string::npos) {
        i = closed;
        continue;
      }
      if (line == failure.line) break;
      return " (line " + std::to_string(line + 1) + ", column " +
             std::to_string(source.characterColumn(line, static_cast<int>(i - start))) +
             " opens a quoted value that the line does not close: a missing " + std::string(1, c) +
             "?)";
    }
    start = end + 1;
    ++line;
  }
  return {};
}

// yaml-cpp fails on a tab in the indentation with "illegal map value" or "end of map not found"
// at some later column; a line up to the failure indented with a tab is named as the likely
// cause (YAML indents with spaces only). Empty when none.
std::string tabIndentHint(const std::string& text, const YAML::Mark& failure) {
  if (failure.is_null()) return {};
  size_t start = 0;
  for (int line = 0; line <= failure.line && start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const size_t content = text.find_first_not_of(" \t", start);
    if (content != std::string::npos && content <= end &&
        text.find('\t', start) < std::min(content, end) && content < end && text[content] != '#')
      return " (line " + std::to_string(line + 1) +
             " is indented with a tab: YAML indents with spaces only)";
    start = end + 1;
  }
  return {};
}

// A tag the text wrote (!custom, !!str), or empty for an untagged node: yaml-cpp reports "?"
// for a plain node and "!" for a quoted scalar.
std::string explicitTag(const std::string& tag) {
  return tag == "?" || tag == "!" ? "" : tag;
}

// How the text wrote `tag`: yaml-cpp expands the "!!" shorthand to the YAML core schema's prefix.
std::string tagAsWritten(const std::string& tag) {
  const std::string core = "tag:yaml.org,2002:";
  return tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
}

// Records where each document starts, the first quoted scalar left open and the first tag;
// ignores the rest (the nodes come from YAML::Load).
class DocumentStarts : public YAML::EventHandler {
 public:
  explicit DocumentStarts(const std::string& text) : text_(text) {}
  YAML::Mark start;
  YAML::Mark unclosed_quote = YAML::Mark::null_mark();  // null when every quote closes
  // yaml-cpp reads a tagged value as if untagged (`!!str 7` is the number 7 to a number key,
  // `!custom x` is x), so a tag would be silently dropped; it is refused instead.
  YAML::Mark tagged = YAML::Mark::null_mark();
  std::string tag;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string&) override {
    noteTag(mark, tag);
    // A quoted scalar has the non-specific tag "!" and its mark at the opening quote.
    if (tag != "!" || !unclosed_quote.is_null() || mark.pos < 0) return;
    const auto pos = static_cast<size_t>(mark.pos);
    if (pos < text_.size() && (text_[pos] == '"' || text_[pos] == '\'') &&
        closingQuote(text_, pos, text_.size()) == std::string::npos)
      unclosed_quote = mark;
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    noteTag(mark, tag);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    noteTag(mark, tag);
  }
  void OnMapEnd() override {}

 private:
  void noteTag(const YAML::Mark& mark, const std::string& node_tag) {
    if (!tagged.is_null()) return;
    // "!" is also a quoted scalar's; written, it stands where the node's mark is.
    const bool bare_bang = node_tag == "!" && mark.pos >= 0 &&
                           static_cast<size_t>(mark.pos) < text_.size() &&
                           text_[static_cast<size_t>(mark.pos)] == '!';
    if (explicitTag(node_tag).empty() && !bare_bang) return;
    tagged = mark;
    tag = tagAsWritten(node_tag);
  }
  const std::string& text_;
};

}  // namespace

YamlSource::YamlSource(std::string name, std::string_view text)
    // yaml-cpp reads UTF-16 and skips a byte-order mark, but its offsets are then not the
    // file's: the quote check compares them with the text, so the parser reads UTF-8 without one.
    : name_(std::move(name)), text_(utf8WithoutByteOrderMark(text)) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

int YamlSource::characterColumn(int line, int column) const {
  if (line < 0 || column < 0 || static_cast<size_t>(line) >= line_starts_.size()) return column + 1;
  const size_t start = line_starts_[static_cast<size_t>(line)];
  if (start + static_cast<size_t>(column) > text_.size()) return column + 1;
  return static_cast<int>(
             decodeUtf8(std::string_view(text_).substr(start, static_cast<size_t>(column)))
                 .size()) +
         1;
}

std::string YamlSource::place(const YAML::Mark& mark) const {
  if (mark.is_null()) return name_;
  return name_ + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(characterColumn(mark.line, mark.column));
}

YAML::Node loadOneYamlDocument(const YamlSource& yaml, const std::string& what) {
  const std::string& text = yaml.text();
  try {
    // At most two documents are parsed, so a parser that does not advance cannot loop.
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts first(text);
    if (!parser.HandleNextDocument(first)) return YAML::Node();
    if (!first.unclosed_quote.is_null())
      throw InputError(yaml.place(first.unclosed_quote) +
                       ": invalid YAML: the quoted value is not closed (no matching " +
                       std::string(1, text[static_cast<size_t>(first.unclosed_quote.pos)]) +
                       " before the end of the file)");
    if (!first.tagged.is_null())
      throw InputError(yaml.place(first.tagged) + ": the YAML tag '" + first.tag +
                       "' is not read: " + what +
                       " holds plain values, lists and maps; write the value without it");
    DocumentStarts second(text);
    if (parser.HandleNextDocument(second)) {
      if (second.start.pos <= first.start.pos)
        throw InputError(yaml.place(second.start) +
                         ": invalid YAML: the parser cannot read past this point (a ',' or "
                         "other flow character outside [ ] or { }?)");
      throw InputError(yaml.place(second.start) +
                       ": a second YAML document (after a '---' line); " + what + " is one");
    }
    return YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {  // its message is yaml-cpp's "bad file"
    throw InputError(yaml.place(e.mark) + ": invalid YAML: nested more than " +
                     std::to_string(e.depth() - 1) + " levels deep");
  } catch (const YAML::Exception& e) {
    // A quote left open in the last line, with no newline after it.
    if (e.msg == YAML::ErrorMsg::EOF_IN_SCALAR)
      throw InputError(yaml.place(e.mark) +
                       ": invalid YAML: the quoted value is not closed before the end of the file");
    std::string hint = quoteLeftOpenHint(yaml, e.mark);
    if (hint.empty()) hint = tabIndentHint(text, e.mark);
    throw InputError(yaml.place(e.mark) + ": invalid YAML: " + e.msg + hint);
  }
}

}  // namespace cvae
