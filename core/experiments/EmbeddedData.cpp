#include "core/experiments/EmbeddedData.h"

#include <cstdlib>
#include <filesystem>

#include "core/experiments/ExperimentRegistry.h"

namespace fs = std::filesystem;

namespace cvae {

std::string embeddedDataDir() {
  // Absolute: runs keep the data paths in their config.yaml, and a relative one would name
  // other files from another folder (a resume, a sweep continued from elsewhere).
  if (const char* dir = std::getenv("CVAE_DATA_DIR"); dir && *dir)
    return fs::absolute(dir).lexically_normal().string();
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return (fs::path(xdg) / "cvae-workbench" / "data").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : ".") / ".local" / "share" / "cvae-workbench" / "data")
      .string();
}

void makeDefaultData(ExperimentKind kind, const std::string& dir,
                     const std::function<void(const std::string&)>& progress, int size) {
  experimentEntry(kind).make_default_data(dir, size, progress);
}

EmbeddedDataFiles embeddedDataFiles(ExperimentKind kind) {
  const auto& entry = experimentEntry(kind);
  const fs::path dir = fs::path(embeddedDataDir()) / entry.data_folder;
  return {dir.string(), (dir / entry.train_file).string(), (dir / entry.test_file).string()};
}

bool EmbeddedDataFiles::exist() const {
  return fs::exists(train) && fs::exists(test);
}

bool resolveDataPaths(ExperimentConfig& config,
                      const std::function<void(const std::string&)>& progress) {
  if (!config.data.train.empty() && !config.data.test.empty()) return false;
  const auto files = embeddedDataFiles(config.kind);
  bool made = false;
  if (!files.exist()) {
    makeDefaultData(config.kind, files.dir, progress);
    made = true;
  }
  fillDefaultDataPaths(config);
  return made;
}

void fillDefaultDataPaths(ExperimentConfig& config) {
  const auto files = embeddedDataFiles(config.kind);
  if (config.data.train.empty()) config.data.train = files.train;
  if (config.data.test.empty()) config.data.test = files.test;
}

}  // namespace cvae
