// cvae-cli importance: which config keys mattered for a score over the runs under folders.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/analysis/RunImportance.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/runs/RunSummary.h"

namespace cvae::cli {
namespace {

// Characters, not bytes: "±" and "β" are two bytes of UTF-8.
size_t characters(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// `text` padded with spaces to `width` characters.
std::string padded(const std::string& text, size_t width) {
  const size_t n = characters(text);
  return text + std::string(width > n ? width - n : 0, ' ');
}

}  // namespace

Command importanceCommand() {
  return {
      "importance",
      "importance RUNS_DIR ... --score NAME [--last] [--lower-is-better] [--schedule-at STEP]",
      "which config keys mattered for a score over the runs under the folders (random-forest "
      "permutation importance and rank correlation); --schedule-at adds the planned β and "
      "teacher-forcing ratio at that optimizer step as keys",
      [](const std::vector<std::string>& args) {
        Arguments a(args, {"--score", "--schedule-at"}, {"--last", "--lower-is-better"});
        if (a.positionals().empty()) throw InputError("give one or more folders of runs");
        const std::string score = a.value("--score");
        if (score.empty()) throw InputError("--score NAME is needed (bleu, gaussian, psnr, ...)");
        // A run's best value is its maximum: every score the experiments compute is better
        // higher. A minimised series is read by its last value.
        if (a.has("--lower-is-better") && !a.has("--last"))
          throw InputError(
              "--lower-is-better reads each run's last value: add --last (best "
              "values are maxima)");
        std::vector<RunSummary> runs;
        std::set<std::string> seen;  // folders given twice, or one inside another, count once
        for (const auto& root : a.positionals()) {
          std::error_code missing;
          if (!std::filesystem::is_directory(root, missing))
            throw InputError(root + (std::filesystem::exists(root, missing)
                                         ? ": not a folder (give folders of runs)"
                                         : ": no such folder"));
          const auto dirs = findRunFolders(root);
          if (dirs.empty()) throw InputError(root + ": no run folders found there");
          for (const auto& dir : dirs) {
            std::error_code ec;
            const auto canonical = std::filesystem::weakly_canonical(dir, ec);
            if (!seen.insert(ec ? dir : canonical.string()).second) continue;
            runs.push_back(summarizeRun(dir));
            if (!runs.back().config)
              std::cerr << "skipped " << dir << ": " << runs.back().problem << "\n";
            else if (!runs.back().problem.empty())
              std::cerr << "note: " << dir << ": " << runs.back().problem << "\n";
          }
        }
        ImportanceOptions options;
        options.higher_is_better = !a.has("--lower-is-better");
        const int schedule_step =
            a.has("--schedule-at") ? a.intValue("--schedule-at", 0, 0, 1000000000) : -1;
        const ImportanceResult result = importanceOverRuns(
            runs, score, a.has("--last") ? ScoreSummary::Last : ScoreSummary::Best, options,
            schedule_step);
        const std::string what = std::string(a.has("--last") ? "last " : "best ") + score;
        // The runs without the score, named so that a damaged or unevaluated run can be looked
        // at (a count alone said none).
        std::string left_out;
        if (static_cast<size_t>(result.runs) < runs.size()) {
          std::string named;
          int listed = 0;
          for (const auto& run : runs) {
            const auto at = std::find(run.scores.begin(), run.scores.end(), score);
            const auto i = static_cast<size_t>(at - run.scores.begin());
            const auto& values = a.has("--last") ? run.last : run.best;
            const bool has =
                run.config && at != run.scores.end() && i < values.size() && !std::isnan(values[i]);
            if (has) continue;
            if (listed++ < 5) named += (named.empty() ? "" : ", ") + run.dir;
          }
          if (listed > 5) named += " and " + std::to_string(listed - 5) + " more";
          left_out = std::to_string(runs.size() - static_cast<size_t>(result.runs)) + " of " +
                     std::to_string(runs.size()) + " runs have no " + what +
                     " (not evaluated, or unreadable) and are left out" +
                     (named.empty() ? "" : ": " + named);
        }
        // Too few runs, or nothing that varies: the runs given cannot answer (exit 2, as every
        // verb's refusal of its input).
        if (!result.problem.empty())
          throw InputError("no importance for " + what + " over " + std::to_string(runs.size()) +
                           " runs: " + result.problem + (left_out.empty() ? "" : "; " + left_out));
        if (!left_out.empty()) std::cout << left_out << "\n";
        std::cout << "importance for " << what << " over " << result.runs
                  << " runs; the keys explain " << formatFixed(100 * result.forest_r2, 0)
                  << "% of its variance out of bag (forest R²)"
                  << (result.forest_r2 < 0.2 ? ", too little for the importances to mean much" : "")
                  << "\n";
        size_t width = 3;
        for (const auto& k : result.keys) width = std::max(width, characters(k.key));
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
