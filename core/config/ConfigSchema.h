#pragma once
// One table describes every config key: its type, range, the experiments it applies to and how
// to read and write it. Loading, validation, saving, `--set` overrides and the GUI's field
// validation all go through this table, so a key is added in exactly one place.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

using FieldValue = std::variant<bool, std::int64_t, double, std::string>;

enum class FieldType { Flag, Integer, Real, Text, Choice };

struct FieldSpec {
  std::string key;  // dotted path, e.g. "train.epochs"
  FieldType type = FieldType::Text;
  double min = 0;  // inclusive bounds for Integer and Real
  double max = 0;
  std::vector<std::string> choices;   // for Choice
  std::vector<ExperimentKind> kinds;  // empty: applies to every experiment
  std::string help;
  std::function<void(ExperimentConfig&, const FieldValue&)> set;
  std::function<FieldValue(const ExperimentConfig&)> get;

  bool appliesTo(ExperimentKind kind) const;
  // "an integer in [1, 100000]" — used in error messages and tool tips.
  std::string describeExpected() const;
};

const std::vector<FieldSpec>& configSchema();
const FieldSpec* findField(const std::string& key);

// The values a Choice field offers in an experiment of `kind`: evaluation.best_by only the
// scores that experiment computes (ExperimentFacts::selection_scores), any other its whole list.
std::vector<std::string> fieldChoices(const FieldSpec& spec, ExperimentKind kind);

// Parses `text` as a value for `spec` and checks its range. On failure returns nullopt and
// fills `problem` with what was expected ("expected an integer in [1, 1000000], got 'x'").
std::optional<FieldValue> parseFieldValue(const FieldSpec& spec, const std::string& text,
                                          std::string& problem);
std::string formatFieldValue(const FieldValue& value);
// The value `spec`'s key acts with in `config`: its own, except where a 0 stands for another
// key's value (model.encoder_hidden_size 0 is the hidden size), so 0 and that value compare equal.
FieldValue effectiveFieldValue(const FieldSpec& spec, const ExperimentConfig& config);
// A flag's text as YAML writes a bool (true/True/TRUE, yes, y, on and their false twins) or 1/0;
// nullopt for anything else.
std::optional<bool> parseFlag(const std::string& text);

// Whether `key` has any effect given the config's other values: cycles only under a cyclical
// policy, momentum only for SGD, step size and gamma only for the step schedule, and so on. The
// GUI disables the fields that do not apply instead of silently ignoring them.
bool fieldInUse(const std::string& key, const ExperimentConfig& config);
// Whether `key` is read only while training (schedules, optimizer, output, epochs, dropouts, the
// checkpoint choice) in an experiment of `kind`: a trained checkpoint decodes the same whatever
// its value. train.seed is, for spelling: its evaluation draws nothing.
bool readOnlyInTraining(const std::string& key, ExperimentKind kind);
// Whether `key` is read only by a checkpoint's evaluation (and in training): the Gaussian score's
// sample size and seeds, the preview rows, the video scoring's sequences and samples. convert,
// generate, interpolate and probe never read it.
bool readOnlyInEvaluation(const std::string& key);
// When `key` has an effect, in words ("kl_annealing.policy is cyclical"); empty for keys that
// always do.
std::string fieldUseCondition(const std::string& key);

// Keys holding file paths (data.train, data.test, data.lexicon, data.common_words): relative ones
// resolve against the config's folder, and the GUI offers a file chooser.
bool isPathKey(const std::string& key);

// One key whose value differs between two configs, both values as config text.
struct ConfigChange {
  std::string key;
  std::string from;
  std::string to;
};
// The keys (of `b`'s experiment) whose values differ, in schema order.
std::vector<ConfigChange> configDifferences(const ExperimentConfig& a, const ExperimentConfig& b);

}  // namespace cvae
