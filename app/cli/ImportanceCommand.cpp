// cvae-cli importance: which config keys mattered for a score over the runs under folders.
#include <iostream>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/analysis/RunImportance.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/runs/RunSummary.h"

namespace cvae::cli {
namespace {

// `text` padded with spaces to `width` characters (not bytes: "±" is two bytes of UTF-8).
std::string padded(const std::string& text, size_t width) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return text + std::string(width > chars ? width - chars : 0, ' ');
}

}  // namespace

Command importanceCommand() {
  return {
      "importance", "importance RUNS_DIR ... --score NAME [--last] [--lower-is-better]",
      "which config keys mattered for a score over the runs under the folders (random-forest "
      "permutation importance and rank correlation)",
      [](const std::vector<std::string>& args) {
        Arguments a(args, {"--score"}, {"--last", "--lower-is-better"});
        if (a.positionals().empty()) throw InputError("give one or more folders of runs");
        const std::string score = a.value("--score");
        if (score.empty()) throw InputError("--score NAME is needed (bleu, gaussian, psnr, ...)");
        std::vector<RunSummary> runs;
        for (const auto& root : a.positionals()) {
          const auto dirs = findRunFolders(root);
          if (dirs.empty()) throw InputError(root + ": no run folders found there");
          for (const auto& dir : dirs) {
            runs.push_back(summarizeRun(dir));
            if (!runs.back().config)
              std::cerr << "skipped " << dir << ": " << runs.back().problem << "\n";
          }
        }
        ImportanceOptions options;
        options.higher_is_better = !a.has("--lower-is-better");
        const ImportanceResult result = importanceOverRuns(
            runs, score, a.has("--last") ? ScoreSummary::Last : ScoreSummary::Best, options);
        const std::string what = std::string(a.has("--last") ? "last " : "best ") + score;
        if (!result.problem.empty()) {
          std::cout << "no importance for " << what << " over " << runs.size()
                    << " runs: " << result.problem << "\n";
          return 1;
        }
        std::cout << "importance for " << what << " over " << result.runs
                  << " runs; the keys explain " << formatFixed(100 * result.forest_r2, 0)
                  << "% of its variance out of bag (forest R²)"
                  << (result.forest_r2 < 0.2 ? ", too little for the importances to mean much" : "")
                  << "\n";
        size_t width = 3;
        for (const auto& k : result.keys) width = std::max(width, k.key.size());
        std::cout << padded("key", width) << "  " << padded("importance", 15) << "  "
                  << "rank correlation (+: higher is better) / best value\n";
        for (const auto& k : result.keys) {
          std::string beside;
          if (k.constant)
            beside = "constant (" + k.best_value + ")";
          else if (k.correlation)
            beside = (*k.correlation >= 0 ? "+" : "") + formatFixed(*k.correlation, 2);
          else
            beside = "best: " + k.best_value;
          const std::string importance =
              k.constant ? "-"
                         : formatFixed(k.importance, 3) + " ± " + formatFixed(k.importance_std, 3);
          std::cout << padded(k.key, width) << "  " << padded(importance, 15) << "  " << beside
                    << "\n";
        }
        return 0;
      }};
}

}  // namespace cvae::cli
