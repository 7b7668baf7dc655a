#include "core/experiments/ExperimentRegistry.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/data/LengthBuckets.h"
#include "core/data/PushingData.h"
#include "core/data/PushingDataMaker.h"
#include "core/data/SpellingDataMaker.h"
#include "core/data/TenseDataMaker.h"
#include "core/experiments/SpellingExperiment.h"
#include "core/experiments/TenseExperiment.h"
#include "core/experiments/VideoExperiment.h"
#include "core/io/InputError.h"

namespace cvae {
namespace {

std::vector<ExperimentEntry> buildRegistry() {
  std::vector<ExperimentEntry> entries;

  ExperimentEntry tense;
  static_cast<ExperimentFacts&>(tense) = experimentFacts(ExperimentKind::Tense);
  tense.make_default_data = [](const std::string& dir, int size, const ProgressFn& progress) {
    if (progress) progress("making the tense data set from WordNet");
    TenseDataOptions options;
    if (size > 0) options.train_rows = size;
    const auto data = makeTenseData(options);
    std::filesystem::create_directories(dir);
    writeTenseTrainingFile(dir + "/train.txt", data.train);
    writeTenseTestFile(dir + "/test.txt", data.test);
    if (progress)
      progress("wrote " + std::to_string(data.train.size()) + " training rows and " +
               std::to_string(data.test.size()) + " test pairs to " + dir);
  };
  tense.estimate_batches_per_epoch = [](const ExperimentConfig& config) -> int64_t {
    int64_t rows = TenseDataOptions{}.train_rows;
    std::ifstream in(config.data.train);
    if (in) {
      rows = 0;
      for (std::string line; std::getline(in, line);) rows += line.empty() ? 0 : 1;
    }
    const int64_t items = std::max<int64_t>(1, rows) * kTenseCount;  // one example per tense
    return batchCount(items, config.train.batch_size);
  };
  tense.create = [](const ExperimentConfig& config, c10::Device device) {
    return std::unique_ptr<Experiment>(new TenseExperiment(config, device));
  };
  entries.push_back(tense);

  ExperimentEntry spelling;
  static_cast<ExperimentFacts&>(spelling) = experimentFacts(ExperimentKind::Spelling);
  spelling.make_default_data = [](const std::string& dir, int size, const ProgressFn& progress) {
    if (progress) progress("making the spelling data set from the wamerican word list");
    SpellingDataOptions options;
    if (size > 0) options.train_targets = size;
    const auto data = makeSpellingData(options);
    std::filesystem::create_directories(dir);
    writeSpellingFile(dir + "/train.json", data.train);
    writeSpellingFile(dir + "/test.json", data.test);
    if (progress)
      progress("wrote " + std::to_string(spellingPairs(data.train).size()) +
               " training pairs and " + std::to_string(data.test.size()) + " test pairs to " + dir);
  };
  spelling.estimate_batches_per_epoch = [](const ExperimentConfig& config) -> int64_t {
    // About two misspellings per word in the embedded default.
    int64_t pairs = 2 * SpellingDataOptions{}.train_targets;
    try {
      pairs = static_cast<int64_t>(spellingPairs(readSpellingFile(config.data.train)).size());
    } catch (const InputError&) {
      // Not made yet or not valid: the estimate stays; training reports the real problem.
    }
    return batchCount(std::max<int64_t>(1, pairs), config.train.batch_size);
  };
  spelling.create = [](const ExperimentConfig& config, c10::Device device) {
    return std::unique_ptr<Experiment>(new SpellingExperiment(config, device));
  };
  entries.push_back(spelling);

  ExperimentEntry video;
  static_cast<ExperimentFacts&>(video) = experimentFacts(ExperimentKind::Video);
  video.make_default_data = [](const std::string& dir, int size, const ProgressFn& progress) {
    PushingDataOptions options;
    if (size > 0) options.train_sequences = size;
    makePushingData(dir, options, progress);
  };
  video.estimate_batches_per_epoch = [](const ExperimentConfig& config) -> int64_t {
    int64_t sequences = PushingDataOptions{}.train_sequences;
    try {
      sequences = static_cast<int64_t>(listPushingSequences(config.data.train).size());
    } catch (const InputError&) {
      // Not made yet: the estimate stays; training reports the real problem.
    }
    return pushingBatchCount(sequences, config.train.batch_size);
  };
  video.create = [](const ExperimentConfig& config, c10::Device device) {
    return std::unique_ptr<Experiment>(new VideoExperiment(config, device));
  };
  entries.push_back(video);
  return entries;
}

}  // namespace

const std::vector<ExperimentEntry>& experimentRegistry() {
  static const std::vector<ExperimentEntry> registry = buildRegistry();
  return registry;
}

const ExperimentEntry& experimentEntry(ExperimentKind kind) {
  for (const auto& entry : experimentRegistry())
    if (entry.kind == kind) return entry;
  throw InputError("the " + toString(kind) + " experiment is not available in this build yet");
}

}  // namespace cvae
