#include <cstdio>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigError.h"
#include "core/data/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"

namespace cvae::cli {

Command makeDataCommand() {
  return {"make-data", "make-data EXPERIMENT --out DIR",
          "write the embedded default data set of an experiment (tense) in the course format",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--out"});
            const std::string name = a.positional(0, "EXPERIMENT");
            if (!a.has("--out")) throw InputError("missing --out DIR");
            for (const auto& entry : experimentRegistry()) {
              if (toString(entry.kind) != name) continue;
              makeDefaultData(entry.kind, a.value("--out"),
                              [](const std::string& m) { std::printf("%s\n", m.c_str()); });
              return 0;
            }
            throw InputError("no data maker for '" + name + "' in this build");
          }};
}

}  // namespace cvae::cli
