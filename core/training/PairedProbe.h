#pragma once
// Paired probes: the same inputs, the same z and the same seeds through two checkpoints (two
// runs, or one run at two steps), so that an A/B difference comes from what differs between the
// runs (a schedule, a key) and not from sampling. Tense: the same conversions, and tuples
// decoded from the same draws z ~ N(0, I) in all four tenses; spelling: the same corrections;
// video: one sequence predicted by both from the same context frames and the same prior draws.

#include <cstdint>
#include <string>
#include <vector>

#include "core/experiments/Evaluation.h"
#include "core/experiments/WordTools.h"

namespace cvae {

struct LoadedExperiment;  // core/training/CheckpointLoader.h; kept out so the GUI's run views
                          // that only pick a checkpoint do not compile LibTorch's headers

struct PairedProbeRequest {
  std::vector<ProbeWord> words;  // empty: the first `max_words` test pairs of A's test file
  int max_words = 20;
  int samples = 10;        // tense: tuples from the same z; video: prior samples per model
  std::uint64_t seed = 1;  // the z draws (tense) or the prior draws (video)
  std::string sequence;    // video: a sequence folder; empty: no video probe
};

struct PairedProbeResult {
  // Each table's rows hold A's and B's answers side by side; row_ok is false where they differ.
  std::vector<PreviewTable> tables;
  std::vector<std::string> notes;
  // Video: the two runs' frames of the probed sequence, for an A/B view at one time step: the
  // truth, then A's and B's strips alternating (posterior reconstruction, prior sample 1, ...),
  // each title prefixed "A: " or "B: ". Empty for word experiments.
  std::vector<FrameStrip> frames;
  int compared = 0;   // rows compared over the tables
  int differing = 0;  // rows where A and B differ
};

// Throws InputError when the checkpoints are of different experiments or the experiment has
// nothing to probe. Tense runs of different latent sizes compare their conversions only (a note
// says so): the same z cannot be decoded by both.
PairedProbeResult pairedProbe(LoadedExperiment& a, LoadedExperiment& b,
                              const PairedProbeRequest& request);

// The checkpoint to probe for `path`: a checkpoint file as is; for a run folder, the one of its
// best.pt and last.pt whose step is nearest `step` (the later on a tie; last.pt for step < 0).
// Throws InputError naming the folder when it has neither.
std::string checkpointNearStep(const std::string& path, std::int64_t step);

}  // namespace cvae
