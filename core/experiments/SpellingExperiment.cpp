#include "core/experiments/SpellingExperiment.h"

#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/config/ConfigError.h"
#include "core/config/ConfigSchema.h"
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
  const auto letters = static_cast<size_t>(config.model.max_length);
  train_ = readTrainData([&] {
    const auto entries = readSpellingFile(config.data.train);
    checkForTraining("data.train",
                     [&] { checkSpellingWordLengths(entries, letters, config.data.train); });
    return spellingPairs(entries);
  });
  // A test word longer than the model reads or writes is refused wherever the test set is
  // (training, evaluate, the test probes), as the probes refuse one.
  readTestData([&] {
    const auto entries = readSpellingFile(config.data.test);
    checkSpellingWordLengths(entries, letters, config.data.test);
    test_ = spellingPairs(entries);
  });
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
  // The channel and the common words act only in the nearest search: an idle key's file is not
  // opened (a stale path there must not stop a run that never reads it).
  if (fieldInUse("model.lexicon_channel", config) && config.model.lexicon_channel == "learned") {
    std::vector<std::pair<std::string, std::string>> intended_typed;
    for (const auto& pair : train_) intended_typed.emplace_back(pair.target, pair.input);
    channel_ = EditChannel::fromPairs(intended_typed);
  }
  if (fieldInUse("data.common_words", config) && !config.data.common_words.empty()) {
    try {
      common_words_ = Lexicon::fromWordList(config.data.common_words);
    } catch (const InputError& e) {
      throw InputError(std::string("data.common_words: ") + e.what());
    }
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
  if (lexicon_ && config_.model.lexicon_search == "nearest") return correctNearest(words);
  return correctGreedy(words, lexicon_ ? &*lexicon_ : nullptr);
}

std::vector<std::string> SpellingExperiment::correctGreedy(const std::vector<std::string>& words,
                                                           const Lexicon* lexicon) {
  std::vector<std::string> out;
  // Chunks bound the memory of a long list; the result does not depend on the chunk size
  // because packing keeps each word's encoding independent of its neighbours.
  const size_t chunk = 512;
  for (size_t begin = 0; begin < words.size(); begin += chunk) {
    const std::vector<std::string> part(
        words.begin() + static_cast<std::ptrdiff_t>(begin),
        words.begin() + static_cast<std::ptrdiff_t>(std::min(words.size(), begin + chunk)));
    const auto corrected =
        model_->correct(WordBatch::fromWords(part, device_), config_.model.max_length, lexicon);
    out.insert(out.end(), corrected.begin(), corrected.end());
  }
  return out;
}

std::vector<std::string> SpellingExperiment::correctNearest(const std::vector<std::string>& words) {
  // The model's own free answer joins the candidates when it is a word of the lexicon: a word it
  // trained on that lies more edits away than lexicon_edits (`doc -> dr`) is not lost.
  const auto free_answers = correctGreedy(words, nullptr);
  std::vector<std::string> out(words.size());
  std::vector<size_t> without;  // words with no candidate at all: greedy under the lexicon
  // Words and their candidates go to the model in groups of about this many candidates: small
  // enough that the attention memory copied per candidate stays in cache (4,096 ran 5x slower).
  const size_t group = 512;
  size_t next = 0;
  while (next < words.size()) {
    std::vector<std::string> sources, candidates;
    std::vector<int64_t> source_row;
    std::vector<double> edits;            // edit counts, or the learned channel's costs
    std::vector<size_t> owner;            // index into `words` of each source
    std::vector<int64_t> free_candidate;  // per source: the free answer's index in `candidates`
    while (next < words.size() && candidates.size() < group) {
      const size_t i = next++;
      if (words[i].empty() || static_cast<int64_t>(words[i].size()) >= config_.model.max_length) {
        without.push_back(i);
        continue;
      }
      auto near = lexicon_->within(words[i], config_.model.lexicon_edits);
      near.erase(std::remove_if(near.begin(), near.end(),
                                [&](const Lexicon::Near& n) {
                                  return static_cast<int64_t>(n.word.size()) >=
                                         config_.model.max_length;
                                }),
                 near.end());
      const std::string& free = free_answers[i];
      if (lexicon_->contains(free) &&
          std::none_of(near.begin(), near.end(),
                       [&](const Lexicon::Near& n) { return n.word == free; }))
        near.push_back({free, editDistance(words[i], free)});
      if (near.empty()) {
        without.push_back(i);
        continue;
      }
      free_candidate.push_back(-1);
      for (const auto& n : near) {
        if (n.word == free) free_candidate.back() = static_cast<int64_t>(candidates.size());
        candidates.push_back(n.word);
        source_row.push_back(static_cast<int64_t>(sources.size()));
        edits.push_back(channel_ ? channel_->cost(n.word, words[i]) : n.edits);
      }
      sources.push_back(words[i]);
      owner.push_back(i);
    }
    if (candidates.empty()) continue;
    const auto scores =
        model_
            ->logLikelihood(WordBatch::fromWords(sources, device_), torch::tensor(source_row),
                            WordBatch::fromWords(candidates, device_))
            .to(torch::kCPU, torch::kDouble)
            .contiguous();
    const double* score = scores.data_ptr<double>();
    std::vector<double> best(sources.size(), -std::numeric_limits<double>::infinity());
    for (size_t k = 0; k < candidates.size(); ++k) {
      const auto row = static_cast<size_t>(source_row[k]);
      // Ties keep the earlier candidate, so the answer does not depend on the group size.
      double value = score[k] - config_.model.lexicon_edit_cost * edits[k];
      if (common_words_ && !common_words_->contains(candidates[k]))
        value -= config_.model.rare_word_cost;
      if (value > best[row]) {
        best[row] = value;
        out[owner[row]] = candidates[k];
      }
    }
    const double trust = config_.model.lexicon_trust;
    for (size_t row = 0; row < sources.size(); ++row) {
      const int64_t k = free_candidate[row];
      if (k >= 0 && trust < 1.0 && std::exp(score[k]) > trust) out[owner[row]] = candidates[k];
    }
  }
  if (!without.empty()) {
    std::vector<std::string> rest;
    for (const size_t i : without) rest.push_back(words[i]);
    const auto corrected = correctGreedy(rest, &*lexicon_);
    for (size_t k = 0; k < rest.size(); ++k) out[without[k]] = corrected[k];
  }
  return out;
}

std::string SpellingExperiment::channelNote() const {
  if (!channel_) return {};
  if (channel_->editsCounted() == 0)
    return "; model.lexicon_channel learned, but no training pair is misspelt within " +
           std::to_string(EditChannel::kCountedEdits) +
           " edits of its target, so every edit counts 1 (uniform)";
  return ", each edit weighed as " + std::to_string(channel_->pairsCounted()) +
         (channel_->pairsCounted() == 1 ? " training pair makes it" : " training pairs make it") +
         " (a word left as typed: " + formatFixed(channel_->keepCost(), 1) + " edits)";
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
  requireTestData();
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
  std::string decoding = "greedy decoding";
  if (lexicon_) {
    const std::string words =
        " (" + std::to_string(lexicon_->size()) + " words: data.lexicon and the training targets)";
    decoding = config_.model.lexicon_search == "nearest"
                   ? "the lexicon's words within " + std::to_string(config_.model.lexicon_edits) +
                         (config_.model.lexicon_edits == 1 ? " edit" : " edits") +
                         " of the input ranked by the model" + words + channelNote()
                   : "greedy decoding of words of the lexicon" + words;
  }
  result.notes.push_back("BLEU-4 and exact-match accuracy over " + std::to_string(test_.size()) +
                         " test pairs, " + decoding);
  return result;
}

std::vector<ProbeWord> SpellingExperiment::testProbes() const {
  requireTestData();
  std::vector<ProbeWord> out;
  for (const auto& p : test_) out.push_back({p.input, "", "", p.target});
  return out;
}

}  // namespace cvae
