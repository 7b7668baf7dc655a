#include "core/training/ScoresFile.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>

#include "core/config/YamlDocument.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"

namespace cvae {
namespace {

// Reads one file's keys, naming the file, line and key in every refusal.
class ScoresReader {
 public:
  explicit ScoresReader(std::string path) : path_(std::move(path)) {}

  std::string where(const YAML::Node& node, const std::string& key) const {
    return yamlPlace(path_, node.Mark()) + ": key '" + key + "'";
  }

  std::string text(const YAML::Node& map, const std::string& key) const {
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return {};
    if (!node.IsScalar()) throw InputError(where(node, key) + ": expected a single value");
    return node.Scalar();
  }

  double number(const YAML::Node& map, const std::string& key) const {
    const YAML::Node node = map[key];
    if (!node) throw InputError(where(map, key) + " is missing");
    const std::string value = node.IsScalar() ? node.Scalar() : std::string();
    const auto parsed = parseDouble(value);
    if (!node.IsScalar() || !parsed)
      throw InputError(where(node, key) + ": expected a number, got '" + value + "'");
    return *parsed;
  }

  int64_t whole(const YAML::Node& map, const std::string& key, int64_t low, int64_t high) const {
    const YAML::Node node = map[key];
    if (!node) throw InputError(where(map, key) + " is missing");
    const std::string value = node.IsScalar() ? node.Scalar() : std::string();
    const auto parsed = parseInteger(value);
    if (!node.IsScalar() || !parsed || *parsed < low || *parsed > high)
      throw InputError(where(node, key) + ": expected a whole number in [" + std::to_string(low) +
                       ", " + std::to_string(high) + "], got '" + value + "'");
    return *parsed;
  }

  void checkName(const YAML::Node& key) const {
    if (!key.IsScalar() || key.Scalar().empty())
      throw InputError(yamlPlace(path_, key.Mark()) + ": a score's name must be a plain name");
  }

  YAML::Node map(const YAML::Node& parent, const std::string& key) const {
    const YAML::Node node = parent[key];
    if (!node || node.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!node.IsMap()) throw InputError(where(node, key) + ": expected a mapping");
    return node;
  }

 private:
  std::string path_;
};

}  // namespace

void writeScoresFile(const std::string& path, const SavedScores& s) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "checkpoint" << YAML::Value << YAML::DoubleQuoted << s.checkpoint;
  out << YAML::Key << "test" << YAML::Value << YAML::DoubleQuoted << s.test_file;
  out << YAML::Key << "epoch" << YAML::Value << std::to_string(s.epoch);
  out << YAML::Key << "step" << YAML::Value << std::to_string(s.step);
  // Numbers as text of our own: the emitter's streams would follow a comma-decimal locale.
  out << YAML::Key << "scores" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, value] : s.scores)
    out << YAML::Key << name << YAML::Value << formatShortest(value);
  out << YAML::EndMap;
  if (!s.spread.empty()) {
    out << YAML::Key << "spread" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, spread] : s.spread) {
      out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "sd" << YAML::Value << formatShortest(spread.std);
      out << YAML::Key << "min" << YAML::Value << formatShortest(spread.min);
      out << YAML::Key << "max" << YAML::Value << formatShortest(spread.max);
      out << YAML::Key << "seeds" << YAML::Value << std::to_string(spread.n);
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  writeFileAtomically(path, std::string(out.c_str()) + "\n");
}

SavedScores readScoresFile(const std::string& path) {
  const YAML::Node root =
      loadOneYamlDocument(readUserTextFile(path, "scores file"), path, "a scores file");
  if (!root.IsMap()) throw InputError(path + ": not a scores file (expected a mapping)");
  const ScoresReader read(path);
  SavedScores s;
  s.checkpoint = read.text(root, "checkpoint");
  s.test_file = read.text(root, "test");
  s.epoch = static_cast<int>(read.whole(root, "epoch", 0, std::numeric_limits<int>::max()));
  s.step = read.whole(root, "step", 0, std::numeric_limits<int64_t>::max());
  const YAML::Node scores = read.map(root, "scores");
  for (const auto& entry : scores) {
    read.checkName(entry.first);
    const std::string name = entry.first.Scalar();
    s.scores[name] = read.number(scores, name);
  }
  const YAML::Node spread = read.map(root, "spread");
  for (const auto& entry : spread) {
    read.checkName(entry.first);
    const std::string name = entry.first.Scalar();
    if (!s.scores.count(name))
      throw InputError(read.where(entry.first, "spread") + ": '" + name +
                       "' is not one of the scores");
    const YAML::Node one = read.map(spread, name);
    MeanStd m;
    m.mean = s.scores[name];
    m.std = read.number(one, "sd");
    m.min = read.number(one, "min");
    m.max = read.number(one, "max");
    m.n = static_cast<int>(read.whole(one, "seeds", 1, 1000000));
    if (m.std < 0 || std::isnan(m.std))
      throw InputError(read.where(one["sd"], "sd") + ": a standard deviation is 0 or more, not " +
                       formatShortest(m.std));
    if (!(m.min <= m.max))
      throw InputError(read.where(one, name) + ": min " + formatShortest(m.min) + " is above max " +
                       formatShortest(m.max));
    s.spread[name] = m;
  }
  return s;
}

}  // namespace cvae
