// cvae-cli: the headless front end. Every verb runs the same core code as the GUI.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <torch/version.h>
#include "app/cli/Command.h"
#include "app/cli/VerbOptions.h"

#include "core/config/ConfigError.h"

namespace {

std::vector<cvae::cli::Command> commands() {
  using namespace cvae::cli;
  return {trainCommand(),       resumeCommand(),       sweepCommand(),      evaluateCommand(),
          generateCommand(),    convertCommand(),      predictCommand(),    makeDataCommand(),
          unseenVerbsCommand(), heldOutWordsCommand(), scoreCommand(),      benchCommand(),
          configCommand(),      diffCommand(),         importanceCommand(), probeCommand(),
          interpolateCommand()};
}

// One verb's usage, summary and options.
void printVerbHelp(const cvae::cli::Command& verb) {
  std::cout << "usage: cvae-cli " << verb.usage << "\n\n" << verb.summary << "\n";
  const std::string options = cvae::cli::verbOptionsHelp(verb.name);
  if (!options.empty()) std::cout << "\n" << options;
}

void printHelp(const std::vector<cvae::cli::Command>& verbs) {
  std::cout << "cvae-cli — train and inspect conditional sequence/video VAEs\n\n"
               "usage: cvae-cli VERB [ARGS...]\n\nverbs:\n";
  for (const auto& c : verbs) std::printf("  %-48s %s\n", c.usage.c_str(), c.summary.c_str());
  std::cout
      << "\n  --help [VERB]                                      this text, or one verb's options"
         "\n  --version                                         the version and LibTorch's\n";
}

}  // namespace

int main(int argc, char** argv) {
  const auto verbs = commands();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--version") {
    std::printf("cvae-cli %s (LibTorch %s)\n", CVAE_VERSION, TORCH_VERSION);
    return 0;
  }
  const bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help");
  // `--help train extra` printed the general help and exited 0.
  if (help && args.size() > 2) {
    std::cerr << "cvae-cli: unexpected argument '" << args[2] << "' after --help " << args[1]
              << "\n";
    return 2;
  }
  if (help && args.size() == 2) {  // --help VERB: that verb's usage and options
    for (const auto& verb : verbs)
      if (verb.name == args[1]) {
        printVerbHelp(verb);
        return 0;
      }
    std::cerr << "cvae-cli: unknown verb '" << args[1] << "' (see cvae-cli --help)\n";
    return 2;
  }
  if (args.empty() || help) {
    printHelp(verbs);
    return args.empty() ? 2 : 0;
  }
  for (const auto& verb : verbs) {
    if (verb.name != args[0]) continue;
    // VERB --help, whatever follows (`train --help extra` was "unknown option --help").
    if (args.size() >= 2 && (args[1] == "--help" || args[1] == "-h")) {
      printVerbHelp(verb);
      return 0;
    }
    try {
      return verb.run(std::vector<std::string>(args.begin() + 1, args.end()));
    } catch (const cvae::InputError& e) {
      std::cerr << "cvae-cli " << verb.name << ": " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "cvae-cli " << verb.name << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "cvae-cli: unknown verb '" << args[0] << "' (see cvae-cli --help)\n";
  return 2;
}
