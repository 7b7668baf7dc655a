#pragma once
// The video-prediction experiment (SVG-LP with conditions) on the robot-pushing layout.
// data.train is the training split folder, data.test the folder scored at each evaluation.
// Training windows of past + future frames start at a random frame of each sequence; batches
// are read from disk a few steps ahead on a background thread.

#include <random>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"
#include "core/data/BatchPrefetcher.h"
#include "core/data/PushingData.h"
#include "core/experiments/Experiment.h"
#include "core/experiments/WordTools.h"
#include "core/models/VideoCvae.h"

namespace cvae {

struct VideoBatch {
  at::Tensor frames;      // [time, batch, 3, 64, 64] float in [0, 1]
  at::Tensor conditions;  // [time, batch, 7]
};

// Stacks sequences (uint8 frames) into a batch, frames [first, first + count).
VideoBatch makeVideoBatch(const std::vector<VideoSequence>& sequences, int first, int count);

// What predicting one batch gives: per-frame scores of the prior sample and the baseline.
// Per-frame scores of predicted frames against the truth, [future, batch] each.
struct FrameScores {
  at::Tensor psnr;
  at::Tensor ssim;
};

class VideoExperiment : public Experiment, public SequencePredictor {
 public:
  VideoExperiment(const ExperimentConfig& config, c10::Device device);

  std::vector<std::string> scoreNames() const override;
  double selectionScore(const Evaluation& evaluation) const override;
  int64_t batchesPerEpoch() const override;
  void setShard(int rank, int world) override {
    shard_rank_ = rank;
    shard_world_ = world;
  }
  void startEpoch(std::mt19937_64& rng) override;
  StepLoss trainStep(int64_t batch_index, const StepSchedule& schedule,
                     std::mt19937_64& rng) override;
  Evaluation evaluate() override;
  torch::nn::Module& model() override { return *model_; }

  // Predicts the frames after the first video.past_frames of `batch` with a prior sample
  // drawn from `seed`: [future, batch, 3, 64, 64].
  at::Tensor samplePrior(const VideoBatch& batch, std::uint64_t seed);
  // Scores `predicted` ([future, batch, 3, 64, 64]) against the frames of `batch` it predicts.
  FrameScores scoreFrames(const at::Tensor& predicted, const VideoBatch& batch) const;
  // The same from the posterior: how well the model reconstructs what it saw.
  at::Tensor reconstruct(const VideoBatch& batch);
  int windowLength(bool evaluation) const;

  std::vector<FrameStrip> predictSequence(const std::string& dir, int samples,
                                          std::uint64_t seed) override;
  std::vector<FrameStrip> frameStrips(const VideoSequence& sequence, int samples,
                                      std::uint64_t seed);

 private:
  ExperimentConfig config_;
  c10::Device device_;
  std::vector<std::string> train_dirs_;
  std::vector<VideoSequence> eval_sequences_;        // small and scored every time: kept in memory
  std::vector<std::pair<size_t, int>> epoch_order_;  // (sequence, first frame) this epoch
  BatchPrefetcher<VideoBatch> prefetcher_;           // reads this rank's batches only, in order
  int shard_rank_ = 0, shard_world_ = 1;
  VideoCvae model_{nullptr};
};

}  // namespace cvae
