#include <iostream>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigIo.h"

namespace cvae::cli {

Command configCommand() {
  return {"config", "config CONFIG [--set KEY=VALUE ...]",
          "validate a config and print it resolved, with overrides and defaults applied",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--set"});
            auto config = loadConfigFile(a.positional(0, "CONFIG"));
            applyOverrides(config, a.values("--set"));
            std::cout << configToYaml(config);
            return 0;
          }};
}

}  // namespace cvae::cli
