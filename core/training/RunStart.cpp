#include "core/training/RunStart.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/runs/RunFolder.h"
#include "core/training/Checkpoint.h"

namespace fs = std::filesystem;

namespace cvae {
namespace {

// What a checkpoint's tensors are shaped by. Everything else (schedules, learning rate, batch
// size, evaluation) may change in a fork.
const std::vector<std::string>& architectureKeys() {
  static const std::vector<std::string> keys = {"experiment",
                                                "model.cell",
                                                "model.embedding_size",
                                                "model.hidden_size",
                                                "model.latent_size",
                                                "model.condition_size",
                                                "model.bidirectional",
                                                "model.encoder_hidden_size",
                                                "model.attention",
                                                "model.copy",
                                                "video.encoder",
                                                "video.width",
                                                "video.frame_dim",
                                                "video.predictor_layers",
                                                "video.posterior_layers",
                                                "video.prior_layers",
                                                "video.composite",
                                                "video.spatial_condition",
                                                "video.position_maps",
                                                "optimizer.name"};
  return keys;
}

// The value as written, and what a 0 stands for: "0 (the hidden size, 32)".
std::string shownValue(const FieldSpec& spec, const ExperimentConfig& config) {
  const FieldValue own = spec.get(config), effective = effectiveFieldValue(spec, config);
  return formatFieldValue(own) +
         (own == effective ? "" : " (the hidden size, " + formatFieldValue(effective) + ")");
}

}  // namespace

const std::vector<std::string>& resumableKeys() {
  static const std::vector<std::string> keys = {
      "train.epochs", "train.threads", "train.device", "train.checkpoint_every_epochs",
      "data.train",   "data.test",     "data.lexicon", "data.common_words",
      "output.dir"};
  return keys;
}

std::vector<KeyMismatch> architectureMismatches(const ExperimentConfig& a,
                                                const ExperimentConfig& b) {
  std::vector<KeyMismatch> out;
  if (a.kind != b.kind) {
    out.push_back({"experiment", toString(a.kind), toString(b.kind)});
    return out;
  }
  for (const auto& key : architectureKeys()) {
    const FieldSpec* spec = findField(key);
    if (!spec || !spec->appliesTo(a.kind)) continue;
    // A key that shapes nothing in either model (model.copy without attention) may differ.
    if (!fieldInUse(key, a) && !fieldInUse(key, b)) continue;
    // An encoder size of 0 and the hidden size build the same tensors (and two 0s are no change
    // of this key, whatever hidden_size's says).
    if (spec->get(a) != spec->get(b) &&
        effectiveFieldValue(*spec, a) != effectiveFieldValue(*spec, b))
      out.push_back({key, shownValue(*spec, a), shownValue(*spec, b)});
  }
  return out;
}

namespace {

// "a spelling model in B, a tense one in A", or the first keys whose values differ, each with
// the value A (`a_name`) and B (`b_name`) hold.
std::string describeMismatches(const std::vector<KeyMismatch>& mismatches,
                               const std::string& a_name, const std::string& b_name) {
  if (mismatches.front().key == "experiment")
    return "a " + mismatches.front().b + " model in " + b_name + ", a " + mismatches.front().a +
           " one in " + a_name;
  std::string said;
  for (size_t i = 0; i < mismatches.size() && i < 4; ++i)
    said += (i ? "; " : "") + mismatches[i].key + " " + mismatches[i].a + " in " + a_name + ", " +
            mismatches[i].b + " in " + b_name;
  if (mismatches.size() > 4) said += "; and " + std::to_string(mismatches.size() - 4) + " more";
  return said;
}

}  // namespace

void checkCheckpointIsTheRuns(const std::string& run_dir, const std::string& checkpoint) {
  const std::string name = fs::path(checkpoint).filename().string();
  const std::string config_path = (fs::path(run_dir) / "config.yaml").string();
  ExperimentConfig file_config;
  std::string unreadable;
  try {
    file_config = RunFolder::open(run_dir).readConfig();
  } catch (const InputError& e) {
    unreadable = e.what();
  }
  if (unreadable.empty()) {
    const auto mismatches = architectureMismatches(file_config, checkpointConfig(checkpoint));
    if (mismatches.empty()) return;
    throw InputError(checkpoint + ": not the model of the run in " + run_dir + " (" +
                     describeMismatches(mismatches, "config.yaml", name) + "): one of " + name +
                     " and " + config_path +
                     " was replaced or edited; name the checkpoint file itself to use it as it is");
  }
  // Without a readable config.yaml the run's other checkpoint is the witness: best.pt and
  // last.pt of one run hold one model.
  const std::string other =
      (fs::path(run_dir) / (name == "best.pt" ? "last.pt" : "best.pt")).string();
  std::error_code ec;
  if (name != "best.pt" && name != "last.pt") return;
  if (!fs::is_regular_file(other, ec)) return;
  ExperimentConfig other_config;
  try {
    other_config = checkpointConfig(other);
  } catch (const InputError&) {
    return;  // the verbs that read it name it
  }
  const auto mismatches = architectureMismatches(other_config, checkpointConfig(checkpoint));
  if (mismatches.empty()) return;
  const std::string other_name = fs::path(other).filename().string();
  const std::string no_witness =
      fs::exists(fs::symlink_status(config_path, ec))
          ? "the run's config.yaml cannot tell which is the run's (" + unreadable + ")"
          : "the run has no config.yaml to tell which is the run's";
  throw InputError(checkpoint + ": not of the model of " + other + " (" +
                   describeMismatches(mismatches, other_name, name) + "), and " + no_witness +
                   "; name the checkpoint file itself to use it as it is");
}

RunConfigDrift runConfigFileDrift(const std::string& run_dir,
                                  const ExperimentConfig& checkpoint_config) {
  RunConfigDrift drift;
  ExperimentConfig file_config;
  std::set<std::string> edited;  // keys a pause-edit changed: the checkpoint carries the edit
  try {
    const RunFolder folder = RunFolder::open(run_dir);
    file_config = folder.readConfig();
    for (const auto& edit : folder.readEdits())
      for (const auto& change : edit.changes) edited.insert(change.key);
  } catch (const InputError& e) {
    drift.unreadable = e.what();
    return drift;
  }
  const auto& resumable = resumableKeys();
  for (auto& change : configDifferences(file_config, checkpoint_config)) {
    const std::string& key = change.key;
    if (edited.count(key) || std::find(resumable.begin(), resumable.end(), key) != resumable.end())
      continue;
    drift.changes.push_back(std::move(change));
  }
  return drift;
}

std::string describeRunConfigDrift(const std::string& run_dir, const std::string& checkpoint,
                                   const RunConfigDrift& drift, const std::string& consequence) {
  if (!drift.unreadable.empty()) return drift.unreadable + "; " + consequence;
  if (drift.changes.empty()) return {};
  const auto& changes = drift.changes;
  std::string said;
  for (size_t i = 0; i < changes.size() && i < 4; ++i)
    said += (i ? "; " : "") + changes[i].key + " " + changes[i].from + " in the file, " +
            changes[i].to + " in the checkpoint";
  if (changes.size() > 4) said += "; and " + std::to_string(changes.size() - 4) + " more";
  return (fs::path(run_dir) / "config.yaml").string() + " differs from " + checkpoint + " (" +
         said + "): the file was edited after the run wrote it; " + consequence;
}

PreparedResume prepareResume(const std::string& run_dir, const std::vector<std::string>& overrides,
                             bool refuse_live) {
  const RunFolder folder = RunFolder::open(run_dir);
  if (refuse_live && folder.isLive()) {
    const auto record = folder.readRecord();
    throw InputError(run_dir + ": the run is still running (pid " + std::to_string(record->pid) +
                     " on " + record->host + "); stop it before continuing it");
  }
  const std::string last = folder.lastCheckpointPath();
  // A broken link or a folder is not "no last.pt": the advice below would wipe the run.
  if (const std::string what = describeNonFile(last); !what.empty())
    throw InputError(last + ": is " + what + ", not the checkpoint to continue from");
  std::error_code ec;
  if (!fs::exists(last, ec))
    throw InputError(run_dir +
                     ": no last.pt: the run ended before its first checkpoint, so there "
                     "is nothing to continue; start it again (train CONFIG --run-dir " +
                     run_dir + " --overwrite)");
  PreparedResume prepared;
  const CheckpointInfo info = readCheckpointInfo(last);
  prepared.config = checkpointConfig(info, last);
  const std::string drift = describeRunConfigDrift(
      run_dir, last, runConfigFileDrift(run_dir, prepared.config),
      "resume continues the checkpoint's config and writes it to config.yaml (--set changes "
      "the keys a resume may change; train --from forks with others)");
  if (!drift.empty()) prepared.notes.push_back(drift);
  for (const auto& assignment : overrides) {
    const std::string key = overrideKey(assignment);
    const auto& allowed = resumableKeys();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      // A bad key or value is named as such, and the run's own value changes nothing.
      ExperimentConfig changed = prepared.config;
      applyOverride(changed, assignment);
      const FieldSpec* spec = findField(key);
      if (spec &&
          effectiveFieldValue(*spec, changed) == effectiveFieldValue(*spec, prepared.config))
        continue;
      // A key with no effect in this run changes nothing in it (the CLI says so).
      if (!fieldInUse(key, changed) && !fieldInUse(key, prepared.config)) continue;
      std::string listed;
      for (const auto& k : allowed) listed += (listed.empty() ? "" : ", ") + k;
      throw InputError(
          "--set " + assignment + ": a resume continues the run as it was and may change only " +
          listed + "; to change '" + key + "', fork it: cvae-cli train CONFIG --from " + run_dir);
    }
    applyOverride(prepared.config, assignment);
  }
  if (info.epoch >= prepared.config.train.epochs && info.batches_into_epoch == 0)
    throw InputError(run_dir + ": the run has finished all " + std::to_string(info.epoch) +
                     " epochs; pass --set train.epochs=N with N > " + std::to_string(info.epoch) +
                     " to extend it");
  if (info.epoch >= prepared.config.train.epochs)
    throw InputError("train.epochs=" + std::to_string(prepared.config.train.epochs) +
                     ": the run is already in epoch " + std::to_string(info.epoch + 1));
  prepared.origin.kind = RunOrigin::Kind::Resume;
  prepared.origin.checkpoint = last;
  prepared.origin.run_dir = run_dir;
  prepared.origin.step = info.step;
  prepared.origin.epoch = info.epoch;
  return prepared;
}

RunOrigin prepareFork(const ExperimentConfig& config, const std::string& from) {
  RunOrigin origin;
  origin.kind = RunOrigin::Kind::Fork;
  std::error_code ec;
  if (fs::is_directory(from, ec)) {
    const RunFolder parent = RunFolder::open(from);
    origin.checkpoint = parent.lastCheckpointPath();
    origin.run_dir = from;
    if (!fs::exists(origin.checkpoint, ec))
      throw InputError(from + ": no last.pt to fork from (the run saved no checkpoint)");
  } else {
    origin.checkpoint = from;
    const fs::path folder = fs::path(from).parent_path();
    if (fs::exists(folder / "config.yaml", ec))
      origin.run_dir = folder.empty() ? "." : folder.string();
  }
  const CheckpointInfo info = readCheckpointInfo(origin.checkpoint);
  const ExperimentConfig parent_config = checkpointConfig(info, origin.checkpoint);
  const auto mismatches = architectureMismatches(parent_config, config);
  if (!mismatches.empty()) {
    std::string text;
    for (const auto& m : mismatches) text += "\n  " + m.text() + " (checkpoint vs config)";
    throw InputError(origin.checkpoint +
                     ": does not fit the config; a fork keeps the model and "
                     "the optimizer, so these keys must match:" +
                     text);
  }
  if (info.epoch >= config.train.epochs)
    throw InputError("train.epochs=" + std::to_string(config.train.epochs) + ": the checkpoint " +
                     origin.checkpoint + " is at epoch " + std::to_string(info.epoch) +
                     " already; a fork continues from there, so set train.epochs above it");
  origin.step = info.step;
  origin.epoch = info.epoch;
  return origin;
}

}  // namespace cvae
