#pragma once
// Capabilities some experiments offer beyond training, asked for with dynamic_cast by the CLI
// and the GUI (`convert`, `generate`, `predict`).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/experiments/Evaluation.h"

namespace cvae {

// A word typed into a probe (convert, interpolate, probe, Try it): lower-case a-z, and no longer
// than the model writes (`max_length`, model.max_length), which would otherwise come back cut
// short without a word. Throws InputError naming the word (its first 40 letters).
void checkProbeWord(const std::string& word, int max_length);

// One conversion to try: a word, its condition names (empty where the experiment has none)
// and, when known, the expected answer.
struct ProbeWord {
  std::string word, from, to, target;
};

class WordConverter {
 public:
  virtual ~WordConverter() = default;
  // `from`/`to` are condition names (tenses: sp, tp, pg, p); ignored where there are none.
  virtual std::string convert(const std::string& word, const std::string& from,
                              const std::string& to) = 0;
  // convert() with the probability the model gave each character it wrote, the end of the
  // word last (probabilities.size() == output.size() + 1). They come from a teacher-forced pass
  // over the greedy output, which feeds the decoder what greedy decoding fed it, so each letter's
  // is the largest probability at its step; the end's is EOS's where greedy decoding stopped
  // (EOS or another non-letter was most likely, or max_length was reached).
  struct Scored {
    std::string output;
    std::vector<double> probabilities;
  };
  virtual Scored convertScored(const std::string& word, const std::string& from,
                               const std::string& to) = 0;
  // The experiment's test pairs as probes, in file order: what a probe tries by default.
  virtual std::vector<ProbeWord> testProbes() const = 0;
  // Whether convert() reads `from`/`to` (tenses); a corrector has no conditions.
  virtual bool hasConditions() const { return true; }
};

// "w 0.99  a 0.97  l 0.62  end 0.98": each written letter with its probability, then the end
// of the word's (two decimals, whatever the locale), for the CLI and the GUI.
std::string letterProbabilityText(const WordConverter::Scored& scored);

class TupleGenerator {
 public:
  virtual ~TupleGenerator() = default;
  // `count` rows decoded from z ~ N(0, I) drawn with `seed`; each row holds one word per
  // condition, and `known` says whether the row is in the training set.
  struct Generated {
    std::vector<std::vector<std::string>> rows;
    std::vector<bool> known;
  };
  virtual Generated generate(int count, std::uint64_t seed) = 0;
  // The same rows, handed to `take` in order a chunk at a time as they are decoded: a million
  // draws take minutes, and `generate -n 1000000` printed nothing until the end (all of it lost
  // to a Ctrl-C). By default one chunk of all of them.
  virtual void generateInChunks(int count, std::uint64_t seed,
                                const std::function<void(Generated)>& take) {
    take(generate(count, seed));
  }
};

class LatentInterpolator {
 public:
  virtual ~LatentInterpolator() = default;
  // Walks the latent space from word A to word B (both read in condition `from`): the
  // posterior means z_A and z_B, then z_t = (1 − t)·z_A + t·z_B for `steps` evenly spaced t
  // in [0, 1] (steps ≥ 2), each decoded with every condition. Row t: t, then one word per
  // condition. Throws InputError for a word outside a-z or an unknown condition.
  virtual std::vector<std::vector<std::string>> interpolate(const std::string& word_a,
                                                            const std::string& word_b,
                                                            const std::string& from, int steps) = 0;
};

class SequencePredictor {
 public:
  virtual ~SequencePredictor() = default;
  // Predicts the sequence in folder `dir` after its conditioning frames: strips of the ground
  // truth, the posterior reconstruction and `samples` draws from the learned prior (from
  // `seed`), aligned on time, with per-frame PSNR.
  virtual std::vector<FrameStrip> predictSequence(const std::string& dir, int samples,
                                                  std::uint64_t seed) = 0;
};

}  // namespace cvae
