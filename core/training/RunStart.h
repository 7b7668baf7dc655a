#pragma once
// Where a run starts from, checked before anything trains: a new run, its own last.pt (resume,
// in place), or another run's checkpoint with a new config (fork, into a new folder).

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentConfig.h"

namespace cvae {

struct RunOrigin {
  enum class Kind { Fresh, Resume, Fork };
  Kind kind = Kind::Fresh;
  std::string checkpoint;  // Resume and Fork: the checkpoint to start from
  // Resume: the run folder continued. Fork: the parent's run folder, empty when the checkpoint
  // is not inside one.
  std::string run_dir;
  int64_t step = 0;  // the checkpoint's optimizer steps
  int epoch = 0;     // and epochs completed
};

struct PreparedResume {
  ExperimentConfig config;  // the config as it last ran (schedule edits included)
  RunOrigin origin;
  std::vector<std::string> notes;  // for the user: an edited config.yaml that is not used
};

// Where RUN_DIR's config.yaml says other than `checkpoint_config`, the config embedded in the
// run's checkpoint: the file was edited (or damaged) after the run wrote it. Left out: the keys
// the run's pause-edits changed (edits.yaml: the checkpoint carries the edit, the file the
// start) and those a resume may change (resumableKeys(): a resume writes them to the file
// before its first checkpoint). In `changes`, `from` is the file's value and `to` the checkpoint's.
struct RunConfigDrift {
  std::string unreadable;  // why config.yaml could not be read; empty when it could
  std::vector<ConfigChange> changes;
  bool empty() const { return unreadable.empty() && changes.empty(); }
};
RunConfigDrift runConfigFileDrift(const std::string& run_dir,
                                  const ExperimentConfig& checkpoint_config);
// A note on `drift` for the user: what the file says, what the checkpoint says, and
// `consequence` (what the verb does about it). Empty when there is no drift.
std::string describeRunConfigDrift(const std::string& run_dir, const std::string& checkpoint,
                                   const RunConfigDrift& drift, const std::string& consequence);

// Throws InputError when `checkpoint`, the one a verb took from RUN_DIR (best.pt, last.pt),
// is not of the model RUN_DIR's config.yaml describes: another experiment's, or other sizes
// (copied in from another run, say; evaluate then scored another model than the run's without
// a word). The checkpoint file itself, named as such, is taken as it is. Without a readable
// config.yaml (missing, damaged), the run's other checkpoint (last.pt for best.pt and back) is
// compared instead; with neither, nothing is.
void checkCheckpointIsTheRuns(const std::string& run_dir, const std::string& checkpoint);

// Keys a resume may change without changing what the run computes: its length, where and how
// fast it runs, and where its data files now are. Anything else is a fork.
const std::vector<std::string>& resumableKeys();

// Continues RUN_DIR from its last.pt with the config embedded there and `overrides`
// ("train.epochs=300"). Throws InputError, naming the folder, file or key, when RUN_DIR is not a
// run folder, has no last.pt or a damaged one, is still running in another process, is given
// an override outside resumableKeys(), or has nothing left to train.
PreparedResume prepareResume(const std::string& run_dir, const std::vector<std::string>& overrides,
                             bool refuse_live = true);

// Starts `config` from `from`: a run folder (its last.pt) or a checkpoint file. Throws
// InputError naming the key when the experiment, the model's sizes or the optimizer differ, and
// naming train.epochs when the checkpoint already reached the config's length.
RunOrigin prepareFork(const ExperimentConfig& config, const std::string& from);

// A key whose value differs between two configs, with each value as a user reads it.
struct KeyMismatch {
  std::string key, a, b;
  std::string text() const { return key + ": " + a + " vs " + b; }  // "key: A vs B"
};

// The keys whose values differ between `a` and `b` and that a checkpoint's weights or optimizer
// state depend on ("model.hidden_size", "optimizer.name", ...; "experiment" alone when the
// experiments differ).
std::vector<KeyMismatch> architectureMismatches(const ExperimentConfig& a,
                                                const ExperimentConfig& b);

}  // namespace cvae
