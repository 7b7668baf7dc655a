#include "core/training/ScoresFile.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>

#include "core/config/YamlDocument.h"
#include "core/config/YamlFields.h"
#include "core/io/AtomicFile.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"

namespace cvae {
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
  const YamlSource source(path, readUserTextFile(path, "scores file"));
  const YAML::Node root = loadOneYamlDocument(source, "a scores file");
  if (!root.IsMap()) throw InputError(path + ": not a scores file (expected a mapping)");
  const YamlFields read(source);
  SavedScores s;
  s.checkpoint = read.text(root, "checkpoint");
  s.test_file = read.text(root, "test");
  s.epoch = static_cast<int>(read.whole(root, "epoch", 0, std::numeric_limits<int>::max()));
  s.step = read.whole(root, "step", 0, std::numeric_limits<int64_t>::max());
  const YAML::Node scores = read.map(root, "scores");
  for (const auto& entry : scores) {
    const std::string name = read.name(entry.first, "a score's");
    s.scores[name] = read.number(scores, name);
  }
  const YAML::Node spread = read.map(root, "spread");
  for (const auto& entry : spread) {
    const std::string name = read.name(entry.first, "a score's");
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
