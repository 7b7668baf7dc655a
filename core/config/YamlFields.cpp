#include "core/config/YamlFields.h"

#include "core/config/YamlDocument.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"

namespace cvae {
namespace {

bool hasValue(const YAML::Node& node) {
  return node && !node.IsNull();
}

// What a value is, for "got ...": its text, or what kind of node stands where a value goes.
std::string gotText(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "'" + node.Scalar() + "'";
}

}  // namespace

std::string YamlFields::where(const YAML::Node& node, const std::string& key) const {
  return source_.place(node.Mark()) + ": key '" + key + "'";
}

std::string YamlFields::text(const YAML::Node& map, const std::string& key) const {
  const YAML::Node node = map[key];
  // An empty value is a missing one (yaml-cpp would place it on the next line).
  if (!hasValue(node)) return {};
  if (!node.IsScalar()) throw InputError(where(node, key) + ": expected a single value");
  return node.Scalar();
}

double YamlFields::number(const YAML::Node& map, const std::string& key) const {
  const YAML::Node node = map[key];
  if (!node) throw InputError(where(map, key) + " is missing");
  const std::string value = node.IsScalar() ? node.Scalar() : std::string();
  const auto parsed = parseDouble(value);
  if (!node.IsScalar() || !parsed)
    throw InputError(where(node, key) + ": expected a number, got " + gotText(node));
  return *parsed;
}

double YamlFields::number(const YAML::Node& map, const std::string& key, double fallback) const {
  return hasValue(map[key]) ? number(map, key) : fallback;
}

std::int64_t YamlFields::whole(const YAML::Node& map, const std::string& key, std::int64_t low,
                               std::int64_t high) const {
  const YAML::Node node = map[key];
  if (!node) throw InputError(where(map, key) + " is missing");
  const std::string value = node.IsScalar() ? node.Scalar() : std::string();
  const auto parsed = parseInteger(value);
  if (!node.IsScalar() || !parsed || *parsed < low || *parsed > high)
    throw InputError(where(node, key) + ": expected a whole number in [" + std::to_string(low) +
                     ", " + std::to_string(high) + "], got " + gotText(node));
  return *parsed;
}

std::int64_t YamlFields::whole(const YAML::Node& map, const std::string& key, std::int64_t low,
                               std::int64_t high, std::int64_t fallback) const {
  return hasValue(map[key]) ? whole(map, key, low, high) : fallback;
}

YAML::Node YamlFields::map(const YAML::Node& parent, const std::string& key) const {
  const YAML::Node node = parent[key];
  if (!hasValue(node)) return YAML::Node(YAML::NodeType::Map);
  if (!node.IsMap()) throw InputError(where(node, key) + ": expected a mapping");
  return node;
}

std::string YamlFields::name(const YAML::Node& key, const std::string& what) const {
  if (!key.IsScalar() || key.Scalar().empty())
    throw InputError(source_.place(key.Mark()) + ": " + what + " name must be a plain name");
  return key.Scalar();
}

}  // namespace cvae
