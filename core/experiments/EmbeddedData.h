#pragma once
// The data sets the workbench makes itself, so it runs on a machine without the course files.
// They are written once into a cache folder and reused:
//   $CVAE_DATA_DIR, else $XDG_DATA_HOME/cvae-workbench/data, else
//   ~/.local/share/cvae-workbench/data.

#include <functional>
#include <string>

#include "core/config/ExperimentConfig.h"

namespace cvae {

std::string embeddedDataDir();

// Where the embedded default data set of `kind` lives, whether it has been made yet or not.
struct EmbeddedDataFiles {
  std::string dir;
  std::string train;
  std::string test;
  bool exist() const;
};
EmbeddedDataFiles embeddedDataFiles(ExperimentKind kind);

// Makes the default data set of `kind` under `dir` (train + test files in the course format).
// `progress` receives short human-readable messages.
// `size` > 0 overrides the default size (see ExperimentEntry::make_default_data).
void makeDefaultData(ExperimentKind kind, const std::string& dir,
                     const std::function<void(const std::string&)>& progress = {}, int size = 0);

// Fills empty data paths of `config` with the embedded default's files, made or not.
void fillDefaultDataPaths(ExperimentConfig& config);

// Fills empty data paths of `config` with the embedded default, making it first if needed.
// Returns true when it had to make the data set.
bool resolveDataPaths(ExperimentConfig& config,
                      const std::function<void(const std::string&)>& progress = {});

}  // namespace cvae
