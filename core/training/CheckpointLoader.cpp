#include "core/training/CheckpointLoader.h"

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/training/RunStart.h"
#include "core/training/Runtime.h"

namespace cvae {

LoadedExperiment loadExperimentFromCheckpoint(const std::string& path,
                                              const std::vector<std::string>& overrides) {
  LoadedExperiment loaded;
  loaded.info = readCheckpointInfo(path);
  loaded.config = checkpointConfig(path);
  const ExperimentConfig trained = loaded.config;
  applyOverrides(loaded.config, overrides);
  // A key that shapes the model cannot change after training: LibTorch would load the tensors
  // the new model has and ignore the rest (attention, the copy gate), and decode nonsense.
  // (Keys read only in training, the optimizer's name among them, may change: no optimizer is
  // loaded here.)
  std::string text;
  for (const auto& m : architectureMismatches(trained, loaded.config))
    if (!readOnlyInTraining(m.key, trained.kind))
      text += "\n  " + m.text() + " (checkpoint vs --set)";
  if (!text.empty()) {
    throw InputError(path +
                     ": --set cannot change the shape of a trained model; these keys "
                     "must keep the checkpoint's values:" +
                     text);
  }
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
