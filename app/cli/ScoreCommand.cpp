#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigError.h"
#include "core/metrics/Bleu.h"

namespace cvae::cli {
namespace {

// Reads `prediction<TAB>reference` lines (a leading '#' line is a comment) and prints each
// score and the mean, so users can score prediction files from any model.
int scoreBleu(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open");
  std::string line;
  int line_number = 0;
  double total = 0;
  int count = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos)
      throw InputError(path + ":" + std::to_string(line_number) +
                       ": expected 'prediction<TAB>reference'");
    const std::string prediction = line.substr(0, tab), reference = line.substr(tab + 1);
    const double score = bleu4(prediction, reference);
    std::printf("%s\t%s\t%.12f\n", prediction.c_str(), reference.c_str(), score);
    total += score;
    ++count;
  }
  if (count == 0) throw InputError(path + ": no prediction/reference lines");
  std::printf("mean BLEU-4 over %d pairs: %.6f\n", count, total / count);
  return 0;
}

}  // namespace

Command scoreCommand() {
  return {"score", "score bleu FILE",
          "BLEU-4 (nltk method1, characters) of each 'prediction<TAB>reference' line and the mean",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {});
            a.expectPositionals({"METRIC", "FILE"});
            const std::string metric = a.positional(0, "metric (bleu)");
            if (metric != "bleu") throw InputError("unknown metric '" + metric + "' (bleu)");
            return scoreBleu(a.positional(1, "FILE"));
          }};
}

}  // namespace cvae::cli
