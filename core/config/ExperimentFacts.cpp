#include "core/config/ExperimentFacts.h"

#include "core/io/InputError.h"

namespace cvae {
namespace {

std::vector<ExperimentFacts> buildTable() {
  std::vector<ExperimentFacts> table;

  ExperimentFacts tense;
  tense.kind = ExperimentKind::Tense;
  tense.title = "Tense conversion CVAE";
  tense.train_file = "train.txt";
  tense.test_file = "test.txt";
  tense.default_config = "tense_cvae.yaml";
  tense.score_names = {"bleu", "gaussian"};
  tense.score_labels = {"BLEU-4", "Gaussian score"};
  tense.selection_scores = {"bleu", "gaussian", "sum"};
  tense.data_name = "tense";
  tense.data_size_unit = "training rows";
  tense.data_folder = "tense";
  tense.has_collapse_watch = true;
  table.push_back(tense);

  ExperimentFacts spelling;
  spelling.kind = ExperimentKind::Spelling;
  spelling.title = "Spelling correction seq2seq";
  spelling.train_file = "train.json";
  spelling.test_file = "test.json";
  spelling.default_config = "spelling_seq2seq.yaml";
  spelling.score_names = {"bleu", "accuracy"};
  spelling.score_labels = {"BLEU-4", "exact match"};
  spelling.selection_scores = {"bleu", "accuracy"};
  spelling.has_kl_term = false;
  spelling.data_name = "spelling";
  spelling.data_size_unit = "target words";
  spelling.data_folder = "spelling";
  table.push_back(spelling);

  ExperimentFacts video;
  video.kind = ExperimentKind::Video;
  video.title = "Video prediction CVAE (SVG-LP)";
  video.train_file = "train";    // split folders of the pushing layout
  video.test_file = "validate";  // scored during training; evaluate --test DIR/test after
  video.default_config = "video_svg_cpu.yaml";
  video.score_names = {"psnr", "ssim", "psnr_copy_last", "psnr_best", "ssim_best"};
  video.score_labels = {"PSNR (dB)", "SSIM", "copy-last PSNR (dB)", "best-of-K PSNR (dB)",
                        "best-of-K SSIM"};
  // The best of K prior samples picks a model whose samples differ (SVG-LP reports it); the
  // mean of K rewards one future blurred to the mean.
  video.selection_scores = {"psnr", "ssim", "psnr_best", "ssim_best"};
  video.has_collapse_watch = true;
  video.latent_per_frame = true;
  video.data_name = "pushing";
  video.data_size_option = "--sequences";
  video.data_size_unit = "training sequences";
  // -2: objects with hidden slide, spin and deflection (issue 18).
  video.data_folder = "video-2";
  table.push_back(video);
  return table;
}

}  // namespace

const std::vector<ExperimentFacts>& experimentFactsTable() {
  static const std::vector<ExperimentFacts> table = buildTable();
  return table;
}

const ExperimentFacts& experimentFacts(ExperimentKind kind) {
  for (const auto& facts : experimentFactsTable())
    if (facts.kind == kind) return facts;
  throw InputError("the " + toString(kind) + " experiment is not available in this build");
}

std::string scoreLabel(const std::string& score) {
  for (const auto& facts : experimentFactsTable())
    for (size_t i = 0; i < facts.score_names.size() && i < facts.score_labels.size(); ++i)
      if (facts.score_names[i] == score) return facts.score_labels[i];
  return score;
}

}  // namespace cvae
