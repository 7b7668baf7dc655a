#pragma once
// The tense-conversion CVAE experiment. Every training row gives four examples (one per input
// tense); each epoch draws a target tense per example, so the decoder learns to convert as
// well as to reconstruct, and z has to carry the verb rather than the tense.

#include <memory>
#include <random>

#include "core/config/ExperimentConfig.h"
#include "core/data/TenseData.h"
#include "core/experiments/Experiment.h"
#include "core/experiments/WordTools.h"
#include "core/models/TenseCvae.h"

namespace cvae {

class TenseExperiment : public Experiment,
                        public WordConverter,
                        public TupleGenerator,
                        public LatentInterpolator {
 public:
  TenseExperiment(const ExperimentConfig& config, c10::Device device);

  std::vector<std::string> scoreNames() const override;
  double selectionScore(const Evaluation& evaluation) const override;
  int64_t batchesPerEpoch() const override;
  void startEpoch(std::mt19937_64& rng) override;
  StepLoss trainStep(int64_t batch_index, const StepSchedule& schedule,
                     std::mt19937_64& rng) override;
  Evaluation evaluate() override;
  torch::nn::Module& model() override { return *model_; }

  std::string convert(const std::string& word, const std::string& from,
                      const std::string& to) override;
  Scored convertScored(const std::string& word, const std::string& from,
                       const std::string& to) override;
  Generated generate(int count, std::uint64_t seed) override;
  void generateInChunks(int count, std::uint64_t seed,
                        const std::function<void(Generated)>& take) override;
  std::vector<ProbeWord> testProbes() const override;
  std::vector<std::vector<std::string>> interpolate(const std::string& word_a,
                                                    const std::string& word_b,
                                                    const std::string& from, int steps) override;

  // Decodes each pair from the posterior mean of its source word.
  std::vector<std::string> convertPairs(const std::vector<TensePair>& pairs);
  const std::vector<TensePair>& testPairs() const { return test_; }
  // The posterior-collapse watch over the training words (each with its own tense).
  LatentActivity latentActivityOverTraining();

 private:
  struct Example {
    int row;
    Tense from;
    Tense to;
  };

  ExperimentConfig config_;
  c10::Device device_;
  std::vector<TenseTuple> train_;
  std::vector<TensePair> test_;
  std::vector<Example> examples_;
  std::vector<int64_t> batch_order_;  // this epoch's order of the length-sorted batches
  TenseCvae model_{nullptr};
};

}  // namespace cvae
