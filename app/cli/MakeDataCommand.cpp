#include <cstdio>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigError.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"

namespace cvae::cli {

Command makeDataCommand() {
  return {"make-data", "make-data tense|spelling|pushing --out DIR [--size N|--sequences N]",
          "write an experiment's embedded default data set in the course format",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--out", "--size", "--sequences"});
            const std::string name = a.positional(0, "EXPERIMENT");
            if (!a.has("--out")) throw InputError("missing --out DIR");
            // --size: training rows (tense), target words (spelling), sequences (pushing).
            const int size = a.has("--sequences") ? a.intValue("--sequences", 0, 1, 10000000)
                                                  : a.intValue("--size", 0, 1, 10000000);
            for (const auto& entry : experimentRegistry()) {
              if (toString(entry.kind) != name && entry.data_name != name) continue;
              makeDefaultData(
                  entry.kind, a.value("--out"),
                  [](const std::string& m) { std::printf("%s\n", m.c_str()); }, size);
              return 0;
            }
            throw InputError("no data maker for '" + name + "' in this build");
          }};
}

}  // namespace cvae::cli
