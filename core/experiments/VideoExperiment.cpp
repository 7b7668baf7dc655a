#include "core/experiments/VideoExperiment.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "core/config/ConfigError.h"
#include "core/data/LengthBuckets.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/experiments/LatentUnitsTable.h"
#include "core/io/NumberText.h"
#include "core/metrics/ImageQuality.h"

namespace cvae {
namespace {

constexpr int kEvalChunk = 16;

RgbImage toImage(const at::Tensor& frame) {  // [3, H, W] float in [0, 1]
  const auto bytes = (frame.detach().to(at::kCPU).clamp(0, 1) * 255)
                         .round()
                         .to(at::kByte)
                         .permute({1, 2, 0})
                         .contiguous();
  RgbImage image{static_cast<int>(bytes.size(1)), static_cast<int>(bytes.size(0)), {}};
  image.pixels.assign(bytes.data_ptr<std::uint8_t>(),
                      bytes.data_ptr<std::uint8_t>() + bytes.numel());
  return image;
}

std::string formatDb(double v) {
  return formatFixed(v, 2);
}

}  // namespace

VideoBatch makeVideoBatch(const std::vector<VideoSequence>& sequences, int first, int count) {
  std::vector<at::Tensor> frames, conditions;
  for (const auto& s : sequences) {
    frames.push_back(s.frames.slice(0, first, first + count));
    conditions.push_back(s.conditions.slice(0, first, first + count));
  }
  return {at::stack(frames, 1).to(at::kFloat).div_(255.0), at::stack(conditions, 1)};
}

VideoExperiment::VideoExperiment(const ExperimentConfig& config, c10::Device device)
    : config_(config), device_(device) {
  // Every sequence's files are checked now, not when a random window first reads them.
  train_dirs_ = readTrainData([&] {
    auto dirs = listPushingSequences(config.data.train);
    for (const auto& dir : dirs) checkPushingSequence(dir);
    return dirs;
  });
  readTestData([&] {
    auto eval_dirs = listPushingSequences(config.data.test);
    eval_dirs.resize(std::min<size_t>(eval_dirs.size(), config.video.eval_sequences));
    for (const auto& dir : eval_dirs)
      eval_sequences_.push_back(loadPushingSequence(dir, 0, windowLength(true)));
  });
  model_ = VideoCvae(VideoCvaeOptions()
                         .encoder(config.video.encoder)
                         .width(config.video.width)
                         .frame_dim(config.video.frame_dim)
                         .hidden_size(config.model.hidden_size)
                         .latent_size(config.model.latent_size)
                         .condition_size(PushingLayout::kConditionSize)
                         .predictor_layers(config.video.predictor_layers)
                         .posterior_layers(config.video.posterior_layers)
                         .prior_layers(config.video.prior_layers)
                         .composite(config.video.composite)
                         .spatial_condition(config.video.spatial_condition)
                         .position_maps(config.video.position_maps));
  model_->to(device_);
}

int VideoExperiment::windowLength(bool evaluation) const {
  return config_.video.past_frames +
         (evaluation ? config_.video.eval_future_frames : config_.video.future_frames);
}

std::vector<std::string> VideoExperiment::scoreNames() const {
  return experimentEntry(ExperimentKind::Video).score_names;
}

double VideoExperiment::selectionScore(const Evaluation& evaluation) const {
  return evaluation.scores.at(config_.evaluation.best_by);  // one of its scores (ConfigIo)
}

int64_t VideoExperiment::batchesPerEpoch() const {
  // Asked before the run folder is made: a set that cannot train is refused before it.
  if (train_dirs_.size() < 2)
    throw InputError("data.train: " + config_.data.train + " has " +
                     std::to_string(train_dirs_.size()) +
                     (train_dirs_.size() == 1 ? " sequence" : " sequences") +
                     "; training needs at least 2 (the codec's batch normalisation "
                     "cannot train on one)");
  const int64_t n = static_cast<int64_t>(train_dirs_.size());
  return pushingBatchCount(n, config_.train.batch_size);
}

void VideoExperiment::startEpoch(std::mt19937_64& rng) {
  const int window = windowLength(false);
  std::uniform_int_distribution<int> first(0, PushingLayout::kFrames - window);
  epoch_order_.clear();
  for (size_t i = 0; i < train_dirs_.size(); ++i) epoch_order_.push_back({i, 0});
  std::shuffle(epoch_order_.begin(), epoch_order_.end(), rng);
  for (auto& entry : epoch_order_) entry.second = first(rng);
  // The producer reads its own copy of the order, so the next epoch can reshuffle freely.
  const int64_t rank = shard_rank_, world = shard_world_;
  const int64_t batches = batchesPerEpoch();
  const int64_t mine = (batches - rank + world - 1) / world;
  prefetcher_.start(mine, [this, order = epoch_order_, window, rank, world, batches](int64_t k) {
    const int64_t b = rank + k * world;  // the k-th batch of this rank's shard
    const size_t begin = static_cast<size_t>(b * config_.train.batch_size);
    // The last batch takes what is left (one more sequence when a batch of one joined it).
    const size_t end =
        b == batches - 1 ? order.size() : std::min(order.size(), begin + config_.train.batch_size);
    std::vector<VideoSequence> sequences;
    for (size_t i = begin; i < end; ++i)
      sequences.push_back(
          loadPushingSequence(train_dirs_[order[i].first], order[i].second, window));
    return makeVideoBatch(sequences, 0, window);
  });
}

StepLoss VideoExperiment::trainStep(int64_t batch_index, const StepSchedule& schedule,
                                    std::mt19937_64& /*rng*/) {
  if (epoch_order_.empty()) {  // a step before any epoch started (benchmarks): start one
    std::mt19937_64 rng(config_.train.seed);
    startEpoch(rng);
  }
  if ((batch_index - shard_rank_) % shard_world_ != 0)
    throw std::logic_error("batch " + std::to_string(batch_index) + " is not in this rank's shard");
  const auto batch = prefetcher_.take((batch_index - shard_rank_) / shard_world_);
  const auto frames = batch.frames.to(device_);
  const auto conditions = batch.conditions.to(device_);
  const int64_t size = frames.size(1);
  const auto teacher_forced = torch::rand({size}) < schedule.teacher_forcing;
  model_->train();
  const auto loss = model_->forwardTraining(frames, conditions, config_.video.past_frames,
                                            teacher_forced, config_.kl.free_bits);
  StepLoss out;
  // kl_annealing.free_bits as for the tense CVAE: per latent dimension, here also per frame.
  out.total = loss.mse + schedule.beta * loss.kl_optimized;
  out.reconstruction = loss.mse.item<double>();
  out.kl = loss.kl.item<double>();
  out.items = size * (frames.size(0) - 1);  // predicted frames
  return out;
}

at::Tensor VideoExperiment::samplePrior(const VideoBatch& batch, std::uint64_t seed) {
  torch::NoGradGuard no_grad;
  model_->eval();
  auto generator = at::detail::createCPUGenerator(seed);
  return model_->predict(batch.frames.to(device_), batch.conditions.to(device_),
                         config_.video.past_frames, false, generator);
}

FrameScores VideoExperiment::scoreFrames(const at::Tensor& predicted,
                                         const VideoBatch& batch) const {
  const auto truth = batch.frames.slice(0, config_.video.past_frames).to(predicted.device());
  const int64_t future = truth.size(0), size = truth.size(1);
  const auto flat = [](const at::Tensor& t) {
    return t.reshape({-1, t.size(2), t.size(3), t.size(4)});
  };
  return {psnrPerFrame(flat(predicted), flat(truth)).view({future, size}).cpu(),
          ssimPerFrame(flat(predicted), flat(truth)).view({future, size}).cpu()};
}

at::Tensor VideoExperiment::reconstruct(const VideoBatch& batch) {
  torch::NoGradGuard no_grad;
  model_->eval();
  auto generator = at::detail::createCPUGenerator(0);
  return model_->predict(batch.frames.to(device_), batch.conditions.to(device_),
                         config_.video.past_frames, true, generator);
}

namespace {
InputError nonFinitePrediction(const std::string& sequence_dir) {
  return InputError(sequence_dir +
                    ": the model's predicted frames are not finite (NaN or infinity); the "
                    "sequence's actions or positions may lie far outside the training data's");
}
}  // namespace

std::vector<FrameStrip> VideoExperiment::predictSequence(const std::string& dir, int samples,
                                                         std::uint64_t seed) {
  return frameStrips(loadPushingSequence(dir, 0, windowLength(true)), samples, seed);
}

std::vector<FrameStrip> VideoExperiment::frameStrips(const VideoSequence& sequence, int samples,
                                                     std::uint64_t seed) {
  // The truth, the posterior's reconstruction, and samples from the learned prior, all
  // aligned on time (the given frames are the truth's).
  const int window = windowLength(true);
  const int64_t past = config_.video.past_frames;
  const auto batch = makeVideoBatch({sequence}, 0, window);
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<FrameStrip> strips;
  FrameStrip truth{"ground truth", {}, {}};
  for (int t = 0; t < window; ++t) {
    truth.frames.push_back(toImage(batch.frames[t][0]));
    truth.psnr.push_back(nan);
  }
  strips.push_back(truth);
  const auto stripOf = [&](const std::string& title, const at::Tensor& predicted) {
    // NaN frames would be scored NaN and shown as given ones.
    if (!at::isfinite(predicted).all().item<bool>()) throw nonFinitePrediction(sequence.dir);
    FrameStrip strip{title, {}, {}};
    for (int t = 0; t < past; ++t) {
      strip.frames.push_back(truth.frames[t]);
      strip.psnr.push_back(nan);
    }
    const auto scores =
        psnrPerFrame(predicted.select(1, 0).cpu(), batch.frames.slice(0, past).select(1, 0));
    for (int64_t f = 0; f < predicted.size(0); ++f) {
      strip.frames.push_back(toImage(predicted[f][0]));
      strip.psnr.push_back(scores[f].item<double>());
    }
    return strip;
  };
  strips.push_back(stripOf("posterior reconstruction", reconstruct(batch)));
  for (int k = 0; k < samples; ++k)
    strips.push_back(
        stripOf("prior sample " + std::to_string(k + 1), samplePrior(batch, seed + k)));
  return strips;
}

Evaluation VideoExperiment::evaluate() {
  requireTestData();
  const int window = windowLength(true);
  const int64_t past = config_.video.past_frames;
  const std::uint64_t seed = config_.train.seed + 1;
  const int samples = config_.video.eval_samples;
  // Per chunk: [future, chunk] scores, averaged over the samples and of each sequence's best.
  std::vector<at::Tensor> psnr, ssim, best_psnr, best_ssim, baseline_psnr, baseline_ssim;
  std::vector<at::Tensor> latent_means, latent_kl;  // per chunk: [predicted, chunk, latent]
  for (size_t begin = 0; begin < eval_sequences_.size(); begin += kEvalChunk) {
    const std::vector<VideoSequence> chunk(
        eval_sequences_.begin() + static_cast<std::ptrdiff_t>(begin),
        eval_sequences_.begin() +
            static_cast<std::ptrdiff_t>(std::min(eval_sequences_.size(), begin + kEvalChunk)));
    const auto batch = makeVideoBatch(chunk, 0, window);
    // Copying the last given frame, once per chunk: it does not depend on the samples.
    const auto last_seen =
        batch.frames[past - 1].unsqueeze(0).expand({batch.frames.size(0) - past, -1, -1, -1, -1});
    const auto baseline = scoreFrames(last_seen, batch);
    baseline_psnr.push_back(baseline.psnr);
    baseline_ssim.push_back(baseline.ssim);
    {
      // The collapse watch: what z_t carries at each predicted frame (step t predicts frame t).
      torch::NoGradGuard no_grad;
      model_->eval();
      const auto trace = model_->latentTrace(batch.frames.to(device_));
      latent_means.push_back(trace.posterior_mean.slice(0, past - 1).cpu());
      latent_kl.push_back(trace.kl.slice(0, past - 1).cpu());
    }
    std::vector<at::Tensor> sample_psnr, sample_ssim;
    for (int k = 0; k < samples; ++k) {
      // Sample 0 draws as a one-sample evaluation always did, so its scores stay comparable.
      const auto scores = scoreFrames(
          samplePrior(batch, seed + begin + static_cast<std::uint64_t>(k) * 1000003), batch);
      sample_psnr.push_back(scores.psnr);
      sample_ssim.push_back(scores.ssim);
    }
    const auto all_psnr = at::stack(sample_psnr), all_ssim = at::stack(sample_ssim);
    psnr.push_back(all_psnr.mean(0));
    ssim.push_back(all_ssim.mean(0));
    best_psnr.push_back(bestOfSamples(all_psnr));
    best_ssim.push_back(bestOfSamples(all_ssim));
  }
  const auto psnr_all = at::cat(psnr, 1), ssim_all = at::cat(ssim, 1);
  const auto best_psnr_all = at::cat(best_psnr, 1), best_ssim_all = at::cat(best_ssim, 1);
  const auto base_all = at::cat(baseline_psnr, 1), base_ssim_all = at::cat(baseline_ssim, 1);

  Evaluation result;
  result.scores["psnr"] = psnr_all.mean().item<double>();
  result.scores["ssim"] = ssim_all.mean().item<double>();
  result.scores["psnr_copy_last"] = base_all.mean().item<double>();
  result.scores["psnr_best"] = best_psnr_all.mean().item<double>();
  result.scores["ssim_best"] = best_ssim_all.mean().item<double>();
  result.items = psnr_all.numel();
  const auto means_all = at::cat(latent_means, 1), kl_all = at::cat(latent_kl, 1);
  result.latent = latentActivity(means_all.flatten(0, 1), kl_all.flatten(0, 1));
  const auto kl_by_frame = kl_all.sum(2).mean(1);  // [predicted]
  for (int64_t f = 0; f < kl_by_frame.size(0); ++f) {
    result.latent->kl_per_frame.push_back(kl_by_frame[f].item<double>());
    result.latent->frame_numbers.push_back(static_cast<int>(past + f + 1));
  }

  PreviewTable table;
  table.title = "Per-frame scores";
  const std::string best_of = "best of " + std::to_string(samples);
  table.columns = {"frame", "PSNR (dB)",       best_of + " PSNR", "copy-last PSNR",
                   "SSIM",  best_of + " SSIM", "copy-last SSIM",  "KL (nats)"};
  const auto psnr_by_frame = psnr_all.mean(1), base_by_frame = base_all.mean(1);
  const auto ssim_by_frame = ssim_all.mean(1), base_ssim_by_frame = base_ssim_all.mean(1);
  const auto best_by_frame = best_psnr_all.mean(1), best_ssim_by_frame = best_ssim_all.mean(1);
  for (int64_t f = 0; f < psnr_by_frame.size(0); ++f) {
    const double model_db = psnr_by_frame[f].item<double>();
    const double base_db = base_by_frame[f].item<double>();
    table.rows.push_back({std::to_string(past + f + 1), formatDb(model_db),
                          formatDb(best_by_frame[f].item<double>()), formatDb(base_db),
                          formatDb(ssim_by_frame[f].item<double>()),
                          formatDb(best_ssim_by_frame[f].item<double>()),
                          formatDb(base_ssim_by_frame[f].item<double>()),
                          formatFixed(result.latent->kl_per_frame[static_cast<size_t>(f)], 3)});
    table.row_ok.push_back(model_db > base_db);
  }
  // One row per evaluated sequence, so the frame browser can offer any of them (it predicts
  // the chosen one again from a checkpoint; `folder` is where it reads it).
  PreviewTable sequences;
  sequences.title = "Sequences";
  sequences.columns = {"#", "sequence", "PSNR (dB)", "copy-last PSNR", "SSIM", "folder"};
  const auto psnr_by_sequence = psnr_all.mean(0), base_by_sequence = base_all.mean(0);
  const auto ssim_by_sequence = ssim_all.mean(0);
  for (int64_t i = 0; i < psnr_by_sequence.size(0); ++i)  // a NaN score would be the mean's
    if (std::isnan(psnr_by_sequence[i].item<double>()))
      throw nonFinitePrediction(eval_sequences_[static_cast<size_t>(i)].dir);
  for (int64_t i = 0; i < psnr_by_sequence.size(0); ++i) {
    const auto& dir = eval_sequences_[static_cast<size_t>(i)].dir;
    const double model_db = psnr_by_sequence[i].item<double>();
    const double base_db = base_by_sequence[i].item<double>();
    const std::filesystem::path folder(dir);  // <group>/<sequence>, as in the split folder
    const std::string name = (folder.parent_path().filename() / folder.filename()).generic_string();
    sequences.rows.push_back({std::to_string(i + 1), name, formatDb(model_db), formatDb(base_db),
                              formatDb(ssim_by_sequence[i].item<double>()), dir});
    sequences.row_ok.push_back(model_db > base_db);
  }
  // The collapse watch as a table, as the tense CVAE's: KL to the learned prior per dimension.
  const PreviewTable units = latentUnitsTable(*result.latent, "KL to the prior (nats)");
  result.previews = {table, sequences, units};

  result.frames = frameStrips(eval_sequences_.front(), config_.video.prior_samples, seed + 1000);
  result.notes.push_back("PSNR/SSIM over " + std::to_string(eval_sequences_.size()) +
                         " sequences x " + std::to_string(config_.video.eval_future_frames) +
                         " predicted frames after " + std::to_string(past) + " given, " +
                         (samples == 1
                              ? std::string("one sample from the learned prior each")
                              : std::to_string(samples) +
                                    " samples from the learned prior each (PSNR/SSIM: "
                                    "their mean; best of " +
                                    std::to_string(samples) + ": each sequence's best sample)") +
                         "; copy-last repeats the last given frame");
  return result;
}

}  // namespace cvae
