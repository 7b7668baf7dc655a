#pragma once
// The spelling-correction experiment: every (misspelling, word) pair of the training file is
// one example; evaluation decodes the test file's misspellings greedily and scores BLEU-4 and
// exact matches.

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/data/EditChannel.h"
#include "core/data/Lexicon.h"
#include "core/data/SpellingData.h"
#include "core/experiments/Experiment.h"
#include "core/experiments/WordTools.h"
#include "core/models/SpellingSeq2Seq.h"

namespace cvae {

class SpellingExperiment : public Experiment, public WordConverter {
 public:
  SpellingExperiment(const ExperimentConfig& config, c10::Device device);

  std::vector<std::string> scoreNames() const override;
  double selectionScore(const Evaluation& evaluation) const override;
  int64_t batchesPerEpoch() const override;
  void startEpoch(std::mt19937_64& rng) override;
  StepLoss trainStep(int64_t batch_index, const StepSchedule& schedule,
                     std::mt19937_64& rng) override;
  Evaluation evaluate() override;
  torch::nn::Module& model() override { return *model_; }

  // Spelling has no conditions: `from` and `to` are ignored.
  std::string convert(const std::string& word, const std::string& from,
                      const std::string& to) override;
  Scored convertScored(const std::string& word, const std::string& from,
                       const std::string& to) override;

  std::vector<std::string> correct(const std::vector<std::string>& words);
  const std::vector<SpellingPair>& testPairs() const { return test_; }
  std::vector<ProbeWord> testProbes() const override;
  bool hasConditions() const override { return false; }

 private:
  // Greedy decoding, under `lexicon` when it is given, in chunks of a few hundred words.
  std::vector<std::string> correctGreedy(const std::vector<std::string>& words,
                                         const Lexicon* lexicon);
  // model.lexicon_search "nearest": each word's lexicon neighbours ranked by the model.
  std::vector<std::string> correctNearest(const std::vector<std::string>& words);
  // What evaluate's note says of model.lexicon_channel; empty for the uniform channel.
  std::string channelNote() const;

  ExperimentConfig config_;
  c10::Device device_;
  std::vector<SpellingPair> train_;
  std::vector<SpellingPair> test_;
  std::vector<int64_t> batch_order_;
  SpellingSeq2Seq model_{nullptr};
  // data.lexicon's words and the training targets; unset without data.lexicon.
  std::optional<Lexicon> lexicon_;
  // data.common_words, for model.rare_word_cost; unset without it.
  std::optional<Lexicon> common_words_;
  // model.lexicon_channel "learned": edit costs counted from the training pairs; else unset.
  std::optional<EditChannel> channel_;
};

}  // namespace cvae
