#include "core/experiments/SpellingExperiment.h"

#include <torch/utils.h>

#include <algorithm>
#include <cstdio>

#include "core/config/ConfigError.h"
#include "core/data/CharVocabulary.h"
#include "core/data/LengthBuckets.h"
#include "core/data/WordBatch.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/io/NumberText.h"
#include "core/metrics/Bleu.h"
#include "core/models/SequenceLoss.h"

namespace cvae {

SpellingExperiment::SpellingExperiment(const ExperimentConfig& config, c10::Device device)
    : config_(config), device_(device) {
  train_ = spellingPairs(readSpellingFile(config.data.train));
  test_ = spellingPairs(readSpellingFile(config.data.test));
  model_ = SpellingSeq2Seq(SpellingSeq2SeqOptions()
                               .embedding_size(config.model.embedding_size)
                               .hidden_size(config.model.hidden_size)
                               .cell(config.model.cell)
                               .bidirectional(config.model.bidirectional)
                               .word_dropout(config.model.word_dropout)
                               .attention(config.model.attention)
                               .copy(config.model.attention && config.model.copy));
  model_->to(device_);
  if (!config.data.lexicon.empty()) {
    try {
      lexicon_ = Lexicon::fromWordList(config.data.lexicon);
    } catch (const InputError& e) {
      throw InputError(std::string("data.lexicon: ") + e.what());
    }
    // Words the model trained to write stay writable (names, rare words the list lacks).
    for (const auto& pair : train_) lexicon_->add(pair.target);
  }
}

std::vector<std::string> SpellingExperiment::scoreNames() const {
  return experimentEntry(ExperimentKind::Spelling).score_names;
}

double SpellingExperiment::selectionScore(const Evaluation& evaluation) const {
  return evaluation.scores.at(config_.evaluation.best_by == "accuracy" ? "accuracy" : "bleu");
}

int64_t SpellingExperiment::batchesPerEpoch() const {
  const int64_t n = static_cast<int64_t>(train_.size());
  return batchCount(n, config_.train.batch_size);
}

void SpellingExperiment::startEpoch(std::mt19937_64& rng) {
  // Shuffle from one fixed order, so an epoch's order depends on `rng` alone and a resumed run
  // (a fresh process) draws exactly the order the uninterrupted run drew.
  std::sort(train_.begin(), train_.end(), [](const SpellingPair& a, const SpellingPair& b) {
    return a.target != b.target ? a.target < b.target : a.input < b.input;
  });
  std::shuffle(train_.begin(), train_.end(), rng);
  batch_order_ = sortIntoLengthBuckets(
      train_, static_cast<size_t>(config_.train.batch_size),
      [](const SpellingPair& p) { return std::max(p.input.size(), p.target.size()); }, rng);
}

StepLoss SpellingExperiment::trainStep(int64_t batch_index, const StepSchedule& schedule,
                                       std::mt19937_64& /*rng*/) {
  const int64_t batch_number = batch_order_.empty() ? batch_index : batch_order_[batch_index];
  const size_t begin = static_cast<size_t>(batch_number * config_.train.batch_size);
  const size_t end = std::min(train_.size(), begin + config_.train.batch_size);
  std::vector<std::string> inputs, targets;
  for (size_t i = begin; i < end; ++i) {
    inputs.push_back(train_[i].input);
    targets.push_back(train_[i].target);
  }
  const auto source = WordBatch::fromWords(inputs, device_);
  const auto target = WordBatch::fromWords(targets, device_);
  const auto teacher_forced = torch::rand({source.size()}) < schedule.teacher_forcing;
  const auto reconstruction =
      sequenceCrossEntropy(model_->forwardTraining(source, target, teacher_forced), target);

  StepLoss loss;
  loss.total = reconstruction;  // no latent, so no KL term: beta has nothing to weigh
  loss.reconstruction = reconstruction.item<double>();
  loss.items = source.size();
  return loss;
}

std::vector<std::string> SpellingExperiment::correct(const std::vector<std::string>& words) {
  torch::NoGradGuard no_grad;
  model_->eval();
  std::vector<std::string> out;
  // Chunks bound the memory of a long list; the result does not depend on the chunk size
  // because packing keeps each word's encoding independent of its neighbours.
  const size_t chunk = 512;
  for (size_t begin = 0; begin < words.size(); begin += chunk) {
    const std::vector<std::string> part(
        words.begin() + static_cast<std::ptrdiff_t>(begin),
        words.begin() + static_cast<std::ptrdiff_t>(std::min(words.size(), begin + chunk)));
    const auto corrected =
        model_->correct(WordBatch::fromWords(part, device_), config_.model.max_length,
                        lexicon_ ? &*lexicon_ : nullptr);
    out.insert(out.end(), corrected.begin(), corrected.end());
  }
  return out;
}

std::string SpellingExperiment::convert(const std::string& word, const std::string& /*from*/,
                                        const std::string& /*to*/) {
  checkProbeWord(word, config_.model.max_length);
  return correct({word}).front();
}

WordConverter::Scored SpellingExperiment::convertScored(const std::string& word,
                                                        const std::string& /*from*/,
                                                        const std::string& /*to*/) {
  checkProbeWord(word, config_.model.max_length);
  torch::NoGradGuard no_grad;
  model_->eval();
  const auto source = WordBatch::fromWords({word}, device_);
  Scored scored;
  scored.output = correct({word}).front();
  const auto written = decodedWordBatch({scored.output}, device_);
  const auto logits = model_->forwardTraining(source, written, torch::ones({1}, torch::kBool));
  scored.probabilities = targetProbabilities(logits, written).front();
  return scored;
}

Evaluation SpellingExperiment::evaluate() {
  std::vector<std::string> inputs;
  for (const auto& p : test_) inputs.push_back(p.input);
  const auto predictions = correct(inputs);

  PreviewTable corrections;
  corrections.title = "Spelling corrections";
  corrections.columns = {"input", "target", "prediction", "BLEU-4"};
  double bleu_sum = 0;
  int exact = 0;
  for (size_t i = 0; i < test_.size(); ++i) {
    const double bleu = bleu4(predictions[i], test_[i].target);
    const bool ok = predictions[i] == test_[i].target;
    bleu_sum += bleu;
    exact += ok ? 1 : 0;
    if (static_cast<int>(i) < config_.evaluation.preview_count || !ok) {
      corrections.rows.push_back(
          {test_[i].input, test_[i].target, predictions[i], formatFixed(bleu, 3)});
      corrections.row_ok.push_back(ok);
    }
  }
  Evaluation result;
  const double n = static_cast<double>(test_.size());
  result.scores["bleu"] = bleu_sum / n;
  result.scores["accuracy"] = exact / n;
  result.previews = {corrections};
  result.items = static_cast<int64_t>(test_.size());
  result.notes.push_back("BLEU-4 and exact-match accuracy over " + std::to_string(test_.size()) +
                         " test pairs, greedy decoding" +
                         (lexicon_
                              ? " of words of the lexicon (" + std::to_string(lexicon_->size()) +
                                    " words: data.lexicon and the training targets)"
                              : std::string()));
  return result;
}

std::vector<ProbeWord> SpellingExperiment::testProbes() const {
  std::vector<ProbeWord> out;
  for (const auto& p : test_) out.push_back({p.input, "", "", p.target});
  return out;
}

}  // namespace cvae
