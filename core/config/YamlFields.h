#pragma once
// Typed reads of the keys of a YAML file the program wrote and a user may have edited (a run's
// status.yaml and edits.yaml, scores.yaml), each refusal naming SOURCE:LINE:COLUMN and the key.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "core/config/YamlDocument.h"

namespace cvae {

class YamlFields {
 public:
  explicit YamlFields(YamlSource source) : source_(std::move(source)) {}

  // "SOURCE:LINE:COLUMN: key 'KEY'", at `node`.
  std::string where(const YAML::Node& node, const std::string& key) const;

  // `key`'s single value in `map`; empty when the key is missing or has no value. Throws
  // InputError for a list or a mapping.
  std::string text(const YAML::Node& map, const std::string& key) const;
  // A number, required. Throws InputError naming the key when missing or not a number.
  double number(const YAML::Node& map, const std::string& key) const;
  // A number, or `fallback` when the key is missing or has no value.
  double number(const YAML::Node& map, const std::string& key, double fallback) const;
  // A whole number in [low, high], required.
  std::int64_t whole(const YAML::Node& map, const std::string& key, std::int64_t low,
                     std::int64_t high) const;
  // A whole number in [low, high], or `fallback` when the key is missing or has no value.
  std::int64_t whole(const YAML::Node& map, const std::string& key, std::int64_t low,
                     std::int64_t high, std::int64_t fallback) const;
  // `key`'s mapping in `parent`; an empty one when the key is missing or has no value.
  YAML::Node map(const YAML::Node& parent, const std::string& key) const;
  // A mapping's key node, which must be a plain, non-empty name: `what` says whose ("a score's").
  std::string name(const YAML::Node& key, const std::string& what) const;

 private:
  YamlSource source_;
};

}  // namespace cvae
