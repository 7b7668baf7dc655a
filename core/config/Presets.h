#pragma once
// The presets of configs/, compiled in: `cvae-cli bench tense` and the GUI's experiment
// switcher work from any folder, with or without the source tree.

#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace cvae {

struct EmbeddedPreset {
  std::string file_name;  // "tense_cvae.yaml"
  std::string yaml;
};

const std::vector<EmbeddedPreset>& embeddedPresets();

// The registry's preset for `kind`, loaded and validated; relative paths resolve against the
// current folder. Falls back to ExperimentConfig::defaultsFor when no preset is compiled in.
ExperimentConfig presetConfig(ExperimentKind kind);

}  // namespace cvae
