#include "core/experiments/CheckpointLoader.h"

#include "core/config/ConfigIo.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/training/Trainer.h"

namespace cvae {

LoadedExperiment loadExperimentFromCheckpoint(const std::string& path,
                                              const std::vector<std::string>& overrides) {
  LoadedExperiment loaded;
  loaded.info = readCheckpointInfo(path);
  loaded.config = checkpointConfig(path);
  applyOverrides(loaded.config, overrides);
  configureThreads(loaded.config.train.threads);
  keepFreedMemoryForReuse();
  const auto device = resolveDevice(loaded.config.train.device);
  loaded.experiment = experimentEntry(loaded.config.kind).create(loaded.config, device);
  loadCheckpoint(path, loaded.experiment->model());
  loaded.experiment->model().to(device);
  loaded.experiment->model().eval();
  return loaded;
}

}  // namespace cvae
