#include "core/sweeps/SweepPlan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentFacts.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"

namespace fs = std::filesystem;

namespace cvae {
namespace {

constexpr size_t kMaxMembers = 10000;

// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose output is fixed by its
// definition, unlike std::uniform_real_distribution's, which each standard library may
// implement differently.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// Checks `value` for `key` against the schema and the base config's experiment; returns the
// value as config text (data paths made absolute against the sweep file's folder).
void checkKey(const ExperimentConfig& base, const std::string& key, const std::string& place) {
  const FieldSpec* spec = findField(key);
  if (!spec) throw InputError(place + ": unknown config key '" + key + "'");
  if (key == "experiment")
    throw InputError(place + ": 'experiment' cannot be swept; make one sweep per experiment");
  if (!spec->appliesTo(base.kind))
    throw InputError(place + ": key '" + key + "' does not apply to a " + toString(base.kind) +
                     " experiment (the base config's)");
}

std::string checkedValue(const ExperimentConfig& base, const std::string& key,
                         const std::string& value, const std::string& place,
                         const std::string& sweep_dir) {
  checkKey(base, key, place);
  const FieldSpec* spec = findField(key);
  std::string problem;
  auto parsed = parseFieldValue(*spec, value, problem);
  if (!parsed) throw InputError(place + ": key '" + key + "': " + problem);
  if (isPathKey(key) && !value.empty()) {
    // One file one way, so a file listed twice is found ("/d/./train.txt" is "/d/train.txt").
    if (fs::path(value).is_absolute()) return fs::path(value).lexically_normal().string();
    return resolveRelativePath(value, sweep_dir);
  }
  return formatFieldValue(*parsed);
}

void apply(ExperimentConfig& config, const std::string& key, const std::string& text) {
  std::string problem;
  const FieldSpec* spec = findField(key);
  spec->set(config, *parseFieldValue(*spec, text, problem));
}

std::string draw(const SweepRandomKey& key, SplitMix64& random) {
  const double u = random.unit();
  const FieldSpec* spec = findField(key.key);
  const bool integer = spec && spec->type == FieldType::Integer;
  switch (key.distribution) {
    case SweepDistribution::Choice:
      return key
          .choices[std::min(key.choices.size() - 1,
                            static_cast<size_t>(u * static_cast<double>(key.choices.size())))]
          .value;
    case SweepDistribution::IntUniform:
      return std::to_string(
          static_cast<long long>(key.low + std::floor(u * (key.high - key.low + 1))));
    case SweepDistribution::Uniform: {
      const double v = key.low + u * (key.high - key.low);
      return integer ? std::to_string(std::llround(v)) : formatGeneral(v, 4);
    }
    case SweepDistribution::LogUniform: {
      const double v = std::exp(std::log(key.low) + u * (std::log(key.high) - std::log(key.low)));
      return integer ? std::to_string(std::llround(v)) : formatGeneral(v, 4);
    }
  }
  return {};
}

// A value listed twice, as written, and as read where that differs: "'Yes' (true)".
std::string sameValueText(const std::string& written, const std::string& read) {
  return "'" + written + "'" + (written == read ? "" : " (" + read + ")");
}

// A value as part of a folder name: a path by its file name, at most 16 characters.
std::string nameFragment(const std::string& value) {
  const auto slash = value.find_last_of('/');
  const std::string shown = slash == std::string::npos ? value : value.substr(slash + 1);
  std::string out;
  for (char c : shown.substr(0, 16))
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
  return out;
}

}  // namespace

SweepPlan expandSweep(const SweepFile& file) {
  ExperimentConfig base;
  // The relations between keys are checked on each member: `set:` may mend the base's.
  ConfigPlaces places;
  try {
    base = loadConfigFile(file.base_config, nullptr, &places);
  } catch (const InputError& e) {
    throw InputError(file.path + ": base config: " + e.what());
  }
  return expandSweep(file, base, &places);
}

SweepPlan expandSweep(const SweepFile& file, const ExperimentConfig& base,
                      const ConfigPlaces* base_places) {
  SweepPlan plan;
  plan.file = file;
  plan.base = base;
  const std::string sweep_dir = fs::absolute(file.path).parent_path().string();

  // Every key once: a key both fixed and swept, or swept twice, has no single meaning.
  std::map<std::string, int> placed;  // key -> line
  auto claim = [&](const std::string& key, const std::string& place, int line) {
    checkKey(plan.base, key, place);
    const auto [it, inserted] = placed.emplace(key, line);
    if (!inserted)
      throw InputError(place + ": key '" + key + "' is also given on line " +
                       std::to_string(it->second) + "; give each key in one place");
  };

  std::vector<std::string> fixed;
  for (const auto& a : file.set) {
    claim(a.key, a.key_place, a.key_line);
    const std::string text = checkedValue(plan.base, a.key, a.value, a.place, sweep_dir);
    apply(plan.base, a.key, text);
    fixed.push_back(a.key + "=" + text);
  }

  std::vector<std::vector<std::string>> axes;  // checked values per grid key
  size_t combinations = 1;
  for (const auto& axis : file.grid) {
    claim(axis.key, axis.place, axis.key_line);
    plan.swept_keys.push_back(axis.key);
    std::vector<std::string> values;
    std::set<std::string> distinct;
    for (const auto& v : axis.values) {
      values.push_back(checkedValue(plan.base, axis.key, v.value, v.place, sweep_dir));
      if (!distinct.insert(values.back()).second)
        throw InputError(v.place + ": grid key '" + axis.key + "' lists " +
                         sameValueText(v.value, values.back()) + " twice");
    }
    combinations *= values.size();
    if (combinations > kMaxMembers)
      throw InputError(axis.place + ": the grid has more than " + std::to_string(kMaxMembers) +
                       " combinations");
    axes.push_back(std::move(values));
  }

  // The choices as the config writes them (a flag's YES is true), so members and summaries say
  // one value one way, and a value listed twice is found as it is in a grid.
  std::vector<SweepRandomKey> random_keys = file.random_keys;
  for (auto& key : random_keys) {
    claim(key.key, key.key_place, key.key_line);
    plan.swept_keys.push_back(key.key);
    // Checks the key, and the bounds or choices as values of it.
    if (key.distribution == SweepDistribution::Choice) {
      std::set<std::string> distinct;
      for (auto& c : key.choices) {
        const std::string checked = checkedValue(plan.base, key.key, c.value, c.place, sweep_dir);
        if (!distinct.insert(checked).second)
          throw InputError(c.place + ": choice for '" + key.key + "' lists " +
                           sameValueText(c.value, checked) + " twice");
        c.value = checked;
      }
    } else {
      const FieldSpec* spec = findField(key.key);
      if (spec && spec->type != FieldType::Integer && spec->type != FieldType::Real)
        throw InputError(key.place + ": key '" + key.key +
                         "' is not a number; draw its values with {choice: [...]}");
      for (double bound : {key.low, key.high})
        checkedValue(plan.base, key.key,
                     spec && spec->type == FieldType::Integer ? std::to_string(std::llround(bound))
                                                              : formatShortest(bound),
                     key.place, sweep_dir);
    }
  }
  std::vector<std::vector<std::string>> draws;  // [draw][random key]
  SplitMix64 random(file.random_seed);
  for (int d = 0; d < file.random_count; ++d) {
    std::vector<std::string> values;
    for (const auto& key : random_keys) values.push_back(draw(key, random));
    draws.push_back(std::move(values));
  }
  // Draws from few values repeat (int_uniform [1, 2] drawn 4 times): members that differ in
  // name only, each trained. A grid refuses a value listed twice; a draw is chance, so it is said.
  std::vector<std::string> repeats;
  for (size_t d = 0; d < draws.size(); ++d)
    for (size_t e = 0; e < d; ++e)
      if (draws[d] == draws[e]) {
        repeats.push_back("r" + std::to_string(d) + " = r" + std::to_string(e));
        break;
      }
  if (draws.empty()) draws.emplace_back();

  std::vector<std::string> seeds;
  if (!file.seeds.empty()) {
    claim("train.seed", file.seeds.front().key_place, file.seeds.front().key_line);
    plan.swept_keys.push_back("train.seed");
    for (const auto& s : file.seeds) {
      seeds.push_back(checkedValue(plan.base, "train.seed", s.value, s.place, sweep_dir));
      if (std::count(seeds.begin(), seeds.end(), seeds.back()) > 1)
        throw InputError(s.place + ": seeds lists " + sameValueText(s.value, seeds.back()) +
                         " twice");
    }
  } else {
    seeds.emplace_back();
  }

  if (file.early_stop && file.early_stop->collapse &&
      !experimentFacts(plan.base.kind).has_collapse_watch)
    throw InputError(file.early_stop->place +
                     ": early_stop.collapse needs the collapse watch, which the " +
                     toString(plan.base.kind) + " experiment does not have (tense and video only)");
  if (file.early_stop && file.early_stop->median) {
    const auto& scores = experimentFacts(plan.base.kind).score_names;
    if (std::find(scores.begin(), scores.end(), file.early_stop->score) == scores.end()) {
      std::string listed;
      for (const auto& s : scores) listed += (listed.empty() ? "" : ", ") + s;
      throw InputError(file.early_stop->place + ": early_stop.score '" + file.early_stop->score +
                       "' is not a score of the " + toString(plan.base.kind) + " experiment (" +
                       listed + ")");
    }
  }

  const size_t total = combinations * draws.size() * seeds.size();
  if (total > kMaxMembers)
    throw InputError(file.path + ": the sweep has " + std::to_string(total) +
                     " members, more than " + std::to_string(kMaxMembers));
  const int width = std::max<int>(3, static_cast<int>(std::to_string(total - 1).size()));

  for (size_t c = 0; c < combinations; ++c) {
    std::vector<std::string> grid_values(axes.size());
    size_t rest = c;
    for (size_t k = axes.size(); k-- > 0;) {
      grid_values[k] = axes[k][rest % axes[k].size()];
      rest /= axes[k].size();
    }
    for (size_t d = 0; d < draws.size(); ++d) {
      for (const auto& seed : seeds) {
        SweepMember m;
        m.index = static_cast<int>(plan.members.size());
        std::string index = std::to_string(m.index);
        m.name = std::string(width - index.size(), '0') + index;
        for (const auto& v : grid_values) m.name += "-" + nameFragment(v);
        if (file.random_count > 0) m.name += "-r" + std::to_string(d);
        if (!seed.empty()) m.name += "-s" + nameFragment(seed);
        m.values = grid_values;
        m.values.insert(m.values.end(), draws[d].begin(), draws[d].end());
        if (!seed.empty()) m.values.push_back(seed);
        m.config = plan.base;
        m.overrides = fixed;
        for (size_t k = 0; k < m.values.size(); ++k) {
          apply(m.config, plan.swept_keys[k], m.values[k]);
          m.overrides.push_back(plan.swept_keys[k] + "=" + m.values[k]);
        }
        std::string listed;
        for (size_t k = 0; k < m.values.size(); ++k)
          listed += (k ? ", " : "") + plan.swept_keys[k] + "=" + m.values[k];
        const std::string member = file.path + ": member " + m.name + " (" + listed + ")";
        validateConfig(m.config, member, [&](const std::vector<std::string>& keys) {
          // A relation that no `set:` or swept key touches fails in every member alike: it is
          // the base file's, named at its line.
          const auto swept = [&](const std::string& k) {
            return std::find(plan.swept_keys.begin(), plan.swept_keys.end(), k) !=
                   plan.swept_keys.end();
          };
          // One that a `set:` value and no swept key touches fails in every member alike too:
          // named at that value.
          if (std::none_of(keys.begin(), keys.end(), swept))
            for (const auto& key : keys)
              for (const auto& fixed_value : file.set)
                if (fixed_value.key == key) return fixed_value.place;
          if (!base_places || std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
                return placed.count(k) > 0;
              }))
            return member;
          for (const auto& key : keys)
            if (const auto it = base_places->keys.find(key); it != base_places->keys.end())
              return file.path + ": base config: " + it->second;
          return file.path + ": base config: " + base_places->file;
        });
        plan.members.push_back(std::move(m));
      }
    }
  }
  if (file.early_stop && file.early_stop->median &&
      static_cast<size_t>(file.early_stop->min_members) + 1 > plan.members.size())
    plan.warnings.push_back(
        std::string(file.early_stop->collapse ? "early_stop's median rule (not its collapse watch)"
                                              : "early_stop") +
        " never stops a member: min_members " + std::to_string(file.early_stop->min_members) +
        " needs that many other members, and the "
        "sweep has " +
        std::to_string(plan.members.size()) + " members");
  if (!repeats.empty()) {
    plan.warnings.push_back("random: " + std::to_string(repeats.size()) + " of " +
                            std::to_string(file.random_count) + " draws repeat an earlier draw (" +
                            namesWithRest(repeats, 3) +
                            "): their members train the same runs again; widen the ranges, add "
                            "choices or lower count");
  }
  for (const auto& [key, line] : placed)
    if (key == "name" || key == "output.dir")
      plan.warnings.push_back("'" + key + "' (line " + std::to_string(line) +
                              ") has no effect on the members: each runs in the sweep folder's "
                              "MEMBER folder, named by the sweep");
  // A `set:` key with no effect in any member (kl_annealing.cycles under a monotonic policy).
  for (const auto& assignment : file.set) {
    bool idle = !plan.members.empty();
    for (const auto& m : plan.members) idle = idle && !fieldInUse(assignment.key, m.config);
    if (idle)
      plan.warnings.push_back(
          "'" + assignment.key + "' (line " + std::to_string(assignment.key_line) +
          ") has no effect on the members: it applies when " + fieldUseCondition(assignment.key));
  }
  for (size_t k = 0; k < plan.swept_keys.size(); ++k) {
    std::vector<std::string> idle;
    for (const auto& m : plan.members)
      if (!fieldInUse(plan.swept_keys[k], m.config)) idle.push_back(m.name);
    if (idle.empty()) continue;
    plan.warnings.push_back(
        "'" + plan.swept_keys[k] + "' has no effect in " + std::to_string(idle.size()) + " of " +
        std::to_string(plan.members.size()) + " members (" + namesWithRest(idle, 4) +
        "), given their other settings; those differ in name only");
  }
  return plan;
}

std::string namesWithRest(const std::vector<std::string>& names, size_t shown) {
  std::string listed;
  for (size_t i = 0; i < names.size() && i < shown; ++i) listed += (i ? ", " : "") + names[i];
  if (names.size() > shown) listed += " and " + std::to_string(names.size() - shown) + " more";
  return listed;
}

std::string describeSweepPlan(const SweepPlan& plan) {
  std::vector<std::string> header = {"member"};
  header.insert(header.end(), plan.swept_keys.begin(), plan.swept_keys.end());
  std::vector<std::vector<std::string>> rows = {header};
  for (const auto& m : plan.members) {
    std::vector<std::string> row = {m.name};
    row.insert(row.end(), m.values.begin(), m.values.end());
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  std::ostringstream out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i)
      out << row[i] << (i + 1 < row.size() ? std::string(widths[i] - row[i].size() + 2, ' ') : "");
    out << "\n";
  }
  return out.str();
}

}  // namespace cvae
