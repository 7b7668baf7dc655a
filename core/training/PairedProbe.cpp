#include "core/training/PairedProbe.h"

#include <cmath>
#include <filesystem>

#include "core/config/ConfigSchema.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/training/CheckpointLoader.h"
#include "core/training/RunStart.h"

namespace cvae {
namespace {

namespace fs = std::filesystem;

std::string label(const LoadedExperiment& run, const char* which) {
  return std::string(which) + " (step " + std::to_string(run.info.step) + ")";
}

PreviewTable conversions(LoadedExperiment& a, LoadedExperiment& b, WordConverter& ca,
                         WordConverter& cb, const PairedProbeRequest& request, bool tenses,
                         PairedProbeResult& result) {
  std::vector<ProbeWord> words = request.words;
  if (words.empty()) {
    words = ca.testProbes();
    if (static_cast<int>(words.size()) > request.max_words)
      words.resize(static_cast<size_t>(request.max_words));
  }
  PreviewTable table;
  table.title = tenses ? "Conversions" : "Corrections";
  table.columns =
      tenses ? std::vector<std::string>{"input",       "from",        "to",  "target",
                                        label(a, "A"), label(b, "B"), "same"}
             : std::vector<std::string>{"input", "target", label(a, "A"), label(b, "B"), "same"};
  for (const auto& w : words) {
    const std::string pa = ca.convert(w.word, w.from, w.to);
    const std::string pb = cb.convert(w.word, w.from, w.to);
    std::vector<std::string> row = {w.word};
    if (tenses) {
      row.push_back(w.from);
      row.push_back(w.to);
    }
    row.insert(row.end(), {w.target, pa, pb, pa == pb ? "yes" : "no"});
    table.rows.push_back(row);
    table.row_ok.push_back(pa == pb);
    ++result.compared;
    result.differing += pa != pb;
  }
  return table;
}

}  // namespace

std::string checkpointNearStep(const std::string& path, std::int64_t step) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return path;
  const std::string best = (fs::path(path) / "best.pt").string();
  const std::string last = (fs::path(path) / "last.pt").string();
  // A broken link counts as there: its reader names it, where best.pt took its place unsaid.
  const bool has_best = fs::exists(fs::symlink_status(best, ec)),
             has_last = fs::exists(fs::symlink_status(last, ec));
  if (!has_best && !has_last)
    throw InputError(path + ": no best.pt or last.pt to probe (not a run folder, or not trained)");
  std::string chosen;
  if (!has_best || !has_last || step < 0) {
    chosen = has_last ? last : best;
  } else {
    const std::int64_t best_step = readCheckpointInfo(best).step;
    const std::int64_t last_step = readCheckpointInfo(last).step;
    chosen = std::llabs(best_step - step) < std::llabs(last_step - step) ? best : last;
  }
  checkCheckpointIsTheRuns(path, chosen);
  return chosen;
}

PairedProbeResult pairedProbe(LoadedExperiment& a, LoadedExperiment& b,
                              const PairedProbeRequest& request) {
  if (a.config.kind != b.config.kind)
    throw InputError("A is a " + toString(a.config.kind) + " checkpoint and B a " +
                     toString(b.config.kind) + " one: a paired probe compares one experiment");
  PairedProbeResult result;
  if (a.info.step != b.info.step)
    result.notes.push_back("the checkpoints are at different steps (A " +
                           std::to_string(a.info.step) + ", B " + std::to_string(b.info.step) +
                           "): part of a difference may be the extra training");
  // Keys that change what A and B write (decoding keys such as model.lexicon_channel, or
  // training ones), not where they wrote it or how many threads they used.
  std::string differing;
  int listed = 0, unlisted = 0;
  for (const auto& change : configDifferences(a.config, b.config)) {
    const std::string& key = change.key;
    if (key == "name" || key.rfind("output.", 0) == 0 || key == "train.threads" ||
        key == "train.device" || (!fieldInUse(key, a.config) && !fieldInUse(key, b.config)))
      continue;
    const FieldSpec* spec = findField(key);
    if (spec && effectiveFieldValue(*spec, a.config) == effectiveFieldValue(*spec, b.config))
      continue;  // an encoder size of 0 and the hidden size are one model
    if (listed == 6) {
      ++unlisted;
      continue;
    }
    differing += (listed++ ? ", " : "") + key + " (A " + change.from + ", B " + change.to + ")";
  }
  if (listed > 0)
    result.notes.push_back("the configs differ in " + differing +
                           (unlisted ? " and " + std::to_string(unlisted) +
                                           (unlisted == 1 ? " more key" : " more keys") +
                                           " (cvae-cli diff A B)"
                                     : "") +
                           ": part of a difference may be these");
  auto* ca = dynamic_cast<WordConverter*>(a.experiment.get());
  auto* cb = dynamic_cast<WordConverter*>(b.experiment.get());
  const bool tenses = dynamic_cast<TupleGenerator*>(a.experiment.get()) != nullptr;
  if (ca && cb) result.tables.push_back(conversions(a, b, *ca, *cb, request, tenses, result));

  auto* ga = dynamic_cast<TupleGenerator*>(a.experiment.get());
  auto* gb = dynamic_cast<TupleGenerator*>(b.experiment.get());
  const bool same_latent = a.config.model.latent_size == b.config.model.latent_size;
  if (ga && gb && request.samples > 0 && !same_latent)
    result.notes.push_back("the latent sizes differ (A " +
                           std::to_string(a.config.model.latent_size) + ", B " +
                           std::to_string(b.config.model.latent_size) +
                           "): the same z cannot be decoded by both, so no tuples are compared");
  if (ga && gb && request.samples > 0 && same_latent) {
    const auto ta = ga->generate(request.samples, request.seed);
    const auto tb = gb->generate(request.samples, request.seed);
    PreviewTable table;
    table.title = "Tuples from the same z (seed " + std::to_string(request.seed) + ")";
    table.columns = {
        "z", "A: sp tp pg p", "A in training set", "B: sp tp pg p", "B in training set", "same"};
    for (size_t i = 0; i < ta.rows.size() && i < tb.rows.size(); ++i) {
      auto joined = [](const std::vector<std::string>& words) {
        std::string s;
        for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
        return s;
      };
      const bool same = ta.rows[i] == tb.rows[i];
      table.rows.push_back({std::to_string(i + 1), joined(ta.rows[i]), ta.known[i] ? "yes" : "no",
                            joined(tb.rows[i]), tb.known[i] ? "yes" : "no", same ? "yes" : "no"});
      table.row_ok.push_back(same);
      ++result.compared;
      result.differing += !same;
    }
    result.tables.push_back(table);
  }

  auto* pa = dynamic_cast<SequencePredictor*>(a.experiment.get());
  auto* pb = dynamic_cast<SequencePredictor*>(b.experiment.get());
  if (pa && pb) {
    if (request.sequence.empty()) {
      result.notes.push_back("give a sequence folder to compare the video predictions");
    } else {
      const int samples = std::max(1, request.samples);
      const auto sa = pa->predictSequence(request.sequence, samples, request.seed);
      const auto sb = pb->predictSequence(request.sequence, samples, request.seed);
      // Strips: truth, posterior reconstruction, prior samples 1..N: per frame, the mean PSNR
      // of the prior samples and the best of them, for A and B.
      PreviewTable table;
      table.title = "PSNR per frame (dB), " + std::to_string(samples) +
                    " prior samples from seed " + std::to_string(request.seed);
      table.columns = {"frame", "A mean", "A best", "B mean", "B best", "B − A (mean)"};
      auto stats = [](const std::vector<FrameStrip>& strips, size_t t) {
        double sum = 0, best = -INFINITY;
        int n = 0;
        for (size_t s = 2; s < strips.size(); ++s)
          if (t < strips[s].psnr.size() && std::isfinite(strips[s].psnr[t])) {
            sum += strips[s].psnr[t];
            best = std::max(best, strips[s].psnr[t]);
            ++n;
          }
        return std::make_pair(n ? sum / n : NAN, best);
      };
      const size_t frames = sa.empty() ? 0 : sa[0].frames.size();
      for (size_t t = 0; t < frames; ++t) {
        const auto [ma, ba] = stats(sa, t);
        const auto [mb, bb] = stats(sb, t);
        if (!std::isfinite(ma) || !std::isfinite(mb)) continue;  // a context frame: given
        // Frames counted from 1, as evaluate, latent.csv and the frame browser count them.
        table.rows.push_back({std::to_string(t + 1), formatFixed(ma, 2), formatFixed(ba, 2),
                              formatFixed(mb, 2), formatFixed(bb, 2), formatFixed(mb - ma, 2)});
        table.row_ok.push_back(std::abs(mb - ma) < 0.01);
        ++result.compared;
        result.differing += std::abs(mb - ma) >= 0.01;
      }
      result.tables.push_back(table);
      // Side by side: A's strip beside B's of the same kind (both drew the same prior noise).
      if (!sa.empty()) result.frames.push_back(sa[0]);
      for (size_t s = 1; s < std::max(sa.size(), sb.size()); ++s)
        for (const auto* strips : {&sa, &sb})
          if (s < strips->size()) {
            FrameStrip strip = (*strips)[s];
            strip.title = (strips == &sa ? "A: " : "B: ") + strip.title;
            result.frames.push_back(std::move(strip));
          }
    }
  }
  if (result.tables.empty() && result.notes.empty())
    throw InputError("the " + toString(a.config.kind) + " experiment has nothing to probe");
  return result;
}

}  // namespace cvae
