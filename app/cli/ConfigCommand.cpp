#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/analysis/ConfigDiff.h"
#include "core/config/ConfigIo.h"
#include "core/io/InputError.h"
#include "core/runs/RunFolder.h"
#include "core/training/Checkpoint.h"
#include "core/training/RunStart.h"

namespace cvae::cli {

Command configCommand() {
  return {"config", "config CONFIG [--set KEY=VALUE ...]",
          "validate a config and print it resolved, with overrides and defaults applied",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--set"});
            a.expectPositionals({"CONFIG"});
            const auto config =
                loadConfigFileWithOverrides(a.positional(0, "CONFIG"), a.values("--set"));
            remarkOverridesWithoutEffect(config, a.values("--set"));
            std::cout << configToYaml(config);
            return 0;
          }};
}

// A run folder's config.yaml, a checkpoint's embedded config, or a config file. A run
// folder's file is checked against its checkpoint (last.pt, else best.pt): a difference is
// noted, and an unreadable or missing file gives way to the checkpoint's config.
ExperimentConfig configOf(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    // last.pt, else best.pt: a damaged last.pt (a kill while it was written) gives way.
    const fs::path dir(path);
    const bool has_file = fs::exists(dir / "config.yaml", ec);
    std::string checkpoint, damage;
    std::optional<ExperimentConfig> read;
    for (const auto& candidate : {(dir / "last.pt").string(), (dir / "best.pt").string()}) {
      // A broken link or a folder in a checkpoint's place is named as damage, not passed over.
      if (!fs::exists(fs::symlink_status(candidate, ec))) continue;
      try {
        read = checkpointConfig(candidate);
        checkpoint = candidate;
        break;
      } catch (const InputError& e) {
        damage += (damage.empty() ? "" : "; ") + std::string(e.what());
      }
    }
    if (!read) {
      if (!has_file && !damage.empty())
        throw InputError(path + ": has no config.yaml and no readable checkpoint (" + damage + ")");
      const RunFolder folder = RunFolder::open(path);  // names a folder that is no run
      ExperimentConfig file;
      try {
        file = folder.readConfig();
      } catch (const InputError& e) {
        if (damage.empty()) throw;
        throw InputError(std::string(e.what()) + "; and no checkpoint is readable (" + damage +
                         ")");
      }
      if (!damage.empty())
        std::fprintf(stderr, "note: %s; diff shows config.yaml\n", damage.c_str());
      return file;
    }
    // A damaged last.pt gave way to best.pt: said, as the fallback to config.yaml is.
    if (!damage.empty()) std::fprintf(stderr, "note: %s\n", damage.c_str());
    const ExperimentConfig trained = *read;
    if (!has_file) {  // deleted or never copied along: the checkpoint still says how it trained
      std::fprintf(stderr, "note: %s has no config.yaml; diff shows the config of %s\n",
                   path.c_str(), checkpoint.c_str());
      return trained;
    }
    const RunFolder folder = RunFolder::open(path);
    const auto drift = runConfigFileDrift(path, trained);
    if (!drift.unreadable.empty()) {
      std::fprintf(
          stderr, "note: %s\n",
          describeRunConfigDrift(path, checkpoint, drift, "diff shows the config of " + checkpoint)
              .c_str());
      return trained;
    }
    const ExperimentConfig file = folder.readConfig();
    // Another model in the file than in the checkpoint: the verbs that take the folder refuse
    // it (checkCheckpointIsTheRuns); other keys: they use the checkpoint's.
    const bool other_model = !architectureMismatches(file, trained).empty();
    if (!drift.empty())
      std::fprintf(stderr, "note: %s\n",
                   describeRunConfigDrift(
                       path, checkpoint, drift,
                       other_model ? "diff shows the file's; resume uses the checkpoint's, and "
                                     "evaluate, probe and the other verbs refuse the folder "
                                     "(name the checkpoint file to use it)"
                                   : "diff shows the file's; resume, probe and evaluate use the "
                                     "checkpoint's")
                       .c_str());
    return file;
  }
  if (fs::path(path).extension() == ".pt") return checkpointConfig(path);
  return loadConfigFile(path);
}

Command diffCommand() {
  return {"diff", "diff RUN_DIR|CHECKPOINT|CONFIG ... (two or more)",
          "the config keys whose values differ among runs, checkpoints or config files",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {});
            if (a.positionals().size() < 2)
              throw InputError("give two or more runs, checkpoints or configs to compare");
            std::vector<ExperimentConfig> configs;
            std::vector<std::string> names;
            for (const auto& path : a.positionals()) {
              configs.push_back(configOf(path));
              const auto name = std::filesystem::path(path).filename().string();
              names.push_back(name.empty() ? path : name);
            }
            const auto rows = diffConfigs(configs);
            if (rows.empty()) {
              std::cout << "the configs are the same\n";
              return 0;
            }
            std::cout << formatConfigDiff(names, rows);
            return 0;
          }};
}

}  // namespace cvae::cli
