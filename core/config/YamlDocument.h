#pragma once
// One YAML document read from a user's text, with errors that name the place.
#include <yaml-cpp/yaml.h>

#include <string>

namespace cvae {

// "SOURCE:LINE:COLUMN" (1-based), or SOURCE when the mark is unknown.
std::string yamlPlace(const std::string& source, const YAML::Mark& mark);

// Parses `text` as exactly one YAML document. `what` names the kind of file in messages
// ("a config", "a sweep file"). Throws InputError naming SOURCE:LINE:COLUMN for invalid YAML,
// for a second document (after '---'), and for text yaml-cpp 0.7 cannot get past: a ',' at the
// top level makes its LoadAll return empty documents forever (found by fuzzing: it exhausted
// memory) and its Load return an empty node, silently dropping the file's content.
YAML::Node loadOneYamlDocument(const std::string& text, const std::string& source,
                               const std::string& what);

}  // namespace cvae
