#include "core/config/ConfigIo.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentFacts.h"
#include "core/config/YamlDocument.h"
#include "core/io/AtomicFile.h"
#include "core/io/FilePaths.h"
#include "core/io/TextLines.h"
#include "core/io/Utf8.h"

namespace fs = std::filesystem;

namespace cvae {
namespace {

bool isSectionPrefix(const std::string& prefix) {
  for (const auto& spec : configSchema())
    if (spec.key.compare(0, prefix.size() + 1, prefix + ".") == 0) return true;
  return false;
}

// Where the file sets the first of `keys` (a relation's, the failing key first), or `fallback`.
std::string placeOf(const std::map<std::string, std::string>& places,
                    const std::vector<std::string>& keys, const std::string& fallback) {
  for (const auto& key : keys)
    if (const auto it = places.find(key); it != places.end()) return it->second;
  return fallback;
}

class YamlConfigReader {
 public:
  YamlConfigReader(YamlSource yaml, std::string base_dir)
      : yaml_(std::move(yaml)), source_(yaml_.name()), base_dir_(std::move(base_dir)) {}

  // With `check_relations` false the caller checks them after its overrides.
  ExperimentConfig read(const YAML::Node& root, bool check_relations = true) {
    if (!root.IsMap())
      throw InputError(yaml_.place(root.Mark()) +
                       ": the config must be a YAML mapping of keys to values");
    const YAML::Node kind = root["experiment"];
    if (!kind)
      throw InputError(source_ + ": key 'experiment' is missing (tense, spelling or video)");
    ExperimentConfig config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
    applyScalar(config, "experiment", kind);
    config = ExperimentConfig::defaultsFor(config.kind);
    readMap(config, root, "");
    // A failed relation is placed at the first of its keys the file sets (the failing one
    // first), as every other error in the file is.
    if (check_relations)
      validateConfig(config, source_, [this](const std::vector<std::string>& keys) {
        return placeOf(places_, keys, source_);
      });
    return config;
  }

  const std::map<std::string, std::string>& places() const { return places_; }

 private:
  void readMap(ExperimentConfig& config, const YAML::Node& map, const std::string& prefix) {
    // YAML mapping keys are unique, but yaml-cpp keeps the last of repeated ones: a second
    // `learning_rate: 3` two lines below the first would silently win.
    std::map<std::string, YAML::Mark> seen;
    // Copies, not references: dereferencing a yaml-cpp iterator yields a temporary pair.
    for (auto it = map.begin(); it != map.end(); ++it) {
      // A complex key ("? [a, b]") read as "unknown key ''".
      if (!it->first.IsScalar())
        throw InputError(yaml_.place(it->first.Mark()) + ": a key must be a name, not a " +
                         (it->first.IsSequence() ? "list"
                          : it->first.IsMap()    ? "mapping"
                                                 : "null") +
                         (prefix.empty() ? std::string() : " (in section '" + prefix + "')"));
      const std::string name = it->first.Scalar();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      const auto [first, inserted] = seen.emplace(name, it->first.Mark());
      if (!inserted)
        throw InputError(yaml_.place(it->first.Mark()) + ": key '" + key +
                         "' appears twice, on lines " + std::to_string(first->second.line + 1) +
                         " and " + std::to_string(it->first.Mark().line + 1) +
                         "; keep one of them");
      const YAML::Node value = it->second;
      if (isSectionPrefix(key)) {
        if (value.IsNull()) continue;  // an empty section keeps its defaults
        if (!value.IsMap())
          throw InputError(yaml_.place(value.Mark()) + ": key '" + key +
                           "' is a section and must hold keys, not a value");
        readMap(config, value, key);
        continue;
      }
      applyScalar(config, key, value, it->first.Mark());
    }
  }

  void applyScalar(ExperimentConfig& config, const std::string& key, const YAML::Node& value,
                   const YAML::Mark& key_mark = YAML::Mark::null_mark()) {
    // An empty value has no place of its own: yaml-cpp marks it where the next token starts,
    // a line below the key (or past the end of the file). Its key's place is the one to name.
    const std::string place = yaml_.place(value.IsNull() ? key_mark : value.Mark());
    // A relation is placed at its key: an alias's value is marked where its anchor is.
    places_[key] = key_mark.is_null() ? place : yaml_.place(key_mark);
    // A key that is wrong as a key is placed where the key is written, not its value.
    const FieldSpec* spec = findField(key);
    if (!spec) throw InputError(places_[key] + ": unknown key '" + key + "'");
    if (!spec->appliesTo(config.kind))
      throw InputError(places_[key] + ": key '" + key + "' does not apply to a " +
                       toString(config.kind) + " experiment");
    std::string text;
    if (value.IsScalar()) {
      text = value.Scalar();
    } else if (!(value.IsNull() && spec->type == FieldType::Text)) {
      throw InputError(place + ": key '" + key + "': expected " + spec->describeExpected() +
                       ", got a " +
                       (value.IsMap()        ? "mapping"
                        : value.IsSequence() ? "list"
                                             : "null value"));
    }
    std::string problem;
    auto parsed = parseFieldValue(*spec, text, problem);
    if (!parsed) throw InputError(place + ": key '" + key + "': " + problem);
    if (isPathKey(key)) parsed = resolveRelativePath(std::get<std::string>(*parsed), base_dir_);
    spec->set(config, *parsed);
  }

  YamlSource yaml_;
  std::string source_;  // its name
  std::string base_dir_;
  std::map<std::string, std::string> places_;  // key -> "FILE:LINE:COLUMN" where it is set
};

}  // namespace

ExperimentConfig loadConfigText(const std::string& yaml, const std::string& source,
                                const std::string& base_dir) {
  YamlSource text(source, yaml);
  const YAML::Node root = loadOneYamlDocument(text, "a config");
  return YamlConfigReader(std::move(text), base_dir).read(root);
}

ExperimentConfig loadConfigFile(const std::string& path, std::string* text, ConfigPlaces* places) {
  std::string read = readUserTextFile(path, "config file");
  const std::string base = fs::absolute(path).parent_path().string();
  splitTextLines(read, path);  // names CR-only line ends, which YAML misreads
  YamlSource yaml(path, read);
  const YAML::Node root = loadOneYamlDocument(yaml, "a config");
  YamlConfigReader reader(std::move(yaml), base);
  ExperimentConfig config = reader.read(root, /*check_relations=*/places == nullptr);
  if (places) *places = {path, reader.places()};
  if (text) *text = std::move(read);
  return config;
}

ExperimentConfig loadConfigFileWithOverrides(const std::string& path,
                                             const std::vector<std::string>& assignments) {
  ConfigPlaces places;  // the relations are checked after the overrides, which may mend them
  ExperimentConfig config = loadConfigFile(path, nullptr, &places);
  applyOverrides(config, assignments, &places);
  return config;
}

std::string configToYaml(const ExperimentConfig& config) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  std::string open_section;
  for (const auto& spec : configSchema()) {
    if (!spec.appliesTo(config.kind)) continue;
    const auto dot = spec.key.find('.');
    const std::string section = dot == std::string::npos ? "" : spec.key.substr(0, dot);
    const std::string leaf = dot == std::string::npos ? spec.key : spec.key.substr(dot + 1);
    if (section != open_section) {
      if (!open_section.empty()) out << YAML::EndMap;
      if (!section.empty()) out << YAML::Key << section << YAML::Value << YAML::BeginMap;
      open_section = section;
    }
    const FieldValue value = spec.get(config);
    out << YAML::Key << leaf << YAML::Value;
    if (spec.type == FieldType::Text)
      out << YAML::DoubleQuoted << std::get<std::string>(value);
    else
      out << formatFieldValue(value);
  }
  if (!open_section.empty()) out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void saveConfigFile(const ExperimentConfig& config, const std::string& path) {
  writeFileAtomically(path, configToYaml(config));
}

std::string overrideKey(const std::string& assignment) {
  return assignment.substr(0, assignment.find('='));
}

void applyOverride(ExperimentConfig& config, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + assignment + ": expected KEY=VALUE, e.g. train.epochs=5");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  const FieldSpec* spec = findField(key);
  if (!spec && isSectionPrefix(key)) {
    // `--set train={epochs: 3}` read as "unknown key 'train'".
    std::string example;
    for (const auto& field : configSchema())
      if (field.key.rfind(key + ".", 0) == 0) {
        example = field.key;
        break;
      }
    throw InputError("--set " + assignment + ": '" + key +
                     "' is a section, not a key: set one of its keys, e.g. " + example + "=...");
  }
  if (!spec) throw InputError("--set " + assignment + ": unknown key '" + key + "'");
  if (key == "experiment")
    throw InputError("--set " + assignment + ": the experiment kind cannot be overridden");
  if (!spec->appliesTo(config.kind))
    throw InputError("--set " + assignment + ": key '" + key + "' does not apply to a " +
                     toString(config.kind) + " experiment");
  std::string problem;
  auto parsed = parseFieldValue(*spec, text, problem);
  if (!parsed) throw InputError("--set " + assignment + ": key '" + key + "': " + problem);
  if (isPathKey(key))
    parsed = resolveRelativePath(std::get<std::string>(*parsed), fs::current_path().string());
  spec->set(config, *parsed);
}

void applyOverrides(ExperimentConfig& config, const std::vector<std::string>& assignments,
                    const ConfigPlaces* places) {
  for (const auto& a : assignments) applyOverride(config, a);
  // A relation that fails is named by the assignments to its keys, else by where the file
  // sets one of them, else by all assignments.
  validateConfig(config, "--set", [&](const std::vector<std::string>& keys) {
    std::string named, all;
    for (size_t i = 0; i < assignments.size(); ++i) {
      const std::string& a = assignments[i];
      all += (all.empty() ? "--set " : " --set ") + a;
      // The assignment in effect only: a later one to the same key supersedes it.
      const bool superseded = std::any_of(
          assignments.begin() + static_cast<std::ptrdiff_t>(i) + 1, assignments.end(),
          [&](const std::string& later) { return overrideKey(later) == overrideKey(a); });
      for (const auto& key : keys)
        if (!superseded && overrideKey(a) == key)
          named += (named.empty() ? "--set " : " --set ") + a;
    }
    if (!named.empty()) return named;
    if (places) {
      const std::string place = placeOf(places->keys, keys, "");
      if (!place.empty()) return place;
      if (assignments.empty()) return places->file;
    }
    return all.empty() ? std::string("--set") : all;
  });
}

std::vector<std::string> overridesWithoutEffect(const ExperimentConfig& config,
                                                const std::vector<std::string>& assignments) {
  std::vector<std::string> remarks;
  for (const auto& assignment : assignments) {
    const std::string key = overrideKey(assignment);
    if (fieldInUse(key, config)) continue;
    std::string remark =
        "--set " + assignment + " has no effect here: it applies when " + fieldUseCondition(key);
    if (std::find(remarks.begin(), remarks.end(), remark) == remarks.end())
      remarks.push_back(std::move(remark));
  }
  return remarks;
}

void validateConfig(
    const ExperimentConfig& c, const std::string& source,
    const std::function<std::string(const std::vector<std::string>& keys)>& source_of) {
  // `related`: the other keys of the relation, which the source may have set instead.
  auto fail = [&](const std::string& key, const std::string& what,
                  std::vector<std::string> related = {}) {
    related.insert(related.begin(), key);
    throw InputError((source_of ? source_of(related) : source) + ": key '" + key + "': " + what);
  };
  // The name becomes part of the run folder's name (OUTPUT_DIR/NAME-TIMESTAMP): it must not
  // reach outside output.dir or make nested folders.
  const bool name_ok =
      !c.name.empty() && c.name.front() != '.' &&
      std::all_of(c.name.begin(), c.name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
      });
  if (!name_ok)
    fail("name", "'" + printable(c.name) +
                     "' must be letters, digits, '-', '_' or '.' (not first), since it "
                     "names the run's folder");
  // The folder is NAME-YYYYMMDD-HHMMSS[-N]; file systems allow 255 bytes a name.
  if (c.name.size() > kMaxNameLength)
    fail("name", "is " + std::to_string(c.name.size()) + " characters long; at most " +
                     std::to_string(kMaxNameLength) + ", since it names the run's folder");
  if (c.teacher_forcing.decay > 0 && c.teacher_forcing.floor > c.teacher_forcing.initial)
    fail("teacher_forcing.floor",
         "the floor (" + formatFieldValue(c.teacher_forcing.floor) +
             ") is above the initial ratio (" + formatFieldValue(c.teacher_forcing.initial) + ")",
         {"teacher_forcing.initial", "teacher_forcing.decay"});
  const std::string& best = c.evaluation.best_by;
  const auto& choices = experimentFacts(c.kind).selection_scores;
  if (std::find(choices.begin(), choices.end(), best) == choices.end()) {
    std::string listed;
    for (const auto& choice : choices) listed += (listed.empty() ? "" : ", ") + choice;
    fail("evaluation.best_by", "a " + toString(c.kind) + " experiment does not compute '" + best +
                                   "' (it picks by " + listed + ")");
  }
  // Cross-field checks hold wherever their keys apply, whatever the experiment. Each says the
  // failing key's value: the file may leave it at its default and set only the related key,
  // where the message is placed.
  auto applies = [&](const char* key) {
    const FieldSpec* spec = findField(key);
    return spec && spec->appliesTo(c.kind);
  };
  if (applies("video.past_frames") &&
      c.video.past_frames + std::max(c.video.future_frames, c.video.eval_future_frames) > 30)
    fail("video.future_frames",
         "past_frames + future_frames (and + eval_future_frames) must fit in a 30-frame "
         "sequence: " +
             std::to_string(c.video.past_frames) + " + " +
             std::to_string(std::max(c.video.future_frames, c.video.eval_future_frames)) + " = " +
             std::to_string(c.video.past_frames +
                            std::max(c.video.future_frames, c.video.eval_future_frames)),
         {"video.past_frames", "video.eval_future_frames"});
  if (applies("video.eval_samples") && c.video.eval_samples < 2 &&
      (best == "psnr_best" || best == "ssim_best"))
    fail("evaluation.best_by",
         "'" + best + "' picks by the best of video.eval_samples prior samples, and " +
             std::to_string(c.video.eval_samples) +
             " sample is its own best: draw 2 or more, or pick by '" +
             best.substr(0, best.size() - 5) + "'",
         {"video.eval_samples"});
  if (applies("video.past_frames") && c.train.batch_size < 2)
    fail("train.batch_size",
         "a video model needs at least 2 sequences a batch (its codec's batch normalisation "
         "cannot train on one)");
  if (applies("model.condition_size") && c.model.condition_size > c.model.hidden_size)
    fail("model.condition_size",
         std::to_string(c.model.condition_size) + " must not exceed model.hidden_size (" +
             std::to_string(c.model.hidden_size) + ")",
         {"model.hidden_size"});
  // The tense encoder's initial state holds the tense embedding in its last units.
  if (applies("model.encoder_hidden_size") && c.model.encoder_hidden_size > 0 &&
      c.model.condition_size > c.model.encoder_hidden_size)
    fail("model.condition_size",
         std::to_string(c.model.condition_size) + " must not exceed model.encoder_hidden_size (" +
             std::to_string(c.model.encoder_hidden_size) + ")",
         {"model.encoder_hidden_size"});
}

}  // namespace cvae
