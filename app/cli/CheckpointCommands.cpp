// evaluate, generate and convert: the verbs that work from a checkpoint.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <regex>
#include <vector>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/experiments/WordTools.h"
#include "core/io/FilePaths.h"
#include "core/io/GifWriter.h"
#include "core/io/PngImage.h"
#include "core/runs/RunFolder.h"
#include "core/training/CheckpointLoader.h"
#include "core/training/PairedProbe.h"
#include "core/training/PreviewFile.h"
#include "core/training/RunStart.h"
#include "core/training/ScoresFile.h"

namespace cvae::cli {
namespace {

// Each column as wide as its widest cell (at least 14, as scripts reading the output have
// always seen), so a tuple of four words does not push the next column out of line.
void printTable(const PreviewTable& table) {
  std::vector<int> widths(table.columns.size(), 14);
  auto widen = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i >= widths.size()) widths.push_back(14);
      widths[i] = std::max(widths[i], static_cast<int>(cells[i].size()));
    }
  };
  widen(table.columns);
  for (const auto& row : table.rows) widen(row);
  std::printf("%s\n", table.title.c_str());
  for (size_t i = 0; i < table.columns.size(); ++i)
    std::printf("%s%-*s", i ? " " : "  ", widths[i], table.columns[i].c_str());
  std::printf("\n");
  for (size_t r = 0; r < table.rows.size(); ++r) {
    std::printf("%s", table.row_ok[r] ? "  " : "! ");
    for (size_t i = 0; i < table.rows[r].size(); ++i)
      std::printf("%s%-*s", i ? " " : "", widths[i], table.rows[r][i].c_str());
    std::printf("\n");
  }
}

template <typename Capability>
Capability& capability(LoadedExperiment& loaded, const char* verb) {
  auto* c = dynamic_cast<Capability*>(loaded.experiment.get());
  if (!c)
    throw InputError("a " + toString(loaded.config.kind) +
                     " checkpoint: this experiment does "
                     "not support '" +
                     verb + "'");
  return *c;
}

}  // namespace

// --from/--to on a checkpoint whose words have no tenses (spelling) were ignored.
void refuseTenses(const Arguments& a, const WordConverter& converter,
                  const ExperimentConfig& config) {
  if (!converter.hasConditions() && (a.has("--from") || a.has("--to")))
    throw InputError(std::string(a.has("--from") ? "--from" : "--to") + ": a " +
                     toString(config.kind) + " checkpoint has no tenses to convert between");
}

// The checkpoint for CHECKPOINT|RUN_DIR: a file as is; a run folder's best.pt, else its
// last.pt (said on stderr). Throws InputError naming a folder that holds neither.
std::string checkpointOf(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) return path;
  std::string passed;  // why best.pt was passed over, when it is there but no file
  for (const char* name : {"best.pt", "last.pt"}) {
    const auto candidate = std::filesystem::path(path) / name;
    if (std::filesystem::is_regular_file(candidate, error)) {
      checkCheckpointIsTheRuns(path, candidate.string());
      std::fprintf(stderr, "note: %s: using its %s%s\n", path.c_str(), name, passed.c_str());
      return candidate.string();
    }
    if (const std::string what = describeNonFile(candidate.string()); !what.empty())
      passed = std::string(" (its ") + name + " is " + what + ")";
  }
  if (!std::filesystem::exists(std::filesystem::path(path) / "config.yaml", error))
    throw InputError(path +
                     ": not a run folder (no config.yaml, best.pt or last.pt) and not a "
                     "checkpoint file");
  throw InputError(path +
                   ": holds no checkpoint (best.pt or last.pt): the run stopped before "
                   "its first one");
}

// A folder for `evaluate --save-previews`: not a run's (its previews.tsv is the run's record
// of its last evaluation), nothing in the way of previews.tsv, scores.yaml and preview-frames/,
// and earlier previews replaced only with `overwrite`.
static void checkPreviewsFolder(const std::string& dir, bool overwrite) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // A run's own files; previews.tsv alone is what an earlier --save-previews wrote.
  auto run_files = RunFolder::runFilesIn(dir);
  run_files.erase(std::remove(run_files.begin(), run_files.end(), "previews.tsv"), run_files.end());
  if (!run_files.empty())
    throw InputError("--save-previews " + dir + ": holds a run (its " + run_files.front() +
                     "), whose previews.tsv is its own last evaluation; choose another folder");
  const std::string file = (fs::path(dir) / "previews.tsv").string();
  const std::string scores = (fs::path(dir) / "scores.yaml").string();
  const std::string frames = (fs::path(dir) / "preview-frames").string();
  if (const std::string blocker = blockerAlongPath(file); !blocker.empty())
    throw InputError("--save-previews " + dir + ": " + blocker);
  for (const std::string& written : {file, scores})
    if (const std::string what = describeNonFile(written); !what.empty())
      throw InputError("--save-previews " + dir + ": " + written + " is " + what);
  if (fs::exists(fs::symlink_status(frames, ec)) && !fs::is_directory(frames, ec))
    throw InputError("--save-previews " + dir + ": " + frames + " is not a folder");
  if (!overwrite)
    for (const std::string& written : {file, scores})
      if (fs::exists(fs::symlink_status(written, ec)))
        throw InputError(written + ": exists already; pass --overwrite to replace it");
}

Command evaluateCommand() {
  return {"evaluate",
          "evaluate CHECKPOINT|RUN_DIR [--test FILE] [--set K=V ...] [--all] [--save-previews DIR "
          "[--overwrite]]",
          "score a checkpoint on its test file (or FILE) and print the predictions; --set "
          "changes a key of its config first (e.g. data.lexicon, model.lexicon_search)",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--test", "--save-previews", "--set"}, {"--all", "--overwrite"});
            a.expectPositionals({"CHECKPOINT"});
            if (a.has("--overwrite") && !a.has("--save-previews"))
              throw InputError("--overwrite is an option of --save-previews DIR");
            // Checked before the evaluation, which may take minutes.
            if (a.has("--save-previews"))
              checkPreviewsFolder(a.value("--save-previews"), a.has("--overwrite"));
            std::vector<std::string> overrides = a.values("--set");
            if (a.has("--test")) overrides.push_back("data.test=" + a.value("--test"));
            // --all shows every row of the previews instead of the configured handful.
            if (a.has("--all")) overrides.push_back("evaluation.preview_count=1000");
            const std::string checkpoint = checkpointOf(a.positional(0, "CHECKPOINT"));
            auto loaded = loadExperimentFromCheckpoint(checkpoint, overrides);
            remarkOverridesOnCheckpoint("evaluate", loaded.config, a.values("--set"));
            if (a.has("--all") && fieldInUse("evaluation.preview_count", loaded.config))
              for (const auto& assignment : a.values("--set"))
                if (overrideKey(assignment) == "evaluation.preview_count")
                  std::fprintf(stderr,
                               "note: --set %s has no effect with --all: every row is shown\n",
                               assignment.c_str());
            // Epochs counted from 1, as training says them: a checkpoint inside the first epoch
            // read as "epoch 0".
            const std::string at = loaded.info.batches_into_epoch > 0
                                       ? "inside epoch " + std::to_string(loaded.info.epoch + 1) +
                                             " (after batch " +
                                             std::to_string(loaded.info.batches_into_epoch) + ")"
                                       : "after epoch " + std::to_string(loaded.info.epoch);
            std::printf("checkpoint: %s, step %lld; test file %s\n", at.c_str(),
                        static_cast<long long>(loaded.info.step), loaded.config.data.test.c_str());
            if (loaded.info.format_version < 3)
              std::printf(
                  "note: written by an older version (checkpoint format %d), without "
                  "checksums: its content cannot be verified\n",
                  loaded.info.format_version);
            const auto evaluation = loaded.experiment->evaluate();
            for (const auto& table : evaluation.previews) printTable(table);
            for (const auto& note : evaluation.notes) std::printf("note: %s\n", note.c_str());
            for (const auto& [name, value] : evaluation.scores)
              std::printf("%s: %.4f\n", name.c_str(), value);
            // A sampled score is a mean over sampling seeds: how far one sample strays.
            for (const auto& [name, s] : evaluation.spread)
              std::printf("%s spread: sd %.4f, range %.2f-%.2f over %d sampling seeds\n",
                          name.c_str(), s.std, s.min, s.max, s.n);
            if (const auto& latent = evaluation.latent) {
              // The posterior-collapse watch: which latent dimensions the model uses.
              std::printf("active units: %d of %zu (posterior-mean variance > %g)\n",
                          latent->active_units, latent->kl.size(), latent->threshold);
              std::printf("KL per latent dimension (nats):");
              for (double kl : latent->kl) std::printf(" %.3f", kl);
              std::printf("\n");
              if (!latent->kl_per_frame.empty()) {
                std::printf("KL per predicted frame (nats):");
                for (size_t i = 0; i < latent->kl_per_frame.size(); ++i)
                  std::printf(" %d:%.3f", latent->frame_numbers[i], latent->kl_per_frame[i]);
                std::printf("\n");
              }
            }
            // previews.tsv and, for video, preview-frames/: a run folder's previews, to share.
            if (a.has("--save-previews")) {
              const std::filesystem::path dir = a.value("--save-previews");
              createOutputFolder(dir.string(), "--save-previews");
              // Earlier previews' frames go with them (no run folder: refused above), so an
              // earlier save of more strips leaves none behind.
              std::error_code frames_error;
              std::filesystem::remove_all(dir / "preview-frames", frames_error);
              writePreviewFile(
                  (dir / "previews.tsv").string(),
                  SavedPreviews{std::max(0, loaded.info.epoch - 1), loaded.info.step, evaluation});
              SavedScores scores;
              scores.checkpoint = std::filesystem::absolute(checkpoint).string();
              scores.test_file = loaded.config.data.test;
              scores.epoch = loaded.info.epoch;
              scores.step = loaded.info.step;
              scores.scores = evaluation.scores;
              scores.spread = evaluation.spread;
              writeScoresFile((dir / "scores.yaml").string(), scores);
              std::printf("wrote %s and %s\n", (dir / "previews.tsv").string().c_str(),
                          (dir / "scores.yaml").string().c_str());
            }
            return 0;
          }};
}

Command generateCommand() {
  return {"generate", "generate CHECKPOINT|RUN_DIR [-n N] [--seed S] [--set K=V ...]",
          "decode N draws from the prior with every condition (tense tuples)",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"-n", "--seed", "--set"});
            a.expectPositionals({"CHECKPOINT"});
            const int n = a.intValue("-n", 10, 1, 1000000);
            const int seed = a.intValue("--seed", 1, 0, 2147483647);
            auto loaded = loadExperimentFromCheckpoint(checkpointOf(a.positional(0, "CHECKPOINT")),
                                                       a.values("--set"));
            // An experiment that cannot generate says so before any remark on its keys.
            auto& generator = capability<TupleGenerator>(loaded, "generate");
            remarkOverridesOnCheckpoint("generate", loaded.config, a.values("--set"));
            // Printed as decoded, a chunk at a time: a million draws take minutes.
            int known = 0;
            generator.generateInChunks(
                n, static_cast<std::uint64_t>(seed), [&known](TupleGenerator::Generated out) {
                  for (size_t i = 0; i < out.rows.size(); ++i) {
                    for (const auto& w : out.rows[i]) std::printf("%s ", w.c_str());
                    std::printf("%s\n", out.known[i] ? "" : "  (not in the training set)");
                    known += out.known[i];
                  }
                  std::fflush(stdout);
                });
            std::printf("%d of %d tuples are rows of the training set (%.2f)\n", known, n,
                        static_cast<double>(known) / n);
            return 0;
          }};
}

Command convertCommand() {
  return {
      "convert",
      "convert CHECKPOINT|RUN_DIR WORD [--from TENSE --to TENSE] [--probabilities] [--set K=V ...]",
      "convert one word (tenses: sp, tp, pg, p; from sp to p unless given), or correct it "
      "(spelling); --probabilities: "
      "also the probability of each letter written and of the word's end; --set changes a "
      "key of its config first (e.g. model.lexicon_search)",
      [](const std::vector<std::string>& args) {
        Arguments a(args, {"--from", "--to", "--set"}, {"--probabilities"});
        a.expectPositionals({"CHECKPOINT", "WORD"});
        auto loaded = loadExperimentFromCheckpoint(checkpointOf(a.positional(0, "CHECKPOINT")),
                                                   a.values("--set"));
        const std::string word = a.positional(1, "WORD");
        auto& converter = capability<WordConverter>(loaded, "convert");
        refuseTenses(a, converter, loaded.config);
        remarkOverridesOnCheckpoint("convert", loaded.config, a.values("--set"));
        // sp -> p, as probe's --word: the default was sp -> sp, which wrote the word back.
        const std::string from = a.value("--from", "sp"), to = a.value("--to", "p");
        // A word as long as the decoder may write was stopped there, not ended by the model.
        const auto noteIfCut = [&](const std::string& output) {
          if (static_cast<int>(output.size()) >= loaded.config.model.max_length)
            std::fprintf(stderr,
                         "note: the output reached model.max_length (%d letters) and may be "
                         "cut short\n",
                         loaded.config.model.max_length);
        };
        if (!a.has("--probabilities")) {
          const std::string output = converter.convert(word, from, to);
          std::printf("%s\n", output.c_str());
          noteIfCut(output);
          return 0;
        }
        const auto scored = converter.convertScored(word, from, to);
        std::printf("%s\n%s\n", scored.output.c_str(), letterProbabilityText(scored).c_str());
        noteIfCut(scored.output);
        return 0;
      }};
}

Command probeCommand() {
  return {
      "probe",
      "probe A B [--word W ...] [--from T --to T] [-n N] [--seed S] [--sequence DIR] [--step S] "
      "[--set K=V ...]",
      "paired probe: the same words, z draws and seeds through two checkpoints or run folders "
      "(a run's best.pt or last.pt, the one nearest --step), A and B side by side; --set "
      "changes a key of both configs first",
      [](const std::vector<std::string>& args) {
        Arguments a(args,
                    {"--word", "--from", "--to", "-n", "--seed", "--sequence", "--step", "--set"});
        a.expectPositionals({"A", "B"});
        if (!a.has("--word") && (a.has("--from") || a.has("--to")))
          throw InputError(
              "--from and --to apply to the --word words (the test pairs keep their own tenses)");
        const std::int64_t step = a.has("--step") ? a.intValue("--step", 0, 0, 2147483647) : -1;
        const std::string path_a = checkpointNearStep(a.positional(0, "A"), step);
        const std::string path_b = checkpointNearStep(a.positional(1, "B"), step);
        // One checkpoint twice agrees with itself everywhere: not worth a probe's time unsaid.
        std::error_code same_error;
        if (std::filesystem::equivalent(path_a, path_b, same_error))
          std::fprintf(stderr, "note: A and B are the same checkpoint (%s): every row agrees\n",
                       path_a.c_str());
        auto run_a = loadExperimentFromCheckpoint(path_a, a.values("--set"));
        auto run_b = loadExperimentFromCheckpoint(path_b, a.values("--set"));
        // Options the experiment has no use for were ignored without a word.
        const std::string kind = toString(run_a.config.kind);
        auto* converter = dynamic_cast<WordConverter*>(run_a.experiment.get());
        const bool predicts = dynamic_cast<SequencePredictor*>(run_a.experiment.get()) != nullptr;
        if (a.has("--word") && !converter)
          throw InputError("--word: a " + kind + " checkpoint converts no words" +
                           (predicts ? "; probe a sequence with --sequence DIR" : ""));
        if (converter) refuseTenses(a, *converter, run_a.config);
        if (a.has("--sequence") && !predicts)
          throw InputError("--sequence: a " + kind + " checkpoint predicts no frames");
        if (predicts && !a.has("--sequence"))
          throw InputError("a " + kind +
                           " probe compares the predictions of one sequence: give --sequence "
                           "DIR (a sequence folder, e.g. DATA/test/traj_0_to_49/3)");
        // 0 samples: nothing to see; 1,000 took 54 s and 836 MB, the 10,000 allowed before ~8 GB.
        if (predicts && a.has("-n")) a.intValue("-n", 1, 1, 1000);
        remarkOverridesOnCheckpoint("probe", run_a.config, a.values("--set"), &run_b.config);
        PairedProbeRequest request;
        for (const auto& word : a.values("--word"))
          request.words.push_back({word, a.value("--from", "sp"), a.value("--to", "p"), ""});
        request.samples = a.intValue("-n", 10, 0, 10000);
        request.seed = static_cast<std::uint64_t>(a.intValue("--seed", 1, 0, 2147483647));
        request.sequence = a.value("--sequence");
        // Probed first: a bad sequence is said without a header above it.
        const PairedProbeResult result = pairedProbe(run_a, run_b, request);
        std::printf("A: %s (step %lld)\nB: %s (step %lld)\n\n", path_a.c_str(),
                    static_cast<long long>(run_a.info.step), path_b.c_str(),
                    static_cast<long long>(run_b.info.step));
        for (const auto& table : result.tables) {
          printTable(table);
          std::printf("\n");
        }
        for (const auto& note : result.notes) std::printf("note: %s\n", note.c_str());
        std::printf("A and B differ on %d of %d rows (marked !)\n", result.differing,
                    result.compared);
        return 0;
      }};
}

Command interpolateCommand() {
  return {"interpolate",
          "interpolate CHECKPOINT|RUN_DIR WORD_A WORD_B [--steps N] [--tense T] [--set K=V ...]",
          "walk the latent space from one word to another and decode each point in every tense",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--steps", "--tense", "--set"});
            a.expectPositionals({"CHECKPOINT|RUN_DIR", "WORD_A", "WORD_B"});
            // A run folder stands for its best.pt, as for generate and convert (it gave its
            // last.pt, so the same folder answered from two checkpoints).
            auto loaded = loadExperimentFromCheckpoint(checkpointOf(a.positional(0, "CHECKPOINT")),
                                                       a.values("--set"));
            auto& interpolator = capability<LatentInterpolator>(loaded, "interpolate");
            remarkOverridesOnCheckpoint("interpolate", loaded.config, a.values("--set"));
            const auto rows = interpolator.interpolate(
                a.positional(1, "WORD_A"), a.positional(2, "WORD_B"), a.value("--tense", "sp"),
                a.intValue("--steps", 7, 2, 1000));
            std::printf("%-6s %-16s %-16s %-16s %s\n", "t", "sp", "tp", "pg", "p");
            for (const auto& row : rows)
              std::printf("%-6s %-16s %-16s %-16s %s\n", row[0].c_str(), row[1].c_str(),
                          row[2].c_str(), row[3].c_str(), row[4].c_str());
            return 0;
          }};
}

// The files of an earlier `predict` in `out` (truth_T.png, reconstruction_T.png,
// sampleK_T.png, prediction.gif), sorted; none when `out` does not exist. Throws InputError
// when `out` is not a folder.
std::vector<std::string> earlierPrediction(const std::filesystem::path& out) {
  std::error_code error;
  if (!std::filesystem::exists(out, error)) return {};
  if (!std::filesystem::is_directory(out, error))
    throw InputError("--out " + out.string() + ": not a folder");
  // Exactly the names predict writes: samples from 1 without leading zeros, frames 0 to 29.
  static const std::regex ours(
      R"((truth|reconstruction|sample[1-9][0-9]*)_([0-9]|[12][0-9])\.png|prediction\.gif)");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(out, error)) {
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, ours)) continue;
    // A folder under a frame's name would stop the writing half-way, the old files gone.
    if (!entry.is_regular_file(error) && !entry.is_symlink(error))
      throw InputError(entry.path().string() +
                       ": not a file, where predict writes one; move it or choose another --out");
    names.push_back(name);
  }
  // Checked before anything is removed: a read-only folder failed after the first removal.
  if (::access(out.c_str(), W_OK | X_OK) != 0)
    throw InputError("--out " + out.string() + ": cannot write there: " + std::strerror(errno));
  std::sort(names.begin(), names.end());
  return names;
}

Command predictCommand() {
  return {
      "predict",
      "predict CHECKPOINT|RUN_DIR --sequence DIR --out DIR [--samples N] [--seed S] [--overwrite]",
      "predict a video sequence: PNG frames and a GIF of truth above prediction; --overwrite "
      "replaces an earlier prediction in DIR",
      [](const std::vector<std::string>& args) {
        Arguments a(args, {"--sequence", "--out", "--samples", "--seed"}, {"--overwrite"});
        a.expectPositionals({"CHECKPOINT"});
        if (!a.has("--sequence")) throw InputError("missing --sequence DIR");
        if (!a.has("--out")) throw InputError("missing --out DIR");
        const int samples = a.intValue("--samples", 1, 1, 64);
        const int seed = a.intValue("--seed", 1, 0, 2147483647);
        const std::filesystem::path out = a.value("--out");
        // An empty path was read as the current folder (and refused for another reason).
        if (out.empty()) throw InputError("--out: the folder's path is empty");
        const std::string sequence = a.value("--sequence");
        if (sequence.empty()) throw InputError("--sequence: the folder's path is empty");
        // A run's folder: 37 PNGs and a GIF among its files, left behind by a later
        // `train --overwrite` of the run (evaluate --save-previews refuses it too).
        if (const auto run_files = RunFolder::runFilesIn(out.string()); !run_files.empty())
          throw InputError("--out " + out.string() + ": holds a run (its " + run_files.front() +
                           "); the prediction's frames would lie among the run's files: choose "
                           "another folder");
        // A folder of sequences (a data split's traj_0_to_49) read as "missing frame 0.png".
        {
          namespace fs = std::filesystem;
          std::error_code ec;
          if (fs::is_directory(sequence, ec) && !fs::exists(fs::path(sequence) / "0.png", ec))
            for (const auto& entry : fs::directory_iterator(sequence, ec))
              if (entry.is_directory(ec) && fs::exists(entry.path() / "0.png", ec))
                throw InputError("--sequence " + sequence +
                                 ": a folder of sequences, not one sequence (it has no 0.png; " +
                                 entry.path().string() + " is a sequence): give one of them");
        }
        // The prediction's PNGs beside the sequence's own frames, or among a data set's
        // sequence folders, would be read as data (or mixed up with it) later.
        if (isSameOrInside(out.string(), sequence) || isSameOrInside(sequence, out.string()))
          throw InputError("--out " + out.string() + ": " +
                           (isSameOrInside(out.string(), sequence) ? "is in or is" : "holds") +
                           " the --sequence folder " + sequence +
                           "; the prediction's frames would mix with the data's: choose a "
                           "folder apart");
        // Before any work: a second prediction into the same folder left the first one's
        // sample PNGs beside its own (64 samples, then 1: 63 stale ones).
        const auto earlier = earlierPrediction(out);
        if (!earlier.empty() && !a.has("--overwrite"))
          throw InputError(out.string() + ": holds a prediction already (" + earlier.front() +
                           (earlier.size() > 1
                                ? " and " + std::to_string(earlier.size() - 1) + " more files"
                                : std::string()) +
                           "); pass --overwrite to replace it, or choose another --out");
        auto loaded = loadExperimentFromCheckpoint(checkpointOf(a.positional(0, "CHECKPOINT")));
        const auto strips =
            capability<SequencePredictor>(loaded, "predict")
                .predictSequence(a.value("--sequence"), samples, static_cast<std::uint64_t>(seed));
        for (const auto& name : earlier) std::filesystem::remove(out / name);
        createOutputFolder(out.string(), "--out");
        // A write that fails half-way (a full disk) takes back what it wrote: the PNGs left
        // behind blocked the next try as "holds a prediction already".
        std::vector<std::filesystem::path> written;
        auto writePng = [&written](const std::filesystem::path& path, const RgbImage& image) {
          written.push_back(path);
          cvae::writePng(path.string(), image);
        };
        try {
          // strips: truth, posterior reconstruction, prior samples 1..N.
          const auto& truth = strips[0];
          std::printf("%-7s", "frame");
          for (size_t s = 1; s < strips.size(); ++s)
            std::printf("  %-26s", strips[s].title.c_str());
          std::printf("\n");
          for (size_t t = 0; t < truth.frames.size(); ++t) {
            writePng(out / ("truth_" + std::to_string(t) + ".png"), truth.frames[t]);
            for (size_t s = 2; s < strips.size(); ++s)
              writePng(out / ("sample" + std::to_string(s - 1) + "_" + std::to_string(t) + ".png"),
                       strips[s].frames[t]);
            writePng(out / ("reconstruction_" + std::to_string(t) + ".png"), strips[1].frames[t]);
            // Counted from 1, as evaluate, latent.csv and the frame browser count frames; the
            // files keep the data set's numbering from 0 (truth_0.png is its 0.png).
            std::printf("%-7zu", t + 1);
            for (size_t s = 1; s < strips.size(); ++s) {
              if (std::isnan(strips[s].psnr[t]))
                std::printf("  %-26s", "given");
              else
                std::printf("  %-26.2f", strips[s].psnr[t]);
            }
            std::printf("\n");
          }
          // Each GIF frame: the truth above the first prior sample (the prediction).
          std::vector<RgbImage> animation;
          for (size_t t = 0; t < truth.frames.size(); ++t)
            animation.push_back(stackVertically({truth.frames[t], strips[2].frames[t]}));
          written.push_back(out / "prediction.gif");
          writeAnimatedGif((out / "prediction.gif").string(), animation);
          std::printf(
              "wrote %zu frames per strip and prediction.gif to %s (PSNR in dB; frame N is "
              "truth_{N-1}.png, as the data set's files count from 0)\n",
              truth.frames.size(), out.string().c_str());
        } catch (const std::exception& e) {
          std::error_code ec;
          for (const auto& path : written) std::filesystem::remove(path, ec);
          throw std::runtime_error(std::string(e.what()) + " (the " +
                                   std::to_string(written.size()) +
                                   " files of this prediction written so far were removed)");
        }
        return 0;
      }};
}

}  // namespace cvae::cli
