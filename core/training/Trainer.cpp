#include "core/training/Trainer.h"

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <memory>

#include "core/config/ConfigIo.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/runs/MetricsFile.h"
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

std::string where(int epoch, int64_t step) {
  return "epoch " + std::to_string(epoch + 1) + ", step " + std::to_string(step);
}

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

void Trainer::setOrigin(RunOrigin origin) {
  origin_ = std::move(origin);
  if (origin_.kind == RunOrigin::Kind::Resume) run_dir_ = origin_.run_dir;
}

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
  writeFinalRecord(result);
  observer_.onRunFinished(result);
  return result;
}

void Trainer::writeFinalRecord(const RunResult& result) {
  if (!folder_) return;
  record_.state = result.status == RunStatus::Completed ? RunState::Completed
                  : result.status == RunStatus::Stopped ? RunState::Stopped
                                                        : RunState::Failed;
  record_.ended = utcTimestamp();
  record_.message = result.message;
  record_.epochs_done = result.epochs_done;
  record_.steps_done = result.steps_done;
  try {
    folder_->writeRecord(record_);
  } catch (const std::exception& e) {
    // The run's outcome is reported either way; a record that says running reads as
    // interrupted later, which is still true enough to resume from.
    observer_.onMessage(std::string("cannot write the run's status: ") + e.what());
  }
}

// The run folder, new or continued, and the record that says this process now runs it.
void Trainer::openRunFolder(int64_t start_step) {
  if (origin_.kind == RunOrigin::Kind::Resume) {
    folder_ = RunFolder::open(run_dir_);
    if (folder_->isLive())
      throw InputError(run_dir_ + ": the run is still running in another process (pid " +
                       std::to_string(folder_->readRecord()->pid) + ")");
    record_ = folder_->readRecord().value_or(RunRecord{});
    if (record_.started.empty()) record_.started = utcTimestamp();
    ++record_.resumes;
    const int64_t dropped = truncateMetricsFile(folder_->metricsPath(), start_step);
    if (dropped > 0)
      observer_.onMessage("metrics.csv: dropped " + std::to_string(dropped) +
                          " rows written after the checkpoint at step " +
                          std::to_string(start_step));
  } else {
    if (run_dir_.empty()) run_dir_ = makeRunDirectory(config_);
    folder_ = RunFolder::create(run_dir_, overwrite_);
    folder_->writeConfig(config_);
    record_ = RunRecord{};
    record_.started = utcTimestamp();
    if (origin_.kind == RunOrigin::Kind::Fork) {
      std::error_code ec;
      record_.parent = origin_.run_dir.empty() ? origin_.checkpoint
                                               : fs::weakly_canonical(origin_.run_dir, ec).string();
      record_.fork_step = origin_.step;
    }
  }
  record_.state = RunState::Running;
  record_.ended.clear();
  record_.message.clear();
  record_.host = hostName();
  record_.pid = ::getpid();
  folder_->writeRecord(record_);
}

RunResult Trainer::train() {
  const auto started = Clock::now();
  RunResult result;
  torch::manual_seed(config_.train.seed);
  std::mt19937_64 rng(config_.train.seed);
  const c10::Device device = prepareTrainingProcess(config_.train);

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

  // The checkpoint a resume or fork starts from: rank 0 reads it and sends it to the others,
  // which may not see rank 0's disk.
  const bool from_checkpoint = origin_.kind != RunOrigin::Kind::Fresh;
  std::string start_bytes;
  CheckpointInfo start;
  if (from_checkpoint) {
    if (writes) start_bytes = readCheckpointBytes(origin_.checkpoint);
    if (group) start_bytes = group->broadcastBytes(start_bytes);
    start = checkpointInfoFromBytes(start_bytes, origin_.checkpoint);
    if (start.epoch >= config_.train.epochs)
      throw InputError("train.epochs=" + std::to_string(config_.train.epochs) + ": " +
                       origin_.checkpoint + " is at epoch " + std::to_string(start.epoch) +
                       " already; nothing is left to train");
  }

  if (writes) {
    openRunFolder(start.step);
    result.run_dir = run_dir_;
  } else {
    run_dir_.clear();
  }
  std::unique_ptr<MetricsLog> metrics;
  if (writes)
    metrics = std::make_unique<MetricsLog>(folder_->metricsPath(), experiment->scoreNames(),
                                           origin_.kind == RunOrigin::Kind::Resume);
  const std::string last_path = writes ? folder_->lastCheckpointPath() : "";
  const std::string best_path = writes ? folder_->bestCheckpointPath() : "";

  auto& model = experiment->model();
  model.to(device);
  auto optimizer = makeOptimizer(config_.optimizer, model.parameters());
  if (from_checkpoint)
    loadCheckpointFromBytes(start_bytes, origin_.checkpoint, model, optimizer.get());
  if (group) group->broadcastParameters(model);

  // Where the loop starts, and the random state it starts with.
  int first_epoch = 0;
  int64_t first_batch = 0;
  int64_t step = 0;
  double elapsed_before = 0;
  std::string epoch_rng_state;
  CheckpointInfo info;
  if (from_checkpoint) {
    first_epoch = start.epoch;
    first_batch = start.batches_into_epoch;
    step = start.step;
    elapsed_before = start.elapsed_seconds;
    if (origin_.kind == RunOrigin::Kind::Resume) {
      info.best_score = start.best_score;
      info.have_best = start.have_best;
    }
    if (start.format_version >= 2) {
      restoreGeneratorState(rng, start.rng_state, origin_.checkpoint);
      epoch_rng_state = start.epoch_rng_state;
      if (start.torch_rng_state.defined()) restoreTorchGeneratorState(start.torch_rng_state);
    } else {
      first_batch = 0;  // format 1 has no position inside an epoch
      observer_.onMessage(origin_.checkpoint +
                          ": written before checkpoints kept the random state; the data order "
                          "and random draws continue from the seed instead of exactly");
    }
    observer_.onMessage(
        std::string(origin_.kind == RunOrigin::Kind::Resume ? "resuming" : "forking") + " from " +
        origin_.checkpoint + " at " + where(first_epoch, step));
  }
  if (group) {
    // Same weights, different random draws (sampling, teacher forcing) on each rank. Rank 0
    // continues its saved generator; the others restart theirs from the seed and the step.
    if (rank != 0 || !from_checkpoint)
      torch::manual_seed(config_.train.seed + static_cast<std::uint64_t>(rank) +
                         static_cast<std::uint64_t>(step) * 7919u);
  }

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
  // A data-parallel stop is agreed on inside a step, so a run can stop after an epoch's last
  // batch and before its evaluation: resuming it runs that epoch's end and goes on.
  if (first_batch > length.iterations_per_epoch)
    throw InputError(origin_.checkpoint + ": stopped after batch " + std::to_string(first_batch) +
                     " of an epoch that now has " + std::to_string(length.iterations_per_epoch) +
                     " (the training data changed?)");
  observer_.onRunStarted(run_dir_, total_steps);

  const auto session_started = Clock::now();
  const int64_t session_first_step = step;
  auto elapsed = [&] { return elapsed_before + secondsSince(started); };
  ThroughputMeter throughput;
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
  // last.pt after `epochs_done` whole epochs and `batches_into_epoch` batches of the next.
  auto saveLast = [&](int epochs_done, int64_t batches_into_epoch) {
    if (!writes) return;
    info.epoch = epochs_done;
    info.step = step;
    info.batches_into_epoch = batches_into_epoch;
    info.elapsed_seconds = elapsed();
    info.config_yaml = configToYaml(config_);
    info.rng_state = saveGeneratorState(rng);
    info.epoch_rng_state = epoch_rng_state;
    info.torch_rng_state = torchGeneratorState();
    saveCheckpoint(last_path, model, optimizer.get(), info);
  };
  auto stopped = [&](int epoch, int64_t batch, const std::string& why) {
    // A stop before the epoch's first batch saves the state from before its shuffle, so the
    // resumed run shuffles again exactly as this one did.
    if (batch == 0 && !epoch_rng_state.empty()) restoreGeneratorState(rng, epoch_rng_state, "");
    saveLast(epoch, batch);
    return finish(
        RunStatus::Stopped, epoch,
        "stopped at " + where(epoch, step) + why +
            (writes ? "; saved " + last_path + " (continue with `cvae-cli resume " + run_dir_ + "`)"
                    : std::string()));
  };

  for (int epoch = first_epoch; epoch < config_.train.epochs; ++epoch) {
    setLearningRate(*optimizer, learningRate(config_.optimizer, epoch, config_.train.epochs));
    int64_t batch = 0;
    if (epoch == first_epoch && first_batch > 0) {
      // Continue inside the epoch: its shuffle again from the state it started with, then the
      // generator as it was at the stop.
      std::mt19937_64 replay;
      restoreGeneratorState(replay, epoch_rng_state, origin_.checkpoint);
      experiment->startEpoch(replay);
      batch = first_batch;
    } else {
      epoch_rng_state = saveGeneratorState(rng);
      experiment->startEpoch(rng);
    }
    for (; batch < length.iterations_per_epoch; ++batch) {
      // Distributed runs cannot pause (the other ranks would time out); a stop is agreed on
      // inside the step instead.
      if (!group && !control_.waitWhilePaused()) return stopped(epoch, batch, "");
      if (auto edit = control_.takeEdit()) {
        config_.kl = edit->kl;
        config_.teacher_forcing = edit->teacher_forcing;
        config_.optimizer.learning_rate = edit->learning_rate;
        setLearningRate(*optimizer, learningRate(config_.optimizer, epoch, config_.train.epochs));
        if (metrics) metrics->writeEdit(epoch, step, elapsed());
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
                      "the loss became " + formatGeneral(total, 6) + " at " +
                          where(epoch, step + 1) + " (beta " + formatGeneral(schedule.beta, 4) +
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
      report.elapsed_seconds = elapsed();
      report.eta_seconds =
          secondsSince(session_started) / (step - session_first_step) * (total_steps - step);
      if (metrics) metrics->writeProgress(report);
      observer_.onProgress(report);
      if (stop_agreed) return stopped(epoch, batch + 1, " (a rank asked to stop)");
    }

    const bool last_epoch = epoch + 1 == config_.train.epochs;
    const bool evaluate = (epoch + 1) % config_.evaluation.every_epochs == 0 || last_epoch;
    if (writes && evaluate) {
      model.eval();
      EvaluationReport report;
      report.epoch = epoch;
      report.step = step;
      report.evaluation = experiment->evaluate();
      const double score = experiment->selectionScore(report.evaluation);
      metrics->writeEvaluation(epoch, step, elapsed(), report.evaluation.scores);
      info.scores = report.evaluation.scores;
      if (!info.have_best || score > info.best_score) {
        info.have_best = true;
        info.best_score = score;
        report.new_best = true;
        info.epoch = epoch + 1;
        info.step = step;
        info.batches_into_epoch = 0;
        info.elapsed_seconds = elapsed();
        info.config_yaml = configToYaml(config_);
        info.rng_state = saveGeneratorState(rng);
        info.epoch_rng_state.clear();
        info.torch_rng_state = torchGeneratorState();
        saveCheckpoint(best_path, model, optimizer.get(), info);
      }
      writePreviewFile(folder_->previewsPath(), SavedPreviews{epoch, step, report.evaluation});
      observer_.onEvaluation(report);
    }
    if (evaluate || (epoch + 1) % config_.train.checkpoint_every_epochs == 0)
      saveLast(epoch + 1, 0);
  }
  if (!writes)
    return finish(RunStatus::Completed, config_.train.epochs,
                  "rank " + std::to_string(rank) + " finished " +
                      std::to_string(config_.train.epochs) + " epochs (rank 0 wrote the run)");
  return finish(RunStatus::Completed, config_.train.epochs,
                "finished " + std::to_string(config_.train.epochs) + " epochs; best " +
                    config_.evaluation.best_by + " " + formatGeneral(info.best_score, 6) + " in " +
                    best_path);
}

}  // namespace cvae
