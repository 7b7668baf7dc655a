#include "core/config/Presets.h"

#include <filesystem>

#include "core/config/ConfigIo.h"
#include "core/config/ExperimentFacts.h"

namespace cvae {

ExperimentConfig presetConfig(ExperimentKind kind) {
  const auto& file_name = experimentFacts(kind).default_config;
  for (const auto& preset : embeddedPresets())
    if (preset.file_name == file_name)
      return loadConfigText(preset.yaml, file_name, std::filesystem::current_path().string());
  return ExperimentConfig::defaultsFor(kind);
}

}  // namespace cvae
