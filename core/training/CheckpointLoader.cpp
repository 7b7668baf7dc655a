#include "core/training/CheckpointLoader.h"

#include "core/config/ConfigIo.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/training/Runtime.h"

namespace cvae {

LoadedExperiment loadExperimentFromCheckpoint(const std::string& path,
                                              const std::vector<std::string>& overrides) {
  LoadedExperiment loaded;
  loaded.info = readCheckpointInfo(path);
  loaded.config = checkpointConfig(path);
  applyOverrides(loaded.config, overrides);
  // An emptied data path means the embedded default, as it does for training.
  resolveDataPaths(loaded.config);
  const auto device = prepareTrainingProcess(loaded.config.train);
  loaded.experiment = experimentEntry(loaded.config.kind).create(loaded.config, device);
  loadCheckpoint(path, loaded.experiment->model());
  loaded.experiment->model().to(device);
  loaded.experiment->model().eval();
  return loaded;
}

}  // namespace cvae
