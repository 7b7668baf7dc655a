#pragma once
#include <functional>
#include <string>
#include <vector>

namespace cvae::cli {

// One verb of cvae-cli. `run` gets the arguments after the verb and returns the exit code;
// it reports bad input by throwing InputError, which main prints as "cvae-cli VERB: message".
struct Command {
  std::string name;
  std::string usage;    // "score bleu FILE"
  std::string summary;  // one line for --help
  std::function<int(const std::vector<std::string>&)> run;
};

// The verbs, each defined next to its implementation.
Command benchCommand();
Command configCommand();
Command diffCommand();
Command convertCommand();
Command predictCommand();
Command evaluateCommand();
Command generateCommand();
Command makeDataCommand();
Command unseenVerbsCommand();
Command heldOutWordsCommand();
Command scoreCommand();
Command trainCommand();
Command resumeCommand();
Command sweepCommand();
Command importanceCommand();
Command probeCommand();
Command interpolateCommand();

}  // namespace cvae::cli
