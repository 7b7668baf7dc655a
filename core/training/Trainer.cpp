#include "core/training/Trainer.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>

#include <cmath>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <ctime>
#include <filesystem>
#include <memory>

#include "core/config/ConfigError.h"
#include "core/config/ConfigIo.h"
#include "core/data/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/schedules/Schedules.h"
#include "core/training/Checkpoint.h"
#include "core/training/MetricsLog.h"
#include "core/training/PreviewFile.h"

namespace fs = std::filesystem;

namespace cvae {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void setLearningRate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

// Items per second over a sliding window of recent steps, so the figure follows changes.
class ThroughputMeter {
 public:
  void add(int64_t items, double seconds) {
    items_ = items_ * kDecay + items;
    seconds_ = seconds_ * kDecay + seconds;
  }
  double perSecond() const { return seconds_ > 0 ? items_ / seconds_ : 0.0; }

 private:
  static constexpr double kDecay = 0.95;
  double items_ = 0, seconds_ = 0;
};

}  // namespace

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerConfig& c,
                                                       std::vector<torch::Tensor> parameters) {
  if (c.name == "sgd")
    return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(c.learning_rate)
                                                               .momentum(c.momentum)
                                                               .weight_decay(c.weight_decay));
  if (c.name == "adamw")
    return std::make_unique<torch::optim::AdamW>(
        parameters, torch::optim::AdamWOptions(c.learning_rate).weight_decay(c.weight_decay));
  return std::make_unique<torch::optim::Adam>(
      parameters, torch::optim::AdamOptions(c.learning_rate).weight_decay(c.weight_decay));
}

StepLoss optimizationStep(Experiment& experiment, torch::optim::Optimizer& optimizer, int64_t batch,
                          const StepSchedule& schedule, double grad_clip, std::mt19937_64& rng,
                          const StepHooks* hooks) {
  experiment.model().train();
  optimizer.zero_grad();
  StepLoss loss = experiment.trainStep(batch, schedule, rng);
  const bool finite = std::isfinite(loss.total.item<double>());
  const bool all_finite = hooks && hooks->agree ? hooks->agree(finite) : finite;
  if (!all_finite) {
    // Another rank's loss went bad: this one stops with it.
    if (finite) loss.total = torch::full({}, std::nan(""), loss.total.options());
    return loss;
  }
  loss.total.backward();
  if (hooks && hooks->after_backward) hooks->after_backward();
  if (grad_clip > 0) torch::nn::utils::clip_grad_norm_(experiment.model().parameters(), grad_clip);
  optimizer.step();
  return loss;
}

c10::Device resolveDevice(const std::string& setting) {
  if (setting == "cuda") {
    if (!torch::cuda::is_available())
      throw InputError("train.device is 'cuda' but this LibTorch build sees no CUDA device");
    return c10::Device(c10::kCUDA);
  }
  if (setting == "auto" && torch::cuda::is_available()) return c10::Device(c10::kCUDA);
  return c10::Device(c10::kCPU);
}

int configureThreads(int threads) {
  // Measured on 2 cores (docs/BENCHMARKS.md): one intra-op thread, with OpenBLAS using every
  // core inside each GEMM, trains the tense CVAE at ~4,100 words/s; two intra-op threads make
  // OpenMP and OpenBLAS's pthreads fight over the cores and fall to ~1,000 words/s.
  const int count = threads > 0 ? threads : 1;
  at::set_num_threads(count);
  return count;
}

void keepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // A training step allocates and frees the same multi-megabyte tensors (an LSTM's gates for
  // all steps, say) every time. By default glibc serves such sizes with mmap and gives them
  // back with munmap or heap trimming, so every step page-faults them in again, and with two
  // threads the unmapping also flushes the other core's TLB. Keeping the memory raised the
  // tense CVAE from about 2,800 to 3,500 words/s on 2 cores (docs/BENCHMARKS.md); the
  // resident size stays at its peak instead of shrinking between steps.
  static const bool done = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed value
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    return true;
  }();
  (void)done;
#endif
}

std::string makeRunDirectory(const ExperimentConfig& config) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  const fs::path base = fs::path(config.output.dir) / (config.name + "-" + stamp);
  fs::path dir = base;
  for (int i = 2; fs::exists(dir); ++i) dir = base.string() + "-" + std::to_string(i);
  fs::create_directories(dir);
  return dir.string();
}

Trainer::Trainer(ExperimentConfig config, TrainingObserver& observer, RunControl& control)
    : config_(std::move(config)), observer_(observer), control_(control) {}

RunResult Trainer::run() {
  RunResult result;
  try {
    result = train();
  } catch (const InputError& e) {
    result.status = RunStatus::Failed;
    result.message = e.what();
  } catch (const c10::Error& e) {
    result.status = RunStatus::Failed;
    result.message = std::string("tensor error: ") + e.what_without_backtrace();
  } catch (const std::exception& e) {
    result.status = RunStatus::Failed;
    result.message = e.what();
  }
  if (result.run_dir.empty()) result.run_dir = run_dir_;
  observer_.onRunFinished(result);
  return result;
}

RunResult Trainer::train() {
  const auto started = Clock::now();
  RunResult result;
  torch::manual_seed(config_.train.seed);
  std::mt19937_64 rng(config_.train.seed);
  configureThreads(config_.train.threads);
  keepFreedMemoryForReuse();
  const c10::Device device = resolveDevice(config_.train.device);

  if (resolveDataPaths(config_, [this](const std::string& m) { observer_.onMessage(m); }))
    observer_.onMessage("made the embedded default data set in " +
                        fs::path(config_.data.train).parent_path().string());
  auto experiment =
      factory_ ? factory_(config_, device) : experimentEntry(config_.kind).create(config_, device);

  // Data parallel: join the group, start from rank 0's weights, shard every epoch's batches.
  std::unique_ptr<DataParallelGroup> group;
  const int world = distributed_.enabled() ? distributed_.world_size : 1;
  const int rank = distributed_.enabled() ? distributed_.rank : 0;
  const bool writes = rank == 0;  // only rank 0 evaluates and writes the run folder
  if (distributed_.enabled()) {
    observer_.onMessage("rank " + std::to_string(rank) + " of " + std::to_string(world) +
                        ": joining the group at " + distributed_.master_addr + ":" +
                        std::to_string(distributed_.master_port));
    group = std::make_unique<DataParallelGroup>(distributed_);
    experiment->setShard(rank, world);
  }

  if (writes) {
    if (run_dir_.empty()) run_dir_ = makeRunDirectory(config_);
    fs::create_directories(run_dir_);
    result.run_dir = run_dir_;
    saveConfigFile(config_, (fs::path(run_dir_) / "config.yaml").string());
  } else {
    run_dir_.clear();
  }
  std::unique_ptr<MetricsLog> metrics;
  if (writes)
    metrics = std::make_unique<MetricsLog>((fs::path(run_dir_) / "metrics.csv").string(),
                                           experiment->scoreNames());
  const std::string last_path = writes ? (fs::path(run_dir_) / "last.pt").string() : "";
  const std::string best_path = writes ? (fs::path(run_dir_) / "best.pt").string() : "";

  auto& model = experiment->model();
  model.to(device);
  if (group) {
    group->broadcastParameters(model);
    // Same weights, different random draws (sampling, teacher forcing) on each rank.
    torch::manual_seed(config_.train.seed + static_cast<std::uint64_t>(rank));
  }
  auto optimizer = makeOptimizer(config_.optimizer, model.parameters());

  bool stop_agreed = false;
  StepHooks hooks;
  if (group) {
    hooks.agree = [&](bool finite) {
      const auto sums = group->sum({finite ? 0.0 : 1.0, control_.stopRequested() ? 1.0 : 0.0});
      stop_agreed = sums[1] > 0;
      return sums[0] == 0;
    };
    hooks.after_backward = [&] { group->averageGradients(model); };
  }

  const int64_t batches = experiment->batchesPerEpoch();
  if (batches < world)
    throw InputError("the training set gives " + std::to_string(batches) +
                     " batches per epoch, fewer than the " + std::to_string(world) + " ranks");
  const RunLength length{config_.train.epochs, batches / world};
  const int64_t total_steps = length.totalIterations();
  observer_.onRunStarted(run_dir_, total_steps);

  CheckpointInfo info;
  bool have_best = false;
  ThroughputMeter throughput;
  int64_t step = 0;
  // Every way out of the loop reports the same fields.
  auto finish = [&](RunStatus status, int epochs_done, std::string message) {
    result.status = status;
    result.message = std::move(message);
    result.epochs_done = epochs_done;
    result.steps_done = step;
    result.best_score = info.best_score;
    result.seconds = secondsSince(started);
    return result;
  };
  auto saveLast = [&](int epochs_done) {
    info.epoch = epochs_done;
    info.step = step;
    info.config_yaml = configToYaml(config_);
    if (writes) saveCheckpoint(last_path, model, optimizer.get(), info);
  };

  for (int epoch = 0; epoch < config_.train.epochs; ++epoch) {
    setLearningRate(*optimizer, learningRate(config_.optimizer, epoch, config_.train.epochs));
    experiment->startEpoch(rng);
    for (int64_t batch = 0; batch < length.iterations_per_epoch; ++batch) {
      // Distributed runs cannot pause (the other ranks would time out); a stop is agreed on
      // inside the step instead.
      if (!group && !control_.waitWhilePaused()) {
        saveLast(epoch);
        return finish(RunStatus::Stopped, epoch,
                      "stopped at epoch " + std::to_string(epoch + 1) + ", step " +
                          std::to_string(step) + "; saved " + last_path);
      }
      if (auto edit = control_.takeEdit()) {
        config_.kl = edit->kl;
        config_.teacher_forcing = edit->teacher_forcing;
        config_.optimizer.learning_rate = edit->learning_rate;
        setLearningRate(*optimizer, learningRate(config_.optimizer, epoch, config_.train.epochs));
        if (metrics) metrics->writeEdit(epoch, step, secondsSince(started));
        observer_.onScheduleChanged(step);
        observer_.onMessage("schedules changed at step " + std::to_string(step));
      }
      StepSchedule schedule;
      schedule.beta = klBeta(config_.kl, RunPosition{epoch, step}, length);
      schedule.teacher_forcing = teacherForcingRatio(config_.teacher_forcing, epoch);

      const auto step_started = Clock::now();
      const StepLoss loss =
          optimizationStep(*experiment, *optimizer, batch * world + rank, schedule,
                           config_.optimizer.grad_clip, rng, group ? &hooks : nullptr);
      const double total = loss.total.item<double>();
      if (!std::isfinite(total)) {
        return finish(RunStatus::Failed, epoch,
                      "the loss became " + std::to_string(total) + " at epoch " +
                          std::to_string(epoch + 1) + ", step " + std::to_string(step + 1) +
                          " (beta " + std::to_string(schedule.beta) +
                          "); training stopped. Try a lower learning rate or gradient clipping." +
                          (fs::exists(last_path) ? " The last good checkpoint is " + last_path
                                                 : std::string(" No checkpoint had been saved.")));
      }
      ++step;
      throughput.add(loss.items * world, secondsSince(step_started));

      ProgressReport report;
      report.epoch = epoch;
      report.epochs = config_.train.epochs;
      report.step = step;
      report.total_steps = total_steps;
      report.batches_per_epoch = length.iterations_per_epoch;
      report.loss = total;
      report.reconstruction = loss.reconstruction;
      report.kl = loss.kl;
      report.beta = schedule.beta;
      report.teacher_forcing = schedule.teacher_forcing;
      report.learning_rate = optimizer->param_groups().front().options().get_lr();
      report.items_per_second = throughput.perSecond();
      report.elapsed_seconds = secondsSince(started);
      report.eta_seconds = report.elapsed_seconds / step * (total_steps - step);
      if (metrics) metrics->writeProgress(report);
      observer_.onProgress(report);
      if (stop_agreed) {
        saveLast(epoch);
        return finish(RunStatus::Stopped, epoch,
                      "stopped at epoch " + std::to_string(epoch + 1) + ", step " +
                          std::to_string(step) + " (a rank asked to stop)" +
                          (writes ? "; saved " + last_path : std::string()));
      }
    }

    const bool last_epoch = epoch + 1 == config_.train.epochs;
    if (writes && ((epoch + 1) % config_.evaluation.every_epochs == 0 || last_epoch)) {
      model.eval();
      EvaluationReport report;
      report.epoch = epoch;
      report.step = step;
      report.evaluation = experiment->evaluate();
      const double score = experiment->selectionScore(report.evaluation);
      metrics->writeEvaluation(epoch, step, secondsSince(started), report.evaluation.scores);
      info.scores = report.evaluation.scores;
      if (!have_best || score > info.best_score) {
        have_best = true;
        info.best_score = score;
        report.new_best = true;
        info.epoch = epoch + 1;
        info.step = step;
        info.config_yaml = configToYaml(config_);
        saveCheckpoint(best_path, model, optimizer.get(), info);
      }
      saveLast(epoch + 1);
      writePreviewFile((fs::path(run_dir_) / "previews.tsv").string(),
                       SavedPreviews{epoch, step, report.evaluation});
      observer_.onEvaluation(report);
    }
  }
  if (!writes)
    return finish(RunStatus::Completed, config_.train.epochs,
                  "rank " + std::to_string(rank) + " finished " +
                      std::to_string(config_.train.epochs) + " epochs (rank 0 wrote the run)");
  return finish(RunStatus::Completed, config_.train.epochs,
                "finished " + std::to_string(config_.train.epochs) + " epochs; best " +
                    config_.evaluation.best_by + " " + std::to_string(info.best_score) + " in " +
                    best_path);
}

}  // namespace cvae
