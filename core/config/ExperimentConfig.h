#pragma once
// The complete description of one experiment run. Plain data: loading, validation and saving
// live in ConfigIo / ConfigSchema so that the struct stays trivially copyable across threads.

#include <cstdint>
#include <optional>
#include <string>

namespace cvae {

enum class ExperimentKind { Tense, Spelling, Video };
enum class KlPolicy { Monotonic, Cyclical, Constant, None };
enum class ScheduleUnit { Iteration, Epoch };

std::string toString(ExperimentKind kind);
std::optional<ExperimentKind> parseExperimentKind(const std::string& name);  // "tense", ...
std::string toString(KlPolicy policy);
std::string toString(ScheduleUnit unit);

struct DataConfig {
  // Empty means "the embedded default data set", made on first use (see EmbeddedData).
  std::string train;
  std::string test;
  // Spelling: a word list (one word per line); when set, corrections are words of it or of the
  // training targets. Empty: the decoder may write any letters.
  std::string lexicon;
  // Spelling, nearest: a list of common words (e.g. /usr/share/dict/american-english-small,
  // SCOWL's size-35 list); candidates outside it cost model.rare_word_cost nats. Misspelt words
  // are mostly common ones, and Debian's word lists carry no frequencies, only these sizes.
  std::string common_words;
};

struct ModelConfig {
  std::string cell = "lstm";  // lstm | gru
  int embedding_size = 64;
  int hidden_size = 256;
  int latent_size = 32;
  int condition_size = 8;
  int max_length = 32;  // decoding stops here if no EOS was emitted
  bool bidirectional = false;
  int encoder_hidden_size = 0;  // tense: per direction; 0 means hidden_size
  double word_dropout = 0.0;
  double dropout = 0.0;  // tense: on the attended letters' states and the output layer's input
  // The decoder attends over the encoder's character states (Luong et al. 2015), a path that
  // copies the input's letters (tense and spelling). Tense: in training each word's path is
  // closed with probability attention_drop, so the decoder also writes from z alone, as
  // generation from the prior must.
  bool attention = false;
  double attention_drop = 0.5;
  // Tense, with attention: of the words whose path is open, the share decoded with z drawn
  // from the prior instead of the posterior. The decoder learns that the letters, not z, say
  // which verb to write when it can read them, so an unseen verb's z (which lands on a look-
  // alike training verb) does not override its letters. 0 keeps older runs as they were.
  double latent_drop = 0.0;
  // With attention: the decoder may copy a letter it attends to instead of writing it from its
  // vocabulary (a pointer-generator, See et al. 2017), so letter slips in copied stems go.
  bool copy = false;
  // Spelling, with data.lexicon: how a correction is chosen from the lexicon. "greedy": letter
  // by letter, the likeliest letter some word of it continues with (fast; commits to a prefix).
  // "nearest": of the lexicon's words within lexicon_edits edits of the input, the one the
  // model gives the highest log-likelihood, less lexicon_edit_cost nats per edit (a noisy-
  // channel corrector, Kernighan et al. 1990, with the model as the scorer); greedy where no
  // word is that near.
  std::string lexicon_search = "greedy";
  int lexicon_edits = 2;
  double lexicon_edit_cost = 0.0;
  // Spelling, nearest: what an edit counts for in lexicon_edit_cost. "uniform": every edit 1.
  // "learned": each edit weighed by how often the training pairs make it in its context (a
  // doubled letter written once, a vowel for a vowel), in units of the average edit
  // (EditChannel; Church and Gale 1991).
  std::string lexicon_channel = "uniform";
  // Spelling, nearest: the model's free answer (greedy, unconstrained) stands, however many
  // edits away, when it is a word of the lexicon and the model gives it a probability above this.
  // Words the model knows by heart (a training target three edits from its misspelling) are
  // kept that way while a high lexicon_edit_cost ranks the rest by nearness. 1 = never.
  double lexicon_trust = 1.0;
  // Spelling, nearest with data.common_words: nats taken off a candidate that is not a common
  // word, a prior for the words people write most (the course's misspelt words are 98 % words
  // of the size-35 list).
  double rare_word_cost = 0.0;
};

// SVG-LP video prediction (Denton & Fergus 2018); model.hidden_size is the LSTMs' width and
// model.latent_size the size of z_t.
struct VideoConfig {
  std::string encoder = "dcgan";  // dcgan | vgg
  double width = 0.25;            // scales every channel count of the frame encoder/decoder
  int frame_dim = 128;            // length of the encoded frame vector
  int predictor_layers = 2;
  int posterior_layers = 1;
  int prior_layers = 1;
  int past_frames = 2;          // conditioning frames
  int future_frames = 10;       // predicted frames in training
  int eval_future_frames = 10;  // predicted frames at evaluation
  int eval_sequences = 64;      // sequences of the evaluation split scored each time
  int prior_samples = 3;        // samples from the learned prior in the preview
  // Samples from the learned prior per evaluated sequence: psnr/ssim are their mean (what one
  // sample scores), psnr_best/ssim_best each sequence's best sample (SVG-LP's "best of K").
  // 1 scores one sample, as runs did before.
  int eval_samples = 1;
  bool composite = true;          // decoder paints a mask over the last conditioning frame
  bool spatial_condition = true;  // decoder sees the condition as maps (CoordConv)
  bool position_maps = false;     // and a blob at the end effector's position (off: old runs)
};

struct OptimizerConfig {
  std::string name = "adam";  // adam | adamw | sgd
  double learning_rate = 1e-3;
  double weight_decay = 0.0;
  double momentum = 0.9;                 // sgd only
  double grad_clip = 1.0;                // max global L2 norm, 0 disables clipping
  std::string lr_schedule = "constant";  // constant | step | cosine
  int lr_step_epochs = 10;
  double lr_gamma = 0.5;
  double lr_min = 0.0;  // cosine floor
};

struct TrainConfig {
  int epochs = 100;
  int batch_size = 64;
  std::uint64_t seed = 42;
  std::string device = "auto";  // cpu | cuda | auto
  int threads = 0;              // torch intra-op threads, 0 = the measured best
  // last.pt is written after every this many epochs (and at evaluations and on stop), so a
  // killed run loses at most that much work.
  int checkpoint_every_epochs = 1;
};

struct KlAnnealingConfig {
  KlPolicy policy = KlPolicy::Cyclical;
  double max_beta = 1.0;
  int cycles = 4;      // cyclical only
  double ratio = 0.5;  // share of a cycle (or of the run, monotonic) spent rising
  ScheduleUnit unit = ScheduleUnit::Iteration;
  // "Free bits" (Kingma et al. 2016): a latent dimension's batch-mean KL below this many nats
  // costs nothing, so z keeps carrying information as beta reaches 1. 0 = the plain ELBO.
  double free_bits = 0.0;
};

struct TeacherForcingConfig {
  double initial = 1.0;
  int start_epoch = 0;  // last epoch at the initial ratio; decay begins on the next one
  double decay = 0.0;   // subtracted once per epoch after start_epoch
  double floor = 0.0;
};

struct EvaluationConfig {
  int every_epochs = 1;
  // tense: bleu | gaussian | sum; spelling: bleu | accuracy; video: psnr | ssim | psnr_best |
  // ssim_best (ExperimentFacts::selection_scores)
  std::string best_by = "sum";
  int gaussian_samples = 100;
  // The Gaussian score is the mean over this many samples of gaussian_samples draws each.
  int gaussian_seeds = 10;
  int preview_count = 8;
};

struct OutputConfig {
  std::string dir = "runs";
};

struct ExperimentConfig {
  ExperimentKind kind = ExperimentKind::Tense;
  std::string name = "tense-cvae";
  DataConfig data;
  ModelConfig model;
  VideoConfig video;
  OptimizerConfig optimizer;
  TrainConfig train;
  KlAnnealingConfig kl;
  TeacherForcingConfig teacher_forcing;
  EvaluationConfig evaluation;
  OutputConfig output;

  // The defaults a new config of this kind starts from before the file is applied.
  static ExperimentConfig defaultsFor(ExperimentKind kind);
};

bool operator==(const ExperimentConfig& a, const ExperimentConfig& b);
inline bool operator!=(const ExperimentConfig& a, const ExperimentConfig& b) {
  return !(a == b);
}

}  // namespace cvae
