#include "core/config/YamlDocument.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

#include "core/io/InputError.h"

namespace cvae {
namespace {

// Records where each document starts and ignores the rest; the nodes come from YAML::Load.
class DocumentStarts : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

std::string yamlPlace(const std::string& source, const YAML::Mark& mark) {
  if (mark.is_null()) return source;
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

YAML::Node loadOneYamlDocument(const std::string& text, const std::string& source,
                               const std::string& what) {
  try {
    // At most two documents are parsed, so a parser that does not advance cannot loop.
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts first;
    if (!parser.HandleNextDocument(first)) return YAML::Node();
    DocumentStarts second;
    if (parser.HandleNextDocument(second)) {
      if (second.start.pos <= first.start.pos)
        throw InputError(yamlPlace(source, second.start) +
                         ": invalid YAML: the parser cannot read past this point (a ',' or "
                         "other flow character outside [ ] or { }?)");
      throw InputError(yamlPlace(source, second.start) +
                       ": a second YAML document (after a '---' line); " + what + " is one");
    }
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(yamlPlace(source, e.mark) + ": invalid YAML: " + e.msg);
  }
}

}  // namespace cvae
