#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/config/Presets.h"
#include "core/training/Benchmark.h"

namespace cvae::cli {

Command benchCommand() {
  return {"bench", "bench EXPERIMENT|CONFIG [--seconds N] [--set KEY=VALUE ...]",
          "measure training/evaluation throughput and peak memory (EXPERIMENT: its preset)",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--seconds", "--set"});
            a.expectPositionals({"EXPERIMENT|CONFIG"});
            const std::string what = a.positional(0, "EXPERIMENT or CONFIG");
            const auto kind = parseExperimentKind(what);
            ExperimentConfig config;
            if (kind && !std::filesystem::exists(what)) {
              config = presetConfig(*kind);
              applyOverrides(config, a.values("--set"));
            } else {
              // A mistyped experiment read as "nosuch: no such config file".
              if (!std::filesystem::exists(what) && what.find('/') == std::string::npos &&
                  what.find('.') == std::string::npos)
                throw InputError(what +
                                 ": neither an experiment (tense, spelling, video) nor a config "
                                 "file");
              config = loadConfigFileWithOverrides(what, a.values("--set"));
            }
            remarkOverridesWithoutEffect(config, a.values("--set"));
            const int seconds = a.intValue("--seconds", 20, 1, 3600);
            const auto figures = benchmarkExperiment(config, seconds, [](const std::string& m) {
              std::fprintf(stderr, "bench: %s\n", m.c_str());
            });
            std::cout << formatFigures(figures);
            return 0;
          }};
}

}  // namespace cvae::cli
