#include "core/config/ConfigSchema.h"

#include "core/config/ExperimentFacts.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <sstream>

namespace cvae {
namespace {

using K = ExperimentKind;
constexpr double kHuge = 1e12;

template <typename Section, typename Member>
FieldSpec numberField(std::string key, FieldType type, Section ExperimentConfig::*section,
                      Member Section::*member, double min, double max, std::string help,
                      std::vector<K> kinds = {}) {
  FieldSpec spec;
  spec.key = std::move(key);
  spec.type = type;
  spec.min = min;
  spec.max = max;
  spec.help = std::move(help);
  spec.kinds = std::move(kinds);
  spec.set = [section, member, type](ExperimentConfig& c, const FieldValue& v) {
    if (type == FieldType::Integer)
      (c.*section).*member = static_cast<Member>(std::get<std::int64_t>(v));
    else
      (c.*section).*member = static_cast<Member>(std::get<double>(v));
  };
  spec.get = [section, member, type](const ExperimentConfig& c) -> FieldValue {
    if (type == FieldType::Integer) return static_cast<std::int64_t>((c.*section).*member);
    return static_cast<double>((c.*section).*member);
  };
  return spec;
}

template <typename Section>
FieldSpec intField(std::string key, Section ExperimentConfig::*section, int Section::*member,
                   double min, double max, std::string help, std::vector<K> kinds = {}) {
  return numberField(std::move(key), FieldType::Integer, section, member, min, max, std::move(help),
                     std::move(kinds));
}

template <typename Section>
FieldSpec realField(std::string key, Section ExperimentConfig::*section, double Section::*member,
                    double min, double max, std::string help, std::vector<K> kinds = {}) {
  return numberField(std::move(key), FieldType::Real, section, member, min, max, std::move(help),
                     std::move(kinds));
}

template <typename Section>
FieldSpec textField(std::string key, Section ExperimentConfig::*section,
                    std::string Section::*member, std::vector<std::string> choices,
                    std::string help, std::vector<K> kinds = {}) {
  FieldSpec spec;
  spec.key = std::move(key);
  spec.type = choices.empty() ? FieldType::Text : FieldType::Choice;
  spec.choices = std::move(choices);
  spec.help = std::move(help);
  spec.kinds = std::move(kinds);
  spec.set = [section, member](ExperimentConfig& c, const FieldValue& v) {
    (c.*section).*member = std::get<std::string>(v);
  };
  spec.get = [section, member](const ExperimentConfig& c) -> FieldValue {
    return (c.*section).*member;
  };
  return spec;
}

template <typename Section>
FieldSpec flagField(std::string key, Section ExperimentConfig::*section, bool Section::*member,
                    std::string help, std::vector<K> kinds = {}) {
  FieldSpec spec;
  spec.key = std::move(key);
  spec.type = FieldType::Flag;
  spec.help = std::move(help);
  spec.kinds = std::move(kinds);
  spec.set = [section, member](ExperimentConfig& c, const FieldValue& v) {
    (c.*section).*member = std::get<bool>(v);
  };
  spec.get = [section, member](const ExperimentConfig& c) -> FieldValue {
    return (c.*section).*member;
  };
  return spec;
}

// A choice stored as an enum: names[i] is the text of enum value i.
template <typename Enum, typename Section>
FieldSpec enumField(std::string key, Section ExperimentConfig::*section, Enum Section::*member,
                    std::vector<std::string> names, std::string help, std::vector<K> kinds = {}) {
  FieldSpec spec;
  spec.key = std::move(key);
  spec.type = FieldType::Choice;
  spec.choices = names;
  spec.help = std::move(help);
  spec.kinds = std::move(kinds);
  spec.set = [section, member, names](ExperimentConfig& c, const FieldValue& v) {
    const auto& text = std::get<std::string>(v);
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == text) (c.*section).*member = static_cast<Enum>(i);
  };
  spec.get = [section, member, names](const ExperimentConfig& c) -> FieldValue {
    return names.at(static_cast<size_t>((c.*section).*member));
  };
  return spec;
}

std::vector<FieldSpec> buildSchema() {
  using C = ExperimentConfig;
  std::vector<FieldSpec> s;

  FieldSpec kind;
  kind.key = "experiment";
  kind.type = FieldType::Choice;
  kind.choices = {"tense", "spelling", "video"};
  kind.help = "Which experiment this config describes.";
  kind.set = [](C& c, const FieldValue& v) {
    if (auto k = parseExperimentKind(std::get<std::string>(v))) c.kind = *k;
  };
  kind.get = [](const C& c) -> FieldValue { return toString(c.kind); };
  s.push_back(kind);

  FieldSpec name;
  name.key = "name";
  name.type = FieldType::Text;
  name.help = "Run name; the run directory is OUTPUT_DIR/NAME-TIMESTAMP.";
  name.set = [](C& c, const FieldValue& v) { c.name = std::get<std::string>(v); };
  name.get = [](const C& c) -> FieldValue { return c.name; };
  s.push_back(name);

  s.push_back(
      textField("data.train", &C::data, &DataConfig::train, {},
                "Training file (video: the train split folder); empty uses the embedded default."));
  s.push_back(
      textField("data.test", &C::data, &DataConfig::test, {},
                "Test file (video: the split folder scored); empty uses the embedded default."));
  s.push_back(textField("data.lexicon", &C::data, &DataConfig::lexicon, {},
                        "Word list, one word per line (e.g. /usr/share/dict/american-english): "
                        "corrections are then words of it or of the training targets. Empty: "
                        "any letters.",
                        {K::Spelling}));
  s.push_back(textField("data.common_words", &C::data, &DataConfig::common_words, {},
                        "With lexicon_search nearest: a list of common words (e.g. "
                        "/usr/share/dict/american-english-small); candidates outside it cost "
                        "model.rare_word_cost nats. Empty: none.",
                        {K::Spelling}));

  s.push_back(textField("model.cell", &C::model, &ModelConfig::cell, {"lstm", "gru"},
                        "Recurrent cell of encoder and decoder.", {K::Tense, K::Spelling}));
  s.push_back(intField("model.embedding_size", &C::model, &ModelConfig::embedding_size, 1, 4096,
                       "Character embedding width.", {K::Tense, K::Spelling}));
  s.push_back(intField("model.hidden_size", &C::model, &ModelConfig::hidden_size, 1, 8192,
                       "Recurrent hidden state width."));
  s.push_back(intField("model.latent_size", &C::model, &ModelConfig::latent_size, 1, 4096,
                       "Latent vector width.", {K::Tense, K::Video}));
  s.push_back(intField("model.condition_size", &C::model, &ModelConfig::condition_size, 1, 1024,
                       "Tense embedding width, fed into the initial hidden states.", {K::Tense}));
  s.push_back(intField("model.max_length", &C::model, &ModelConfig::max_length, 2, 1024,
                       "Longest word decoded before giving up on EOS.", {K::Tense, K::Spelling}));
  s.push_back(intField(
      "model.encoder_hidden_size", &C::model, &ModelConfig::encoder_hidden_size, 0, 8192,
      "The encoder's hidden state width per direction; 0: model.hidden_size.", {K::Tense}));
  s.push_back(flagField("model.bidirectional", &C::model, &ModelConfig::bidirectional,
                        "Bidirectional encoder.", {K::Tense, K::Spelling}));
  s.push_back(realField("model.word_dropout", &C::model, &ModelConfig::word_dropout, 0, 1,
                        "Probability of hiding a decoder input character.",
                        {K::Tense, K::Spelling}));
  s.push_back(realField("model.dropout", &C::model, &ModelConfig::dropout, 0, 0.9,
                        "Training: dropout on the letters' states the decoder attends over and "
                        "on the state its output layer reads.",
                        {K::Tense}));
  s.push_back(flagField("model.attention", &C::model, &ModelConfig::attention,
                        "The decoder attends over the input word's letters (tense: when "
                        "converting; generation from the prior runs without it).",
                        {K::Tense, K::Spelling}));
  s.push_back(flagField("model.copy", &C::model, &ModelConfig::copy,
                        "With attention: the decoder may copy the letter it attends to "
                        "(pointer-generator) instead of writing it from its vocabulary.",
                        {K::Tense, K::Spelling}));
  s.push_back(textField("model.lexicon_search", &C::model, &ModelConfig::lexicon_search,
                        {"greedy", "nearest"},
                        "With data.lexicon: greedy writes the likeliest letter some word "
                        "continues with; nearest ranks the words within lexicon_edits edits of "
                        "the input by the model's log-likelihood.",
                        {K::Spelling}));
  s.push_back(intField("model.lexicon_edits", &C::model, &ModelConfig::lexicon_edits, 0, 4,
                       "With lexicon_search nearest: how many edits (letter inserted, deleted, "
                       "replaced, or two swapped) a candidate may be from the input.",
                       {K::Spelling}));
  s.push_back(realField("model.lexicon_edit_cost", &C::model, &ModelConfig::lexicon_edit_cost, 0,
                        100,
                        "With lexicon_search nearest: nats taken off a candidate's "
                        "log-likelihood per edit, a prior for nearer words.",
                        {K::Spelling}));
  s.push_back(textField("model.lexicon_channel", &C::model, &ModelConfig::lexicon_channel,
                        {"uniform", "learned"},
                        "With lexicon_search nearest: uniform counts every edit as one; learned "
                        "weighs each by how often the training pairs make it (1 = the average "
                        "edit).",
                        {K::Spelling}));
  s.push_back(realField("model.lexicon_trust", &C::model, &ModelConfig::lexicon_trust, 0, 1,
                        "With lexicon_search nearest: the model's free answer stands, however "
                        "far, when it is a word of the lexicon and its probability is above "
                        "this (1 = never).",
                        {K::Spelling}));
  s.push_back(realField("model.rare_word_cost", &C::model, &ModelConfig::rare_word_cost, 0, 100,
                        "With lexicon_search nearest and data.common_words: nats taken off a "
                        "candidate that is not a common word.",
                        {K::Spelling}));
  s.push_back(realField("model.attention_drop", &C::model, &ModelConfig::attention_drop, 0, 1,
                        "Training: share of words decoded without the attention path, from z "
                        "alone.",
                        {K::Tense}));
  s.push_back(realField("model.latent_drop", &C::model, &ModelConfig::latent_drop, 0, 1,
                        "Training, with attention: share of the words read through the path that "
                        "are decoded with z drawn from the prior, so the letters, not z, decide "
                        "the verb.",
                        {K::Tense}));

  s.push_back(textField("video.encoder", &C::video, &VideoConfig::encoder, {"dcgan", "vgg"},
                        "Frame encoder/decoder: DCGAN-64 or VGG-64, with skips.", {K::Video}));
  s.push_back(realField("video.width", &C::video, &VideoConfig::width, 0.01, 4,
                        "Scales every channel count (1 = the paper's 64..512).", {K::Video}));
  s.push_back(intField("video.frame_dim", &C::video, &VideoConfig::frame_dim, 1, 4096,
                       "Length of an encoded frame vector.", {K::Video}));
  s.push_back(flagField("video.composite", &C::video, &VideoConfig::composite,
                        "Composite the decoded frame over the last given one with a learned "
                        "mask (Finn et al. 2016).",
                        {K::Video}));
  s.push_back(flagField("video.spatial_condition", &C::video, &VideoConfig::spatial_condition,
                        "Give the decoder each frame's condition as maps beside coordinate maps "
                        "(CoordConv).",
                        {K::Video}));
  s.push_back(flagField("video.position_maps", &C::video, &VideoConfig::position_maps,
                        "With spatial_condition: also give the decoder a blob and offset maps "
                        "around the end effector's position, projected by a learned map.",
                        {K::Video}));
  s.push_back(intField("video.predictor_layers", &C::video, &VideoConfig::predictor_layers, 1, 16,
                       "LSTM layers of the frame predictor.", {K::Video}));
  s.push_back(intField("video.posterior_layers", &C::video, &VideoConfig::posterior_layers, 1, 16,
                       "LSTM layers of the posterior q(z_t | x_1..t).", {K::Video}));
  s.push_back(intField("video.prior_layers", &C::video, &VideoConfig::prior_layers, 1, 16,
                       "LSTM layers of the learned prior p(z_t | x_1..t-1).", {K::Video}));
  s.push_back(intField("video.past_frames", &C::video, &VideoConfig::past_frames, 1, 29,
                       "Conditioning frames.", {K::Video}));
  s.push_back(intField("video.future_frames", &C::video, &VideoConfig::future_frames, 1, 29,
                       "Frames predicted in training.", {K::Video}));
  s.push_back(intField("video.eval_future_frames", &C::video, &VideoConfig::eval_future_frames, 1,
                       29, "Frames predicted at evaluation.", {K::Video}));
  s.push_back(intField("video.eval_sequences", &C::video, &VideoConfig::eval_sequences, 1, 1000000,
                       "Sequences of the evaluation folder scored at each evaluation.",
                       {K::Video}));
  s.push_back(intField("video.prior_samples", &C::video, &VideoConfig::prior_samples, 1, 64,
                       "Samples from the learned prior shown in the preview.", {K::Video}));
  s.push_back(intField("video.eval_samples", &C::video, &VideoConfig::eval_samples, 1, 100,
                       "Samples from the learned prior scored per sequence at evaluation: PSNR "
                       "and SSIM average them, psnr_best/ssim_best take each sequence's best.",
                       {K::Video}));

  s.push_back(textField("optimizer.name", &C::optimizer, &OptimizerConfig::name,
                        {"adam", "adamw", "sgd"}, "Optimizer."));
  s.push_back(realField("optimizer.learning_rate", &C::optimizer, &OptimizerConfig::learning_rate,
                        1e-12, 10, "Initial learning rate."));
  s.push_back(realField("optimizer.weight_decay", &C::optimizer, &OptimizerConfig::weight_decay, 0,
                        1, "L2 weight decay."));
  s.push_back(realField("optimizer.momentum", &C::optimizer, &OptimizerConfig::momentum, 0, 1,
                        "SGD momentum."));
  s.push_back(realField("optimizer.grad_clip", &C::optimizer, &OptimizerConfig::grad_clip, 0, 1e6,
                        "Clip the global gradient L2 norm to this; 0 disables."));
  s.push_back(textField("optimizer.lr_schedule", &C::optimizer, &OptimizerConfig::lr_schedule,
                        {"constant", "step", "cosine"}, "Learning-rate schedule over epochs."));
  s.push_back(intField("optimizer.lr_step_epochs", &C::optimizer, &OptimizerConfig::lr_step_epochs,
                       1, kHuge, "step: multiply the rate by lr_gamma every this many epochs."));
  s.push_back(realField("optimizer.lr_gamma", &C::optimizer, &OptimizerConfig::lr_gamma, 1e-6, 1,
                        "step: the factor."));
  s.push_back(
      realField("optimizer.lr_min", &C::optimizer, &OptimizerConfig::lr_min, 0, 10,
                "cosine: the rate reached at the last epoch (from learning_rate at the first; "
                "a one-epoch run trains at learning_rate)."));

  s.push_back(intField("train.epochs", &C::train, &TrainConfig::epochs, 1, 1000000,
                       "Number of passes over the training set."));
  s.push_back(intField("train.batch_size", &C::train, &TrainConfig::batch_size, 1, 65536,
                       "Examples per optimizer step."));
  FieldSpec seed;
  seed.key = "train.seed";
  seed.type = FieldType::Integer;
  seed.min = 0;
  seed.max = 9007199254740992.0;  // 2^53: every integer below is exact in a double
  seed.help = "Seed of every random draw; equal seeds give equal runs.";
  seed.set = [](C& c, const FieldValue& v) {
    c.train.seed = static_cast<std::uint64_t>(std::get<std::int64_t>(v));
  };
  seed.get = [](const C& c) -> FieldValue { return static_cast<std::int64_t>(c.train.seed); };
  s.push_back(seed);
  s.push_back(textField("train.device", &C::train, &TrainConfig::device, {"auto", "cpu", "cuda"},
                        "Where to train; auto picks CUDA when available."));
  s.push_back(intField(
      "train.threads", &C::train, &TrainConfig::threads, 0, 1024,
      "Torch intra-op threads; 0 picks the measured best (1, with OpenBLAS on every core)."));
  s.push_back(intField("train.checkpoint_every_epochs", &C::train,
                       &TrainConfig::checkpoint_every_epochs, 1, 1000000,
                       "Write last.pt (what resume continues from) every this many epochs; also "
                       "at every evaluation and when the run stops."));

  s.push_back(enumField("kl_annealing.policy", &C::kl, &KlAnnealingConfig::policy,
                        {"monotonic", "cyclical", "constant", "none"},
                        "How the KL weight beta changes over the run.", {K::Tense, K::Video}));
  s.push_back(realField("kl_annealing.max_beta", &C::kl, &KlAnnealingConfig::max_beta, 0, 1000,
                        "Largest beta.", {K::Tense, K::Video}));
  s.push_back(intField("kl_annealing.cycles", &C::kl, &KlAnnealingConfig::cycles, 1, 1000000,
                       "cyclical: number of cycles over the run.", {K::Tense, K::Video}));
  s.push_back(realField("kl_annealing.ratio", &C::kl, &KlAnnealingConfig::ratio, 0, 1,
                        "Share of each cycle (monotonic: of the run) spent rising to max_beta.",
                        {K::Tense, K::Video}));
  s.push_back(realField("kl_annealing.free_bits", &C::kl, &KlAnnealingConfig::free_bits, 0, 100,
                        "Nats per latent dimension of KL that cost nothing (0: plain ELBO).",
                        {K::Tense, K::Video}));
  s.push_back(enumField("kl_annealing.unit", &C::kl, &KlAnnealingConfig::unit,
                        {"iteration", "epoch"}, "Whether beta changes every step or every epoch.",
                        {K::Tense, K::Video}));

  s.push_back(realField("teacher_forcing.initial", &C::teacher_forcing,
                        &TeacherForcingConfig::initial, 0, 1, "Ratio at the first epoch."));
  s.push_back(intField("teacher_forcing.start_epoch", &C::teacher_forcing,
                       &TeacherForcingConfig::start_epoch, 0, 1000000,
                       "Last epoch at the initial ratio (epochs count from 0)."));
  s.push_back(realField("teacher_forcing.decay", &C::teacher_forcing, &TeacherForcingConfig::decay,
                        0, 1, "Decrease per epoch after that."));
  s.push_back(realField("teacher_forcing.floor", &C::teacher_forcing, &TeacherForcingConfig::floor,
                        0, 1, "The ratio never goes below this."));

  s.push_back(intField("evaluation.every_epochs", &C::evaluation, &EvaluationConfig::every_epochs,
                       1, 1000000, "Evaluate every this many epochs (and after the last)."));
  s.push_back(
      textField("evaluation.best_by", &C::evaluation, &EvaluationConfig::best_by,
                {"bleu", "gaussian", "sum", "accuracy", "psnr", "ssim", "psnr_best", "ssim_best"},
                "Score that picks the best checkpoint: tense bleu, gaussian or sum (of "
                "both); spelling bleu or accuracy; video psnr or ssim (the mean of its "
                "prior samples) or psnr_best or ssim_best (the best of them)."));
  s.push_back(intField("evaluation.gaussian_samples", &C::evaluation,
                       &EvaluationConfig::gaussian_samples, 1, 1000000,
                       "Latent samples drawn for the Gaussian score.", {K::Tense}));
  s.push_back(intField("evaluation.gaussian_seeds", &C::evaluation,
                       &EvaluationConfig::gaussian_seeds, 1, 1000,
                       "Sampling seeds: the Gaussian score is the mean of this many samples "
                       "(their spread is shown), so the best checkpoint is not a lucky draw.",
                       {K::Tense}));
  s.push_back(intField("evaluation.preview_count", &C::evaluation, &EvaluationConfig::preview_count,
                       0, 1000, "Examples kept as preview at each evaluation."));

  s.push_back(textField("output.dir", &C::output, &OutputConfig::dir, {},
                        "Folder under which each run gets its own directory."));
  return s;
}

}  // namespace

bool FieldSpec::appliesTo(ExperimentKind kind) const {
  if (kinds.empty()) return true;
  for (auto k : kinds)
    if (k == kind) return true;
  return false;
}

std::string FieldSpec::describeExpected() const {
  std::ostringstream out;
  auto bound = [](double v) {
    std::ostringstream b;
    b << std::setprecision(15) << v;
    return b.str();
  };
  switch (type) {
    case FieldType::Flag:
      return "true or false";
    case FieldType::Integer:
      // Integer bounds are whole numbers: printed as such (2^53, not 9.00719925474099e+15).
      out << "an integer in [" << static_cast<std::int64_t>(min) << ", "
          << static_cast<std::int64_t>(max) << "]";
      return out.str();
    case FieldType::Real:
      out << "a number in [" << bound(min) << ", " << bound(max) << "]";
      return out.str();
    case FieldType::Text:
      return "a string";
    case FieldType::Choice:
      out << "one of";
      for (size_t i = 0; i < choices.size(); ++i) out << (i ? ", " : " ") << choices[i];
      return out.str();
  }
  return "";
}

const std::vector<FieldSpec>& configSchema() {
  static const std::vector<FieldSpec> schema = buildSchema();
  return schema;
}

const FieldSpec* findField(const std::string& key) {
  for (const auto& spec : configSchema())
    if (spec.key == key) return &spec;
  return nullptr;
}

FieldValue effectiveFieldValue(const FieldSpec& spec, const ExperimentConfig& config) {
  if (spec.key == "model.encoder_hidden_size" && config.model.encoder_hidden_size == 0)
    return FieldValue(static_cast<std::int64_t>(config.model.hidden_size));
  return spec.get(config);
}

std::optional<bool> parseFlag(const std::string& written) {
  const std::string text = trimSpaces(written);
  // YAML 1.1's spellings in their three cases (what yaml-cpp reads as a bool), and 1 and 0 as
  // typed on a command line or in a sweep's value list.
  static const std::vector<std::string> yes = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                               "y",    "Y",    "on",   "On",  "ON",  "1"};
  static const std::vector<std::string> no = {"false", "False", "FALSE", "no",  "No",  "NO",
                                              "n",     "N",     "off",   "Off", "OFF", "0"};
  if (std::find(yes.begin(), yes.end(), text) != yes.end()) return true;
  if (std::find(no.begin(), no.end(), text) != no.end()) return false;
  return std::nullopt;
}

std::vector<std::string> fieldChoices(const FieldSpec& spec, ExperimentKind kind) {
  if (spec.key == "evaluation.best_by") return experimentFacts(kind).selection_scores;
  return spec.choices;
}

std::optional<FieldValue> parseFieldValue(const FieldSpec& spec, const std::string& raw,
                                          std::string& problem) {
  // Spaces around a number, flag or choice mean nothing ("--set model.attention= true"); a
  // string (a name, a path) keeps what it was given.
  const std::string text = spec.type == FieldType::Text ? raw : trimSpaces(raw);
  auto fail = [&]() -> std::optional<FieldValue> {
    problem = "expected " + spec.describeExpected() + ", got '" + text + "'";
    return std::nullopt;
  };
  switch (spec.type) {
    case FieldType::Flag: {
      const auto flag = parseFlag(text);
      return flag ? std::optional<FieldValue>(FieldValue(*flag)) : fail();
    }
    case FieldType::Integer: {
      std::int64_t value = 0;
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, value);
      if (text.empty() || ec != std::errc() || ptr != end) return fail();
      // Compared as integers: as doubles, 2^53 + 1 rounds to the bound 2^53 and passes.
      if (value < static_cast<std::int64_t>(spec.min) ||
          value > static_cast<std::int64_t>(spec.max))
        return fail();
      return FieldValue(value);
    }
    case FieldType::Real: {
      const auto value = parseDouble(text);
      if (!value || !std::isfinite(*value)) return fail();
      if (*value < spec.min || *value > spec.max) return fail();
      return FieldValue(*value);
    }
    case FieldType::Text:
      return FieldValue(text);
    case FieldType::Choice:
      for (const auto& c : spec.choices)
        if (c == text) return FieldValue(text);
      return fail();
  }
  return fail();
}

bool isPathKey(const std::string& key) {
  return key == "data.train" || key == "data.test" || key == "data.lexicon" ||
         key == "data.common_words";
}

namespace {

// When a key has an effect: the test and its wording, kept together so the GUI's greyed fields,
// the sweep's idle members and the CLI's remark cannot disagree.
struct UseCondition {
  std::vector<std::string> keys;
  bool (*holds)(const ExperimentConfig&);
  const char* when;
};

bool betaRises(const ExperimentConfig& c) {
  return c.kl.policy == KlPolicy::Cyclical || c.kl.policy == KlPolicy::Monotonic;
}
bool nearestSearch(const ExperimentConfig& c) {
  return !c.data.lexicon.empty() && c.model.lexicon_search == "nearest";
}

const std::vector<UseCondition>& useConditions() {
  static const std::vector<UseCondition> conditions = {
      {{"kl_annealing.cycles"},
       [](const ExperimentConfig& c) { return c.kl.policy == KlPolicy::Cyclical; },
       "kl_annealing.policy is cyclical"},
      {{"kl_annealing.ratio", "kl_annealing.unit"},
       betaRises,
       "kl_annealing.policy is monotonic or cyclical"},
      {{"kl_annealing.max_beta", "kl_annealing.free_bits"},
       [](const ExperimentConfig& c) { return c.kl.policy != KlPolicy::None; },
       "kl_annealing.policy is not none"},
      {{"optimizer.momentum"},
       [](const ExperimentConfig& c) { return c.optimizer.name == "sgd"; },
       "optimizer.name is sgd"},
      // The video previews are the frame browser's sequences (video.eval_sequences), not rows.
      {{"evaluation.preview_count"},
       [](const ExperimentConfig& c) { return c.kind != ExperimentKind::Video; },
       "the experiment is tense or spelling"},
      // The blob and offset maps are drawn into the spatial condition maps.
      {{"video.position_maps"},
       [](const ExperimentConfig& c) { return c.video.spatial_condition; },
       "video.spatial_condition is true"},
      // A run no longer than one step's epochs never multiplies its rate.
      {{"optimizer.lr_step_epochs", "optimizer.lr_gamma"},
       [](const ExperimentConfig& c) {
         return c.optimizer.lr_schedule == "step" && c.train.epochs > c.optimizer.lr_step_epochs;
       },
       "optimizer.lr_schedule is step and train.epochs is above optimizer.lr_step_epochs"},
      // One epoch trains at learning_rate: there is no last epoch to decay to.
      {{"optimizer.lr_min"},
       [](const ExperimentConfig& c) {
         return c.optimizer.lr_schedule == "cosine" && c.train.epochs > 1;
       },
       "optimizer.lr_schedule is cosine and train.epochs is above 1"},
      {{"teacher_forcing.start_epoch", "teacher_forcing.floor"},
       [](const ExperimentConfig& c) { return c.teacher_forcing.decay > 0; },
       "teacher_forcing.decay is above 0"},
      {{"model.attention_drop", "model.latent_drop", "model.copy"},
       [](const ExperimentConfig& c) { return c.model.attention; },
       "model.attention is true"},
      {{"model.lexicon_search"},
       [](const ExperimentConfig& c) { return !c.data.lexicon.empty(); },
       "data.lexicon is set"},
      {{"model.lexicon_edits", "model.lexicon_edit_cost", "model.lexicon_trust",
        "model.lexicon_channel", "data.common_words"},
       nearestSearch,
       "data.lexicon is set and model.lexicon_search is nearest"},
      {{"model.rare_word_cost"},
       [](const ExperimentConfig& c) { return nearestSearch(c) && !c.data.common_words.empty(); },
       "data.lexicon and data.common_words are set and model.lexicon_search is nearest"},
  };
  return conditions;
}

const UseCondition* useConditionOf(const std::string& key) {
  for (const auto& condition : useConditions())
    if (std::find(condition.keys.begin(), condition.keys.end(), key) != condition.keys.end())
      return &condition;
  return nullptr;
}

}  // namespace

bool fieldInUse(const std::string& key, const ExperimentConfig& c) {
  const UseCondition* condition = useConditionOf(key);
  return !condition || condition->holds(c);
}

bool readOnlyInTraining(const std::string& key, ExperimentKind kind) {
  // Dropouts act only in training steps; best_by and the cadence pick checkpoints as they are
  // written. The seed seeds training, and an evaluation's draws where it makes any (the
  // Gaussian score's, the video prior's; the spelling corrector decodes greedily).
  if (key == "train.seed") return kind == ExperimentKind::Spelling;
  return key == "name" || key == "train.epochs" || key == "train.checkpoint_every_epochs" ||
         key == "train.batch_size" || key == "model.dropout" || key == "model.word_dropout" ||
         key == "model.attention_drop" || key == "model.latent_drop" ||
         key == "evaluation.best_by" || key == "evaluation.every_epochs" ||
         key.rfind("kl_annealing.", 0) == 0 || key.rfind("teacher_forcing.", 0) == 0 ||
         key.rfind("optimizer.", 0) == 0 || key.rfind("output.", 0) == 0;
}

bool readOnlyInEvaluation(const std::string& key) {
  // train.seed seeds an evaluation's draws; generate and probe take --seed instead. (Not
  // video.eval_future_frames: a probe of a sequence predicts that many frames.)
  return key == "evaluation.gaussian_samples" || key == "evaluation.gaussian_seeds" ||
         key == "evaluation.preview_count" || key == "video.eval_sequences" ||
         key == "video.eval_samples" || key == "video.prior_samples" || key == "train.seed";
}

std::string fieldUseCondition(const std::string& key) {
  const UseCondition* condition = useConditionOf(key);
  return condition ? condition->when : "";
}

std::vector<ConfigChange> configDifferences(const ExperimentConfig& a, const ExperimentConfig& b) {
  std::vector<ConfigChange> changes;
  for (const auto& spec : configSchema()) {
    if (!spec.appliesTo(b.kind)) continue;
    const FieldValue va = spec.get(a), vb = spec.get(b);
    if (va != vb) changes.push_back({spec.key, formatFieldValue(va), formatFieldValue(vb)});
  }
  return changes;
}

std::string formatFieldValue(const FieldValue& value) {
  struct Formatter {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      // Shortest text that reads back to the same double, so saving round-trips exactly.
      std::string s = formatShortest(d);
      if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
      return s;
    }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Formatter{}, value);
}

}  // namespace cvae
