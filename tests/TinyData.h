#pragma once
// Small tense data sets written into a temporary folder, for fast deterministic tests.
#include <QTemporaryDir>

#include <random>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/data/PushingDataMaker.h"
#include "core/data/SpellingData.h"
#include "core/data/TenseData.h"

// `n` random words of `min_length`..`max_length` letters drawn from the first `letters` of a-z:
// strings no model has seen, for tests of copying.
template <class Rng>
std::vector<std::string> randomWords(Rng& rng, int n, int min_length, int max_length, int letters) {
  std::vector<std::string> words;
  std::uniform_int_distribution<int> length(min_length, max_length), letter(0, letters - 1);
  for (int i = 0; i < n; ++i) {
    std::string w;
    for (int k = length(rng); k > 0; --k) w.push_back(static_cast<char>('a' + letter(rng)));
    words.push_back(w);
  }
  return words;
}

inline std::vector<cvae::TenseTuple> tinyTenseRows() {
  return {{"abet", "abets", "abetting", "abetted"}, {"begin", "begins", "beginning", "began"},
          {"go", "goes", "going", "went"},          {"look", "looks", "looking", "looked"},
          {"run", "runs", "running", "ran"},        {"see", "sees", "seeing", "saw"},
          {"try", "tries", "trying", "tried"},      {"walk", "walks", "walking", "walked"}};
}

// A tense config on the tiny rows with a small model, evaluated on two of its own pairs.
inline cvae::ExperimentConfig tinyTenseConfig(const QTemporaryDir& dir) {
  using namespace cvae;
  const std::string train = dir.filePath("train.txt").toStdString();
  const std::string test = dir.filePath("test.txt").toStdString();
  writeTenseTrainingFile(train, tinyTenseRows());
  writeTenseTestFile(test, {{"abet", "abetting", Tense::SimplePresent, Tense::Progressive},
                            {"went", "goes", Tense::SimplePast, Tense::ThirdPerson}});
  auto config = ExperimentConfig::defaultsFor(ExperimentKind::Tense);
  config.name = "tiny";
  config.data.train = train;
  config.data.test = test;
  config.model.embedding_size = 16;
  config.model.hidden_size = 48;
  config.model.latent_size = 8;
  config.model.condition_size = 4;
  config.train.batch_size = 8;
  config.optimizer.learning_rate = 1e-2;
  config.train.epochs = 2;
  config.train.device = "cpu";
  config.evaluation.gaussian_samples = 10;
  config.output.dir = dir.filePath("runs").toStdString();
  return config;
}

inline std::vector<cvae::SpellingEntry> tinySpellingEntries() {
  return {{{"recetion", "receshion"}, "recession"},
          {{"begining"}, "beginning"},
          {{"problam"}, "problem"},
          {{"dirven"}, "driven"},
          {{"juce"}, "juice"},
          {{"localy"}, "locally"},
          {{"compair"}, "compare"}};
}

// A spelling config on the tiny entries with a small model, evaluated on three of its pairs.
inline cvae::ExperimentConfig tinySpellingConfig(const QTemporaryDir& dir) {
  using namespace cvae;
  const std::string train = dir.filePath("train.json").toStdString();
  const std::string test = dir.filePath("test.json").toStdString();
  writeSpellingFile(train, tinySpellingEntries());
  writeSpellingFile(test,
                    {{{"recetion"}, "recession"}, {{"juce"}, "juice"}, {{"dirvn"}, "driven"}});
  auto config = ExperimentConfig::defaultsFor(ExperimentKind::Spelling);
  config.name = "tiny-spelling";
  config.data.train = train;
  config.data.test = test;
  config.model.embedding_size = 16;
  config.model.hidden_size = 48;
  config.model.bidirectional = true;
  config.model.word_dropout = 0.1;
  config.train.batch_size = 4;
  config.optimizer.learning_rate = 1e-2;
  config.train.epochs = 2;
  config.train.device = "cpu";
  config.output.dir = dir.filePath("runs").toStdString();
  return config;
}

// A small made pushing data set (4 training, 2 validation, 2 test sequences) and a video
// config small enough to train and evaluate in a second.
inline std::string makeTinyPushing(const QTemporaryDir& dir) {
  cvae::PushingDataOptions options;
  options.train_sequences = 4;
  options.validate_sequences = 2;
  options.test_sequences = 2;
  const std::string root = dir.filePath("pushing").toStdString();
  cvae::makePushingData(root, options);
  return root;
}

inline cvae::ExperimentConfig tinyVideoConfig(const QTemporaryDir& dir) {
  using namespace cvae;
  const std::string root = makeTinyPushing(dir);
  auto config = ExperimentConfig::defaultsFor(ExperimentKind::Video);
  config.data.train = root + "/train";
  config.data.test = root + "/validate";
  config.video.width = 0.125;
  config.video.frame_dim = 32;
  config.model.hidden_size = 32;
  config.model.latent_size = 4;
  config.video.future_frames = 3;
  config.video.eval_future_frames = 4;
  config.video.prior_samples = 2;
  config.train.batch_size = 2;
  config.train.device = "cpu";
  config.output.dir = dir.filePath("runs").toStdString();
  return config;
}
