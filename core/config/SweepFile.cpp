#include "core/config/SweepFile.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/config/YamlDocument.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"

namespace fs = std::filesystem;

namespace cvae {
namespace {

class SweepReader {
 public:
  SweepReader(const std::string& source, const std::string& text, std::string base_dir)
      : yaml_(source, text), source_(source), base_dir_(std::move(base_dir)) {
    std::istringstream in(yaml_.text());
    for (std::string line; std::getline(in, line);) lines_.push_back(line);
  }

  SweepFile read(const std::string& text) {
    const YAML::Node root = loadOneYamlDocument(yaml_, "a sweep file");
    if (!root.IsMap())
      throw InputError(place(root.Mark()) +
                       ": a sweep file must be a YAML mapping with base, and set, grid, random "
                       "or seeds");
    SweepFile sweep;
    sweep.text = text;
    sweep.name = fs::path(source_).stem().string();
    for (const auto& [name, node, key_mark] : entries(root, "")) {
      if (name == "name") {
        sweep.name = scalar(node, "name");
        checkName(sweep.name, node);
      } else if (name == "base") {
        const std::string base = scalar(node, "base");
        if (base.empty()) throw InputError(where(node) + ": key 'base' is empty");
        sweep.base_config = resolveRelativePath(base, base_dir_);
      } else if (name == "set") {
        for (const auto& [key, value, key_mark] : entries(mapping(node, "set"), "set"))
          sweep.set.push_back(
              {key, scalar(value, key), where(value), place(key_mark), key_mark.line + 1});
      } else if (name == "grid") {
        for (const auto& [key, values, key_mark] : entries(mapping(node, "grid"), "grid")) {
          SweepAxis axis{key, place(key_mark), key_mark.line + 1, list(values, "grid." + key)};
          if (axis.values.empty())
            throw InputError(axis.place + ": grid key '" + key + "' has no values");
          sweep.grid.push_back(std::move(axis));
        }
      } else if (name == "random") {
        readRandom(mapping(node, "random"), sweep);
      } else if (name == "seeds") {
        sweep.seeds = list(node, "seeds");
        if (sweep.seeds.empty()) throw InputError(where(node) + ": 'seeds' is empty");
      } else if (name == "early_stop") {
        sweep.early_stop = readEarlyStop(mapping(node, "early_stop"));
      } else {
        throw InputError(place(key_mark) + ": unknown key '" + name +
                         "' (a sweep file has name, base, set, grid, random, seeds, early_stop)");
      }
    }
    if (sweep.base_config.empty())
      throw InputError(source_ + ": key 'base' is missing (the config every member starts from)");
    if (sweep.grid.empty() && sweep.random_count == 0 && sweep.seeds.empty())
      throw InputError(source_ + ": nothing to sweep: give grid, random or seeds");
    return sweep;
  }

 private:
  std::string place(const YAML::Mark& mark) const { return yaml_.place(mark); }
  // Where a value is: yaml-cpp marks an empty value where the next token starts (a line below
  // its key, or past the end of the file), so an empty value is placed on its key's line.
  std::string where(const YAML::Node& node) const {
    if (!node.IsNull()) return place(node.Mark());
    for (const auto& [value, key_mark] : null_values_)
      if (value.is(node)) return place(key_mark);
    return place(emptyValueMark(node.Mark()));
  }
  // An empty list item (`-` alone) or an empty value read through a path without its key: when
  // yaml-cpp's mark is the first token of a line (or past the end), the empty value was on the
  // last line before it that holds anything but a comment.
  YAML::Mark emptyValueMark(YAML::Mark mark) const {
    auto content = [&](int line) {  // column of the line's first token, or -1
      if (line < 0 || line >= static_cast<int>(lines_.size())) return -1;
      const auto first = lines_[line].find_first_not_of(" \t\r");
      return first == std::string::npos || lines_[line][first] == '#' ? -1
                                                                      : static_cast<int>(first);
    };
    const int at = content(mark.line);
    if (at >= 0 && at < mark.column) return mark;  // a flow value (`{score: }`): its own line
    for (int line = std::min(mark.line, static_cast<int>(lines_.size())) - 1; line >= 0; --line)
      if (content(line) >= 0) {
        mark.line = line;
        mark.column = content(line);
        return mark;
      }
    return mark;
  }

  // A mapping's entries in file order; a repeated key is an error (yaml-cpp would keep the
  // last one silently).
  struct Entry {
    std::string name;
    YAML::Node value;
    YAML::Mark key_mark;
  };
  std::vector<Entry> entries(const YAML::Node& map, const std::string& section) {
    std::vector<Entry> out;
    std::map<std::string, int> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar())
        throw InputError(place(it->first.Mark()) + ": a key must be a plain name");
      const std::string name = it->first.Scalar();
      const auto [first, inserted] = seen.emplace(name, it->first.Mark().line + 1);
      if (!inserted)
        throw InputError(place(it->first.Mark()) + ": key '" +
                         (section.empty() ? name : section + "." + name) +
                         "' appears twice, on lines " + std::to_string(first->second) + " and " +
                         std::to_string(it->first.Mark().line + 1));
      if (it->second.IsNull()) null_values_.emplace_back(it->second, it->first.Mark());
      out.push_back({name, it->second, it->first.Mark()});
    }
    return out;
  }

  const YAML::Node& mapping(const YAML::Node& node, const std::string& what) {
    if (!node.IsMap()) throw InputError(where(node) + ": '" + what + "' must be a mapping of keys");
    return node;
  }

  std::string scalar(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar())
      throw InputError(where(node) + ": '" + what + "' must be a single value, not a " +
                       (node.IsMap()        ? "mapping"
                        : node.IsSequence() ? "list"
                                            : "null value"));
    return node.Scalar();
  }

  std::vector<SweepAssignment> list(const YAML::Node& node, const std::string& what) {
    if (!node.IsSequence())
      throw InputError(where(node) + ": '" + what + "' must be a list of values, e.g. [1, 2]");
    std::vector<SweepAssignment> out;
    for (const auto& item : node)
      out.push_back({what, scalar(item, what), where(item), where(node), node.Mark().line + 1});
    return out;
  }

  double number(const YAML::Node& node, const std::string& what) {
    const std::string text = scalar(node, what);
    const auto value = parseDouble(text);
    if (!value || !std::isfinite(*value))
      throw InputError(where(node) + ": '" + what + "': expected a number, got '" + text + "'");
    return *value;
  }

  long long integer(const YAML::Node& node, const std::string& what, long long min, long long max) {
    const std::string text = scalar(node, what);
    const auto value = parseInteger(text);
    if (!value || *value < min || *value > max)
      throw InputError(where(node) + ": '" + what + "': expected an integer in [" +
                       std::to_string(min) + ", " + std::to_string(max) + "], got '" + text + "'");
    return *value;
  }

  void checkName(const std::string& name, const YAML::Node& node) {
    bool ok = !name.empty() && name.front() != '.';
    for (char c : name)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    if (!ok)
      throw InputError(where(node) +
                       ": 'name' must be letters, digits, '-', '_' or '.' "
                       "(not first), since it names the sweep's folder");
    if (name.size() > kMaxNameLength)
      throw InputError(where(node) + ": 'name' is " + std::to_string(name.size()) +
                       " characters long; at most " + std::to_string(kMaxNameLength) +
                       ", since it names the sweep's folder");
  }

  void readRandom(const YAML::Node& node, SweepFile& sweep) {
    bool have_count = false;
    for (const auto& [name, value, key_mark] : entries(node, "random")) {
      if (name == "count") {
        sweep.random_count = static_cast<int>(integer(value, "random.count", 1, 100000));
        have_count = true;
      } else if (name == "seed") {
        sweep.random_seed =
            static_cast<std::uint64_t>(integer(value, "random.seed", 0, 9007199254740992LL));
      } else if (name == "keys") {
        for (const auto& [key, spec, mark] :
             entries(mapping(value, "random.keys"), "random.keys")) {
          sweep.random_keys.push_back(readDistribution(key, spec));
          sweep.random_keys.back().key_place = place(mark);
          sweep.random_keys.back().key_line = mark.line + 1;
        }
      } else {
        throw InputError(place(key_mark) + ": unknown key 'random." + name +
                         "' (random has count, seed and keys)");
      }
    }
    if (!have_count) throw InputError(where(node) + ": 'random' needs a 'count' of draws");
    if (sweep.random_keys.empty())
      throw InputError(where(node) + ": 'random' needs 'keys' to draw");
  }

  SweepRandomKey readDistribution(const std::string& key, const YAML::Node& spec) {
    SweepRandomKey out;
    out.key = key;
    out.place = where(spec);
    const std::string expected =
        ": random key '" + key +
        "' must be one of {uniform: [LOW, HIGH]}, {log_uniform: [LOW, HIGH]}, "
        "{int_uniform: [LOW, HIGH]}, {choice: [A, B, ...]}";
    if (!spec.IsMap() || spec.size() != 1) throw InputError(out.place + expected);
    const std::string kind = spec.begin()->first.Scalar();
    const YAML::Node args = spec.begin()->second;
    if (kind == "choice") {
      out.distribution = SweepDistribution::Choice;
      out.choices = list(args, key);
      if (out.choices.empty()) throw InputError(where(args) + ": 'choice' has no values");
      return out;
    }
    if (kind == "uniform")
      out.distribution = SweepDistribution::Uniform;
    else if (kind == "log_uniform")
      out.distribution = SweepDistribution::LogUniform;
    else if (kind == "int_uniform")
      out.distribution = SweepDistribution::IntUniform;
    else
      throw InputError(place(spec.begin()->first.Mark()) + expected);
    if (!args.IsSequence() || args.size() != 2)
      throw InputError(where(args) + ": '" + kind + "' takes [LOW, HIGH]");
    if (out.distribution == SweepDistribution::IntUniform) {
      // The key's own range is checked with the draws; this one only keeps them exact doubles,
      // so a bound that is no integer at all is named as such, not with this range.
      for (int i = 0; i < 2; ++i)
        if (!std::regex_match(scalar(args[i], key), std::regex("[+-]?[0-9]+")))
          throw InputError(where(args[i]) + ": '" + key + "': int_uniform draws whole numbers, " +
                           "so its bounds must be integers, got '" + scalar(args[i], key) + "'");
      out.low = static_cast<double>(integer(args[0], key, -(1LL << 53), 1LL << 53));
      out.high = static_cast<double>(integer(args[1], key, -(1LL << 53), 1LL << 53));
    } else {
      out.low = number(args[0], key);
      out.high = number(args[1], key);
    }
    if (out.low > out.high)
      throw InputError(where(args) + ": '" + kind + "' for '" + key + "': LOW (" +
                       formatShortest(out.low) + ") is above HIGH (" + formatShortest(out.high) +
                       ")");
    // Every member would draw the one value: the sweep's members would differ in name only.
    if (out.low == out.high)
      throw InputError(where(args) + ": '" + kind + "' for '" + key + "': LOW and HIGH are both " +
                       formatShortest(out.low) + ", so every member draws it; give it under set: " +
                       "instead, or two different bounds");
    if (out.distribution == SweepDistribution::LogUniform && out.low <= 0)
      throw InputError(where(args) + ": 'log_uniform' for '" + key + "' needs LOW > 0, got " +
                       formatShortest(out.low));
    return out;
  }

  MedianStopping readEarlyStop(const YAML::Node& node) {
    MedianStopping rule;
    rule.place = where(node);
    bool have_rule = false;
    for (const auto& [name, value, key_mark] : entries(node, "early_stop")) {
      if (name == "rule") {
        if (scalar(value, "early_stop.rule") != "median")
          throw InputError(where(value) + ": 'early_stop.rule': only 'median' is known");
        have_rule = true;
      } else if (name == "score") {
        rule.score = scalar(value, "early_stop.score");
        rule.place = where(value);
      } else if (name == "collapse") {
        const std::string flag = scalar(value, "early_stop.collapse");
        const auto collapse = parseFlag(flag);
        if (!collapse)
          throw InputError(where(value) + ": 'early_stop.collapse' must be true or false, got '" +
                           flag + "'");
        rule.collapse = *collapse;
      } else if (name == "min_epochs") {
        rule.min_epochs = static_cast<int>(integer(value, "early_stop.min_epochs", 1, 1000000));
      } else if (name == "min_members") {
        rule.min_members = static_cast<int>(integer(value, "early_stop.min_members", 1, 100000));
      } else if (name == "align") {
        const std::string align = scalar(value, "early_stop.align");
        if (align == "warmup")
          rule.align = MedianAlignment::Warmup;
        else if (align == "epoch")
          rule.align = MedianAlignment::Epoch;
        else
          throw InputError(where(value) + ": 'early_stop.align' must be warmup or epoch, got '" +
                           align + "'");
      } else {
        throw InputError(
            place(key_mark) + ": unknown key 'early_stop." + name +
            "' (early_stop has rule, score, align, min_epochs, min_members, collapse)");
      }
    }
    rule.median = have_rule;
    if (!have_rule && !rule.collapse)
      throw InputError(where(node) + ": 'early_stop' needs 'rule: median' or 'collapse: true'");
    if (!have_rule && !rule.score.empty())
      throw InputError(where(node) +
                       ": 'early_stop.score' is for the median rule: add 'rule: median'");
    if (!have_rule)
      for (const auto& [name, value, key_mark] : entries(node, "early_stop"))
        if (name == "align" || name == "min_epochs" || name == "min_members")
          throw InputError(place(key_mark) + ": 'early_stop." + name +
                           "' is for the median rule: add 'rule: median' and its 'score'");
    if (have_rule && rule.score.empty())
      throw InputError(where(node) + ": 'early_stop' needs the 'score' it compares");
    return rule;
  }

  YamlSource yaml_;
  std::string source_;  // its name
  std::string base_dir_;
  std::vector<std::pair<YAML::Node, YAML::Mark>> null_values_;  // empty values, their keys' marks
  std::vector<std::string> lines_;  // the file's, for placing empty list items
};

}  // namespace

SweepFile parseSweepText(const std::string& text, const std::string& source,
                         const std::string& base_dir) {
  splitTextLines(text, source);  // names CR-only line ends, which YAML misreads
  SweepFile sweep = SweepReader(source, text, base_dir).read(text);
  sweep.path = source;
  return sweep;
}

std::optional<std::vector<std::string>> parseValueList(const std::string& text,
                                                       std::string& problem) {
  std::string body = trimSpaces(text);
  const auto dots = body.find("..");
  if (dots == std::string::npos) {
    std::vector<std::string> values;
    std::stringstream in(body);
    std::string item;
    while (std::getline(in, item, ',')) {
      item = trimSpaces(item);
      if (item.empty()) {
        problem = "an empty value in '" + text + "' (write values as a, b, c)";
        return std::nullopt;
      }
      values.push_back(item);
    }
    if (values.empty()) {
      problem = "no values";
      return std::nullopt;
    }
    return values;
  }
  const bool log = body.compare(0, 4, "log ") == 0;
  if (log) body = trimSpaces(body.substr(4));
  const auto range_dots = body.find("..");
  const auto x = body.find(" x");
  const auto low = parseDouble(trimSpaces(body.substr(0, range_dots)));
  const auto high = x == std::string::npos
                        ? std::nullopt
                        : parseDouble(trimSpaces(body.substr(range_dots + 2, x - range_dots - 2)));
  const auto count =
      x == std::string::npos ? std::nullopt : parseInteger(trimSpaces(body.substr(x + 2)));
  if (!low || !high || !count || *count < 2 || *count > 1000) {
    problem =
        "expected a range as 'A..B xN' or 'log A..B xN' with 2 <= N <= 1000, got '" + text + "'";
    return std::nullopt;
  }
  if (log && (*low <= 0 || *high <= 0)) {
    problem = "a log range needs values above 0, got '" + text + "'";
    return std::nullopt;
  }
  std::vector<std::string> values;
  for (long long i = 0; i < *count; ++i) {
    const double t = static_cast<double>(i) / static_cast<double>(*count - 1);
    const double v = log ? std::exp(std::log(*low) + t * (std::log(*high) - std::log(*low)))
                         : *low + t * (*high - *low);
    values.push_back(formatGeneral(v, 4));
  }
  return values;
}

SweepFile readSweepFile(const std::string& path) {
  const std::string text = readUserTextFile(path, "sweep file");
  return parseSweepText(text, path, fs::absolute(path).parent_path().string());
}

}  // namespace cvae
