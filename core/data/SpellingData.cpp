#include "core/data/SpellingData.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/config/ConfigError.h"
#include "core/data/CharVocabulary.h"
#include "core/io/AtomicFile.h"
#include "core/io/FilePaths.h"
#include "core/io/NumberText.h"
#include "core/io/Utf8.h"

namespace cvae {
namespace {

using Json = nlohmann::json;

// nlohmann reports a byte offset; people look for a line and a column, counted in characters
// as an editor does (a UTF-8 continuation byte does not start one).
std::string lineAndColumn(const std::string& text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's message says its own exception id and the position again ("[json.exception.
// parse_error.101] parse error at line 2, column 24: syntax error while parsing array -
// unexpected string literal; expected ']'"); the reader names the file and position itself, so
// only the reason is kept, with the parser's names for JSON's parts in the user's words.
std::string jsonReason(const std::string& what) {
  std::string reason =
      std::regex_replace(what, std::regex(R"(^\[json\.exception\.[a-z_]+\.\d+\] )"), "");
  reason =
      std::regex_replace(reason, std::regex(R"(^parse error( at line \d+, column \d+)?: )"), "");
  static const std::pair<const char*, const char*> kParts[] = {
      {"syntax error while parsing array - ", "in a list: "},
      {"syntax error while parsing object key - ", "in an object's key: "},
      {"syntax error while parsing object separator - ", "after an object's key: "},
      {"syntax error while parsing object - ", "in an object: "},
      {"syntax error while parsing value - ", ""},
  };
  for (const auto& [parser_words, user_words] : kParts)
    if (reason.rfind(parser_words, 0) == 0) {
      reason = user_words + reason.substr(std::strlen(parser_words));
      break;
    }
  // "last read: '...'" quotes the file's bytes, an invalid one among them: shown escaped.
  return printable(reason);
}

// nlohmann's number overflow ("number overflow parsing '1e999'") gives no position: the first
// place the number stands alone in the text, as ":line:column", or "" when not found.
std::string numberPlace(const std::string& text, const std::string& what) {
  std::smatch match;
  if (!std::regex_search(what, match, std::regex(R"(parsing '([-+0-9.eE]+)')"))) return "";
  const std::string number = match[1];
  auto part_of_number = [](char c) { return std::strchr("+-.0123456789eE", c) != nullptr; };
  for (size_t at = text.find(number); at != std::string::npos; at = text.find(number, at + 1)) {
    const size_t end = at + number.size();
    if ((at == 0 || !part_of_number(text[at - 1])) &&
        (end == text.size() || !part_of_number(text[end])))
      return ":" + lineAndColumn(text, at);
  }
  return "";
}

std::string checkedWord(const Json& value, const std::string& where) {
  if (!value.is_string()) throw InputError(where + " must be a string, not " + value.type_name());
  std::string word = value.get<std::string>();
  if (word.empty()) throw InputError(where + " is an empty word");
  const size_t bad = CharVocabulary::invalidCharacterAt(word);
  if (bad != std::string::npos)
    throw InputError(where + ": word '" + shownWord(word) + "' has character " +
                     describeCharacterAt(word, bad) +
                     " outside the vocabulary a-z (lower-case letters without accents)");
  return word;
}

}  // namespace

// JSON object keys should be unique, but the parser keeps the last of repeated ones: a second
// "target" in an entry would silently replace the first. A SAX pass over the parsed text sees
// every key of every object; "" when none repeats. (The DOM parser's callback saw them too, but
// nlohmann 3.11's callback parser scans the enclosing list at every object's end: 1.2 million
// entries took 8 minutes to read.)
class RepeatedKeyFinder : public nlohmann::json_sax<Json> {
 public:
  std::string found;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    keys_.emplace_back();
    if (depth_ == 1) ++entry_;
    ++depth_;
    return true;
  }
  bool key(string_t& key) override {
    if (!keys_.back().insert(key).second) {
      found = (entry_ > 0 ? "entry " + std::to_string(entry_) + ": " : std::string()) + "key '" +
              printable(key) + "' appears twice; keep one of them";
      return false;  // the first is enough
    }
    return true;
  }
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;  // the DOM parse has said it already
  }

 private:
  std::vector<std::set<std::string>> keys_;  // one set per open object
  int depth_ = 0;                            // arrays and objects open
  int entry_ = 0;                            // objects opened at depth 1: the list's entries
};

std::string repeatedKey(const std::string& text) {
  RepeatedKeyFinder finder;
  Json::sax_parse(text, &finder);
  return finder.found;
}

std::vector<SpellingEntry> readSpellingFile(const std::string& path) {
  if (const std::string what = describeNonFile(path); !what.empty())
    throw InputError(path + ": " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  // A byte-order mark (Windows Notepad) is skipped, by the parser too.
  const size_t first =
      text.find_first_not_of(" \t\r\n", text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0);
  if (first == std::string::npos)
    throw InputError(path +
                     ": the file is empty (expected a JSON list of {\"input\": [...], "
                     "\"target\": ...} entries)");
  // Another format altogether (a tense experiment's text file, a CSV): said as such, not as a
  // JSON syntax error at 1:1.
  if (text[first] != '[' && text[first] != '{')
    throw InputError(path + ":" + lineAndColumn(text, first) +
                     ": not JSON: a spelling file is a JSON list of {\"input\": [...], "
                     "\"target\": ...} entries, starting with '['");
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw InputError(path + ":" + lineAndColumn(text, e.byte == 0 ? 0 : e.byte - 1) +
                     ": malformed JSON: " + jsonReason(e.what()));
  } catch (const Json::exception& e) {  // a number too large for a double, say
    throw InputError(path + numberPlace(text, e.what()) +
                     ": malformed JSON: " + jsonReason(e.what()));
  }
  const std::string repeated = repeatedKey(text);
  if (!repeated.empty()) throw InputError(path + ": " + repeated);
  if (!document.is_array())
    throw InputError(path +
                     ": expected a JSON list of {\"input\": [...], \"target\": ...} "
                     "entries, found " +
                     std::string(document.type_name()));
  if (document.empty()) throw InputError(path + ": the file has no entries");

  std::vector<SpellingEntry> entries;
  entries.reserve(document.size());
  for (size_t i = 0; i < document.size(); ++i) {
    const std::string where = path + ": entry " + std::to_string(i + 1);
    const Json& item = document[i];
    if (!item.is_object()) throw InputError(where + " must be an object, not " + item.type_name());
    for (const char* key : {"input", "target"})
      if (!item.contains(key)) throw InputError(where + ": key '" + key + "' is missing");
    SpellingEntry entry;
    entry.target = checkedWord(item["target"], where + ": key 'target'");
    const Json& inputs = item["input"];
    if (!inputs.is_array())
      throw InputError(where + ": key 'input' must be a list of words, not " + inputs.type_name());
    if (inputs.empty()) throw InputError(where + ": key 'input' is an empty list");
    for (size_t k = 0; k < inputs.size(); ++k)
      entry.inputs.push_back(
          checkedWord(inputs[k], where + ": key 'input' item " + std::to_string(k + 1)));
    entries.push_back(std::move(entry));
  }
  return entries;
}

void checkSpellingWordLengths(const std::vector<SpellingEntry>& entries, size_t max_letters,
                              const std::string& path) {
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string where = path + ": entry " + std::to_string(i + 1);
    checkWordLength(entries[i].target, max_letters, where + ": key 'target'");
    for (size_t k = 0; k < entries[i].inputs.size(); ++k)
      checkWordLength(entries[i].inputs[k], max_letters,
                      where + ": key 'input' item " + std::to_string(k + 1));
  }
}

void writeSpellingFile(const std::string& path, const std::vector<SpellingEntry>& entries) {
  // One entry per line: diffable, and still the course's format.
  std::string text = "[\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    const Json entry = {{"input", entries[i].inputs}, {"target", entries[i].target}};
    text += entry.dump();
    text += i + 1 < entries.size() ? ",\n" : "\n";
  }
  text += "]\n";
  writeFileAtomically(path, text);
}

SpellingSplit holdOutTargets(const std::vector<SpellingEntry>& entries, double held_out_share,
                             std::uint64_t seed, const std::set<std::string>& keep) {
  if (!(held_out_share > 0 && held_out_share < 1))
    throw std::invalid_argument("held-out share must be between 0 and 1 (exclusive)");
  // Distinct targets in first-seen order, so the draw depends on the file and the seed only.
  std::vector<std::string> targets;
  std::set<std::string> seen;
  for (const auto& e : entries)
    if (seen.insert(e.target).second) targets.push_back(e.target);
  const auto count = static_cast<size_t>(std::llround(held_out_share * targets.size()));
  std::vector<std::string> candidates;
  for (const auto& t : targets)
    if (!keep.count(t)) candidates.push_back(t);
  std::mt19937_64 rng(seed);
  std::shuffle(candidates.begin(), candidates.end(), rng);
  // Each way a share can leave a part empty, said with the numbers that make it so.
  const std::string share = "a share of " + formatShortest(held_out_share) + " of the " +
                            std::to_string(targets.size()) + " target words";
  if (count == 0)
    throw std::invalid_argument(share + " holds out none of them; give a larger share");
  if (count == targets.size())
    throw std::invalid_argument(share + " holds out all of them, leaving no training words; " +
                                "give a smaller share");
  if (count > candidates.size())
    throw std::invalid_argument(
        share + " is " + std::to_string(count) + " words, but only " +
        std::to_string(candidates.size()) + " may be held out (" +
        std::to_string(targets.size() - candidates.size()) +
        " are --keep targets, which stay in training); give a smaller share");
  const std::set<std::string> held(candidates.begin(), candidates.begin() + count);
  SpellingSplit split;
  for (const auto& e : entries) (held.count(e.target) ? split.held_out : split.train).push_back(e);
  return split;
}

std::vector<SpellingPair> spellingPairs(const std::vector<SpellingEntry>& entries) {
  std::vector<SpellingPair> pairs;
  for (const auto& e : entries)
    for (const auto& input : e.inputs) pairs.push_back({input, e.target});
  return pairs;
}

}  // namespace cvae
