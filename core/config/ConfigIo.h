#pragma once
// Reading and writing experiment configs as YAML. Every problem is reported as an InputError
// whose message names the file, the line and column, and the key.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/config/ConfigError.h"
#include "core/config/ExperimentConfig.h"

namespace cvae {

// Where a config file sets each key: its path and "FILE:LINE:COLUMN" by key, so that a relation
// between keys that fails only after overrides still names the file's place.
struct ConfigPlaces {
  std::string file;
  std::map<std::string, std::string> keys;
};

// Loads and validates a config file. Relative data paths resolve against the file's folder.
// `text`, when given, receives the file's text (for a caller that checks more of it). With
// `places`, the relations between keys (validateConfig) are left to the caller, for overrides
// may still mend them: pass `places` to applyOverrides, which checks them.
ExperimentConfig loadConfigFile(const std::string& path, std::string* text = nullptr,
                                ConfigPlaces* places = nullptr);

// A config file with `--set` assignments applied (applyOverrides), its relations between keys
// checked once, after them: an override may mend what the file breaks.
ExperimentConfig loadConfigFileWithOverrides(const std::string& path,
                                             const std::vector<std::string>& assignments);

// Same as loadConfigFile, for YAML text; `source` names it in messages and `base_dir` resolves
// relative paths.
ExperimentConfig loadConfigText(const std::string& yaml, const std::string& source,
                                const std::string& base_dir);

std::string configToYaml(const ExperimentConfig& config);

// Writes atomically (temporary file + rename) so a crash never leaves half a config.
void saveConfigFile(const ExperimentConfig& config, const std::string& path);

// The key of a "key=value" assignment (as given to `--set`); all of it when it has no '='.
std::string overrideKey(const std::string& assignment);
// Applies "key=value" (as given to `--set`). Relative data paths resolve against the cwd.
void applyOverride(ExperimentConfig& config, const std::string& assignment);
// Then checks the relations between keys (validateConfig): a failing one is named by the
// assignments to its keys, else by the first of its keys `places` has, else by all assignments.
void applyOverrides(ExperimentConfig& config, const std::vector<std::string>& assignments,
                    const ConfigPlaces* places = nullptr);
// The assignments whose key has no effect given the config's other values (fieldInUse), each
// as a sentence naming when it would ("--set model.copy=true has no effect here: it applies
// when model.attention is true"), so a command can say so rather than ignore it silently.
std::vector<std::string> overridesWithoutEffect(const ExperimentConfig& config,
                                                const std::vector<std::string>& assignments);

// The longest run or sweep name: it names a folder, with room for a timestamp or member name
// within a file system's 255 bytes.
constexpr std::size_t kMaxNameLength = 200;

// Checks relations between keys that the per-key ranges cannot (floor above initial, a best_by
// score the experiment does not compute, ...). Throws InputError naming `source` and the key;
// `source_of`, when given, names the source instead from the relation's keys (the failing one
// first): "--set K=V --set K2=V2".
void validateConfig(
    const ExperimentConfig& config, const std::string& source,
    const std::function<std::string(const std::vector<std::string>& keys)>& source_of = {});

}  // namespace cvae
