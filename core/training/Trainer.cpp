#include "core/training/Trainer.h"

#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <memory>

#include "core/config/ConfigIo.h"
#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentFacts.h"
#include "core/experiments/EmbeddedData.h"
#include "core/experiments/ExperimentRegistry.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/runs/MetricsFile.h"
#include "core/runs/RunFolder.h"
#include "core/schedules/Schedules.h"
#include "core/training/Checkpoint.h"
#include "core/training/LatentLog.h"
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
  if (const std::string blocker = blockerAlongPath(base.string()); !blocker.empty())
    throw InputError("output.dir " + config.output.dir +
                     ": cannot create the run folder: " + blocker);
  fs::path dir = base;
  for (int i = 2; fs::exists(dir); ++i) dir = base.string() + "-" + std::to_string(i);
  fs::create_directories(dir);
  return dir.string();
}

// Everything a run builds and moves along; lives from train()'s start to the run's end.
struct Trainer::State {
  Clock::time_point started = Clock::now();
  c10::Device device{c10::kCPU};
  std::mt19937_64 rng;
  std::unique_ptr<Experiment> experiment;
  std::unique_ptr<DataParallelGroup> group;
  int world = 1, rank = 0;
  bool writes = true;  // only rank 0 evaluates and writes the run folder
  std::unique_ptr<MetricsLog> metrics;
  std::unique_ptr<LatentLog> latent;
  CollapseWatch collapse;
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  StepHooks hooks;
  bool stop_agreed = false;
  RunLength length{1, 1};
  int64_t total_steps = 0;

  // Where the run stands, and where it started in this process.
  int64_t step = 0;
  int epoch = 0;  // the epoch under way: as many are done
  int first_epoch = 0;
  int64_t first_batch = 0;
  int64_t session_first_step = 0;
  double elapsed_before = 0;  // training time of earlier processes (resume, fork)
  double paused_seconds = 0;  // of this process: not training time
  Clock::time_point session_started = Clock::now();
  std::string epoch_rng_state;  // `rng` before the current epoch's shuffle
  CheckpointInfo info;          // what the next checkpoint says; best score so far
  ThroughputMeter throughput;

  // The checkpoint a resume or fork starts from.
  std::string start_bytes;
  CheckpointInfo start;
  // > 0: the parent's batches an epoch, when a fork trains another number (checkStartScale);
  // -1: another scale inside epoch 1, where the number is not known.
  int64_t rebase_from = 0;

  RunResult result;
};

Trainer::Trainer(ExperimentConfig config, TrainingObserver& observer, RunControl& control)
    : config_(std::move(config)), observer_(observer), control_(control) {}

Trainer::~Trainer() = default;

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
    result.input_error = true;
  } catch (const JoinStopped& e) {  // before any step: no folder, nothing to save
    result.status = RunStatus::Stopped;
    result.message = std::string(e.what()) + "; nothing was trained";
  } catch (const c10::Error& e) {
    result.status = RunStatus::Failed;
    result.message = std::string("tensor error: ") + e.what_without_backtrace();
  } catch (const std::exception& e) {
    result.status = RunStatus::Failed;
    result.message = e.what();
  }
  if (result.run_dir.empty()) result.run_dir = run_dir_;
  if (state_ && result.status == RunStatus::Failed && result.steps_done == 0) {
    // How far a run that threw got: status.yaml said 0 epochs of a run failed in epoch 23.
    result.steps_done = state_->step;
    result.epochs_done = state_->epoch;
  }
  writeFinalRecord(result);
  lock_.reset();
  observer_.onRunFinished(result);
  state_.reset();
  return result;
}

RunResult Trainer::train() {
  state_ = std::make_unique<State>();
  setUpExperiment();
  readStartCheckpoint();
  // The start checkpoint is loaded (and its checksums checked) before the run folder is
  // touched: a damaged checkpoint leaves a resumed run as it was and creates no fork folder.
  buildModel();
  // A stop asked for while the data loaded (a SIGTERM or the Stop button in the first seconds)
  // ends the run here, before its folder is made or changed: it went on to train a step and
  // write a run of it. Data-parallel ranks agree on a stop in their collectives instead.
  if (control_.stopRequested() && !distributed_.enabled()) {
    RunResult stopped;
    stopped.status = RunStatus::Stopped;
    stopped.message = "stopped before the first step; nothing was trained";
    return stopped;
  }
  if (state_->writes) openRunFolder();
  restorePosition();
  observer_.onRunStarted(run_dir_, state_->total_steps);

  for (int epoch = state_->first_epoch; epoch < config_.train.epochs; ++epoch) {
    state_->epoch = epoch;
    startEpoch(epoch);
    const int64_t first = epoch == state_->first_epoch ? state_->first_batch : 0;
    for (int64_t batch = first; batch < state_->length.iterations_per_epoch; ++batch)
      if (auto end = trainBatch(epoch, batch)) return *end;
    endEpoch(epoch);
  }
  if (!state_->writes)
    return finish(RunStatus::Completed, config_.train.epochs,
                  "rank " + std::to_string(state_->rank) + " finished " +
                      std::to_string(config_.train.epochs) + " epochs (rank 0 wrote the run)");
  return finish(RunStatus::Completed, config_.train.epochs,
                "finished " + std::to_string(config_.train.epochs) + " epochs; best " +
                    config_.evaluation.best_by + " " + formatGeneral(state_->info.best_score, 6) +
                    " in " + folder_->bestCheckpointPath());
}

// The process, the data and the experiment; for data parallel, the group and this rank's
// shard of every epoch.
void Trainer::setUpExperiment() {
  State& s = *state_;
  torch::manual_seed(config_.train.seed);
  s.rng.seed(config_.train.seed);
  s.device = prepareTrainingProcess(config_.train);
  // A data-parallel rank that cannot start (its data missing, say) still joins the group and
  // says so there: the others stopped at once instead of waiting out the join timeout.
  std::exception_ptr refused;
  try {
    if (resolveDataPaths(config_, [this](const std::string& m) { observer_.onMessage(m); }))
      observer_.onMessage("made the embedded default data set in " +
                          embeddedDataFiles(config_.kind).dir);
    s.experiment = factory_ ? factory_(config_, s.device)
                            : experimentEntry(config_.kind).create(config_, s.device);
    s.experiment->requireTrainableData();  // a training word longer than model.max_length
    // A run evaluates: an unreadable test file fails now, not after the first epochs. Only
    // rank 0 evaluates; the other ranks may not see its disk, so they need no test file.
    if (!distributed_.enabled() || distributed_.rank == 0) s.experiment->requireTestData();
    // Rank 0 makes the run folder after the collectives have begun, where its refusal would
    // reach the others as lost contact: a path that cannot hold a folder is found now.
    if (distributed_.enabled() && distributed_.rank == 0 && !run_dir_.empty())
      RunLock::checkPlace(run_dir_);
  } catch (const std::exception&) {
    if (!distributed_.enabled()) throw;
    refused = std::current_exception();
  }
  if (distributed_.enabled()) {
    s.world = distributed_.world_size;
    s.rank = distributed_.rank;
    s.writes = s.rank == 0;
    observer_.onMessage("rank " + std::to_string(s.rank) + " of " + std::to_string(s.world) +
                        ": joining the group at " + distributed_.master_addr + ":" +
                        std::to_string(distributed_.master_port));
    s.group = std::make_unique<DataParallelGroup>(distributed_,
                                                  [this] { return control_.stopRequested(); });
    checkEveryRankStarted(*s.group, refused != nullptr);
    if (refused) std::rethrow_exception(refused);
    checkSameConfigAsRankZero(*s.group, config_);
    // A resume on one rank beside a fresh train on another would leave their collectives apart
    // (rank 0 waited for a checkpoint the other never asked for).
    checkSameAsRankZero(
        *s.group, "how the run starts", static_cast<int64_t>(origin_.kind), [](int64_t kind) {
          return kind == static_cast<int64_t>(RunOrigin::Kind::Resume) ? std::string("a resume")
                 : kind == static_cast<int64_t>(RunOrigin::Kind::Fork) ? std::string("a fork")
                                                                       : std::string("a new run");
        });
    s.experiment->setShard(s.rank, s.world);
  }
  if (!s.writes) run_dir_.clear();
}

// The checkpoint a resume or fork starts from: rank 0 reads it and sends it to the others,
// which may not see rank 0's disk.
void Trainer::readStartCheckpoint() {
  State& s = *state_;
  if (origin_.kind == RunOrigin::Kind::Fresh) return;
  if (s.writes) s.start_bytes = readCheckpointBytes(origin_.checkpoint);
  if (s.group) s.start_bytes = s.group->broadcastBytes(s.start_bytes);
  s.start = checkpointInfoFromBytes(s.start_bytes, origin_.checkpoint);
  if (s.start.epoch >= config_.train.epochs)
    throw InputError("train.epochs=" + std::to_string(config_.train.epochs) + ": " +
                     origin_.checkpoint + " is at epoch " + std::to_string(s.start.epoch) +
                     " already; nothing is left to train");
}

// The run folder, new or continued, the record that says this process now runs it, and the
// metrics log.
void Trainer::openRunFolder() {
  const int64_t start_step = state_->start.step;
  if (run_dir_.empty()) run_dir_ = makeRunDirectory(config_);
  // `train --from runs/x --run-dir runs/x --overwrite` replaced the parent with its fork: its
  // steps, evaluations and best.pt gone, and status.yaml naming the run as its own parent.
  if (origin_.kind == RunOrigin::Kind::Fork) {
    std::error_code ec;
    fs::path parent = origin_.run_dir.empty() ? fs::path(origin_.checkpoint).parent_path()
                                              : fs::path(origin_.run_dir);
    if (parent.empty()) parent = ".";
    if (fs::equivalent(run_dir_, parent, ec))
      throw InputError("--run-dir " + run_dir_ + ": the folder of the run it forks from (" +
                       origin_.checkpoint +
                       "); a fork writes a folder of its own and leaves its parent as it was: "
                       "choose another --run-dir");
  }
  // Before anything is read or written: another process writing this folder refuses us here.
  lock_ = std::make_unique<RunLock>(run_dir_);
  if (origin_.kind == RunOrigin::Kind::Resume) {
    // Everything is read and checked before anything is written, so a run that cannot be
    // continued keeps its files and its record as they were. (The lock above already says no
    // other process writes it.)
    RunFolder folder = RunFolder::open(run_dir_);
    folder.checkFilesReplaceable();
    try {
      record_ = folder.readRecord().value_or(RunRecord{});
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) +
                       "; remove status.yaml to continue the run (a new one is written, without "
                       "the start time and fork parent the damaged one held)");
    }
    auto expected = MetricsLog::trainColumns();
    for (const auto& name : state_->experiment->scoreNames()) expected.push_back(name);
    // Missing or empty (a crash before its header line, a file removed): begun again below, the
    // rows before being lost already; not refused as "another experiment's columns" or as a file
    // that cannot be opened, with no way forward.
    std::error_code ec;
    const bool metrics_missing = !fs::exists(folder.metricsPath(), ec);
    const bool metrics_empty = metrics_missing || fs::file_size(folder.metricsPath(), ec) == 0;
    if (!metrics_empty) {
      MetricsColumns columns;
      readMetricsFile(folder.metricsPath(), &columns);  // names a malformed line
      if (columns.names().empty())
        throw InputError(folder.metricsPath() +
                         ":1: its header line is cut short (no line end); remove the file to "
                         "resume with a new one");
      if (columns.names() != expected)
        throw InputError(folder.metricsPath() + ":1: its columns are not this experiment's");
    }
    folder.readEdits();
    // The collapse watch's file is checked as metrics.csv is, before anything trains: one that
    // is malformed, or made for another latent size, is named now, not after an epoch.
    bool has_latent = fs::exists(folder.latentPath(), ec);
    if (has_latent) {
      MetricsColumns latent_columns;
      readMetricsFile(folder.latentPath(), &latent_columns);  // names a malformed line
      if (latent_columns.names().empty()) {
        has_latent = false;  // empty (a crash before its header): written anew
        fs::remove(folder.latentPath(), ec);
      } else if (experimentFacts(config_.kind).has_collapse_watch &&
                 !LatentLog::columnsFit(latent_columns.names(),
                                        static_cast<size_t>(config_.model.latent_size))) {
        const auto& names = latent_columns.names();
        const auto dimensions = std::count_if(names.begin(), names.end(), [](const auto& n) {
          return n.size() > 3 && n.rfind("kl_", 0) == 0 && std::isdigit(n[3]);
        });
        throw InputError(folder.latentPath() + ":1: its columns are not this model's (" +
                         std::to_string(dimensions) + " latent dimensions where the model has " +
                         std::to_string(config_.model.latent_size) +
                         "); move it away to resume without it");
      }
    }
    if (record_.started.empty()) record_.started = utcTimestamp();
    ++record_.resumes;
    folder.truncateEdits(start_step);
    if (has_latent) truncateMetricsFile(folder.latentPath(), start_step);
    if (metrics_empty) {
      MetricsWriter(folder.metricsPath(), expected, MetricsWriter::Mode::Create);  // the header
      observer_.onMessage(std::string("metrics.csv: warning: it was ") +
                          (metrics_missing ? "missing" : "empty") + "; it starts again at step " +
                          std::to_string(start_step) + " (the rows before are lost)");
    } else {
      bool cut_line = false;
      const int64_t dropped = truncateMetricsFile(folder.metricsPath(), start_step, &cut_line);
      if (cut_line) observer_.onMessage("metrics.csv: dropped its last line, which was cut short");
      if (dropped > 0)
        observer_.onMessage("metrics.csv: dropped " + std::to_string(dropped) +
                            " rows written after the checkpoint at step " +
                            std::to_string(start_step));
      int64_t last_step = 0;
      for (const auto& row : readMetricsFile(folder.metricsPath()))
        if (row.record == "train") last_step = row.step;
      if (last_step != start_step)
        observer_.onMessage("metrics.csv: warning: its last step is " + std::to_string(last_step) +
                            " but the checkpoint is at step " + std::to_string(start_step) +
                            "; the rows between are missing (the file was cut or edited)");
    }
    // What the resume changed (more epochs, a moved data file, threads) is the run's config
    // from now on: config.yaml says it, so diff, the runs table and a later resume read it.
    folder.writeConfig(config_);
    folder_ = folder;
  } else {
    RunFolder created = RunFolder::create(run_dir_, overwrite_);
    created.checkFilesReplaceable();  // --overwrite removes files, not a folder in a file's place
    folder_ = created;
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
  state_->result.run_dir = run_dir_;
  state_->metrics =
      std::make_unique<MetricsLog>(folder_->metricsPath(), state_->experiment->scoreNames(),
                                   origin_.kind == RunOrigin::Kind::Resume);
  state_->latent =
      std::make_unique<LatentLog>(folder_->latentPath(), origin_.kind == RunOrigin::Kind::Resume);
}

// The model on its device, the optimizer, and the start checkpoint's weights and state; every
// rank starts from rank 0's weights.
void Trainer::buildModel() {
  State& s = *state_;
  auto& model = s.experiment->model();
  model.to(s.device);
  s.optimizer = makeOptimizer(config_.optimizer, model.parameters());
  if (origin_.kind != RunOrigin::Kind::Fresh)
    loadCheckpointFromBytes(s.start_bytes, origin_.checkpoint, model, s.optimizer.get());
  if (s.group) {
    s.group->broadcastParameters(model);
    s.hooks.agree = [&s, this](bool finite) {
      const auto sums = s.group->sum({finite ? 0.0 : 1.0, control_.stopRequested() ? 1.0 : 0.0});
      s.stop_agreed = sums[1] > 0;
      return sums[0] == 0;
    };
    s.hooks.after_backward = [&s, &model] { s.group->averageGradients(model); };
  }
  const int64_t batches = s.experiment->batchesPerEpoch();
  // Training data of another size on another node (data paths may differ per node) would end
  // the ranks' epochs apart: rank 0 recorded a finished run while the other failed.
  if (s.group)
    checkSameAsRankZero(*s.group, "training batches per epoch", batches,
                        [](int64_t n) { return std::to_string(n) + " batches an epoch"; });
  if (batches < s.world)
    throw InputError("the training set gives " + std::to_string(batches) +
                     " batches per epoch, fewer than the " + std::to_string(s.world) + " ranks");
  s.length = RunLength{config_.train.epochs, batches / s.world};
  s.total_steps = s.length.totalIterations();
  checkStartScale();
}

// A run's step counts batches at its own number an epoch: its schedules, its length and the
// plots' epoch axis (step / batches an epoch) all take that as given. A parent trained with
// another batch size, training set or number of ranks reached the same epoch in another number
// of steps: a fork then counting on from the parent's step planned β over one scale and applied
// it on another (β never reached max_beta, the run "ended" at epoch 6.3 of 5). A fork counts on
// its own scale from the start of its epoch; a resume, which continues the run as it was, says
// so. (Inside epoch 1 the steps show no scale: the parent's batch size and training file do.)
void Trainer::checkStartScale() {
  State& s = *state_;
  const CheckpointInfo& start = s.start;
  if (origin_.kind == RunOrigin::Kind::Fresh || start.format_version < 2) return;
  const int64_t ours = s.length.iterations_per_epoch;
  // Before the run folder is written: a refused resume had rewritten status.yaml (failed,
  // epochs_done 0) and config.yaml, and a refused fork left a failed folder behind.
  const auto checkInsideThisEpoch = [&] {
    // A data-parallel stop is agreed on inside a step, so a run can stop after an epoch's last
    // batch and before its evaluation: resuming it runs that epoch's end and goes on.
    if (start.batches_into_epoch > ours)
      throw InputError(origin_.checkpoint + ": stopped after batch " +
                       std::to_string(start.batches_into_epoch) + " of an epoch that now has " +
                       std::to_string(ours) + " (the training data changed?)");
  };
  if (start.epoch == 0) {
    // Inside epoch 1 the steps show no scale; the parent's config does. A fork with another
    // batch size or training file begins epoch 1 anew: its batch N is not the parent's.
    if (origin_.kind == RunOrigin::Kind::Fork && start.batches_into_epoch > 0) {
      const ExperimentConfig parent = checkpointConfig(start, origin_.checkpoint);
      if (parent.train.batch_size != config_.train.batch_size ||
          parent.data.train != config_.data.train) {
        s.rebase_from = -1;  // unknown: the epoch begins anew
        return;
      }
    }
    checkInsideThisEpoch();
    return;
  }
  if (start.step == start.epoch * ours + start.batches_into_epoch) {
    checkInsideThisEpoch();
    return;
  }
  const int64_t theirs = (start.step - start.batches_into_epoch) / start.epoch;
  if (origin_.kind == RunOrigin::Kind::Resume) {
    checkInsideThisEpoch();
    // Its metrics.csv goes on in the same file, whose rows the plots place on one scale; a
    // multi-rank run continued on fewer ranks is a use the resume keeps. Said, not hidden.
    observer_.onMessage(
        "warning: the run trained " + std::to_string(theirs) + " batches an epoch and now trains " +
        std::to_string(ours) +
        " (another number of ranks, or a training file of another size): its steps go on from "
        "the checkpoint's, so its schedules and the plots' epoch axis keep the first scale and "
        "do not end where they were planned; to plan them anew on this scale, fork it "
        "(cvae-cli train CONFIG --from " +
        (run_dir_.empty() ? origin_.checkpoint : run_dir_) + ")");
    return;
  }
  s.rebase_from = theirs;
}

// Where the loop starts and the random state it starts with: the start checkpoint's for a
// resume or fork, the seed's for a new run.
void Trainer::restorePosition() {
  State& s = *state_;
  if (origin_.kind != RunOrigin::Kind::Fresh) {
    const CheckpointInfo& start = s.start;
    s.first_epoch = start.epoch;
    s.first_batch = start.batches_into_epoch;
    s.step = start.step;
    s.elapsed_before = start.elapsed_seconds;
    if (origin_.kind == RunOrigin::Kind::Resume) {  // a fork keeps its own best
      s.info.best_score = start.best_score;
      s.info.have_best = start.have_best;
    }
    if (start.format_version < 3)
      observer_.onMessage(origin_.checkpoint +
                          ": written by an older version without checksums; "
                          "its content cannot be verified");
    if (start.format_version >= 2) {
      restoreGeneratorState(s.rng, start.rng_state, origin_.checkpoint);
      s.epoch_rng_state = start.epoch_rng_state;
      if (start.torch_rng_state.defined()) restoreTorchGeneratorState(start.torch_rng_state);
    } else {
      s.first_batch = 0;  // format 1 has no position inside an epoch
      observer_.onMessage(origin_.checkpoint +
                          ": written before checkpoints kept the random state; the data order "
                          "and random draws continue from the seed instead of exactly");
    }
    observer_.onMessage(
        std::string(origin_.kind == RunOrigin::Kind::Resume ? "resuming" : "forking") + " from " +
        origin_.checkpoint + " after step " + std::to_string(s.step) + ", in epoch " +
        std::to_string(s.first_epoch + 1));
    if (s.rebase_from != 0) {
      const int64_t ours = s.length.iterations_per_epoch;
      std::string note =
          (s.rebase_from > 0 ? "the parent trained " + std::to_string(s.rebase_from) +
                                   " batches an epoch, this fork trains " + std::to_string(ours) +
                                   " (another batch size, training set or number of ranks)"
                             : "the parent trained another batch size or training file") +
          ": the fork's steps count on its own scale, from step " +
          std::to_string(s.first_epoch * ours) + " of " + std::to_string(s.total_steps) +
          ", so its schedules follow its own plan";
      if (s.first_batch > 0)
        note += "; epoch " + std::to_string(s.first_epoch + 1) +
                " begins anew (the parent had trained " + std::to_string(s.first_batch) +
                " of its batches)";
      s.first_batch = 0;
      s.step = s.first_epoch * ours;
      observer_.onMessage(note);
    }
  }
  if (s.group && (s.rank != 0 || origin_.kind == RunOrigin::Kind::Fresh)) {
    // Same weights, different random draws (sampling, teacher forcing) on each rank. Rank 0
    // continues its saved generator; the others restart theirs from the seed and the step.
    torch::manual_seed(config_.train.seed + static_cast<std::uint64_t>(s.rank) +
                       static_cast<std::uint64_t>(s.step) * 7919u);
  }
  s.session_started = Clock::now();
  s.session_first_step = s.step;
}

// The epoch's learning rate and shuffle. Continuing inside an epoch replays its shuffle from
// the state it started with; the generator is then already where the stop left it.
void Trainer::startEpoch(int epoch) {
  State& s = *state_;
  setLearningRate(*s.optimizer, learningRate(config_.optimizer, epoch, config_.train.epochs));
  if (epoch == s.first_epoch && s.first_batch > 0) {
    std::mt19937_64 replay;
    restoreGeneratorState(replay, s.epoch_rng_state, origin_.checkpoint);
    s.experiment->startEpoch(replay);
  } else {
    s.epoch_rng_state = saveGeneratorState(s.rng);
    s.experiment->startEpoch(s.rng);
  }
}

std::optional<RunResult> Trainer::trainBatch(int epoch, int64_t batch) {
  State& s = *state_;
  // Distributed runs cannot pause (the other ranks would time out); a stop is agreed on
  // inside the step instead.
  // Time spent paused is not training time: elapsed_s, the time axis and the ETA leave it out,
  // so time-to-quality comparisons stay fair.
  const bool was_paused = control_.isPaused();
  const auto wait_started = Clock::now();
  const bool go_on = s.group || control_.waitWhilePaused();
  if (was_paused) s.paused_seconds += secondsSince(wait_started);
  if (!go_on) return stopped(epoch, batch, "");
  if (auto edit = control_.takeEdit()) {
    const ExperimentConfig before = config_;
    config_.kl = edit->kl;
    config_.teacher_forcing = edit->teacher_forcing;
    config_.optimizer.learning_rate = edit->learning_rate;
    setLearningRate(*s.optimizer, learningRate(config_.optimizer, epoch, config_.train.epochs));
    const auto changes = configDifferences(before, config_);
    // The edit row marks the plots; edits.yaml says what changed (and the checkpoints carry the
    // config as it now runs, which a reopened or resumed run shows).
    if (s.metrics) s.metrics->writeEdit(epoch, s.step, elapsed());
    if (folder_ && !changes.empty()) folder_->appendEdit({epoch, s.step, elapsed(), changes});
    std::string said;
    for (const auto& c : changes)
      said += (said.empty() ? "" : ", ") + c.key + " " + c.from + " -> " + c.to;
    observer_.onScheduleChanged(s.step);
    observer_.onMessage("schedules changed at step " + std::to_string(s.step) +
                        (said.empty() ? std::string(" (no value changed)") : ": " + said));
  }
  StepSchedule schedule;
  schedule.beta = klBeta(config_.kl, RunPosition{epoch, s.step}, s.length);
  schedule.teacher_forcing = teacherForcingRatio(config_.teacher_forcing, epoch);

  const auto step_started = Clock::now();
  const StepLoss loss =
      optimizationStep(*s.experiment, *s.optimizer, batch * s.world + s.rank, schedule,
                       config_.optimizer.grad_clip, s.rng, s.group ? &s.hooks : nullptr);
  const double total = loss.total.item<double>();
  if (!std::isfinite(total)) {
    const bool saved = folder_ && fs::exists(folder_->lastCheckpointPath());
    return finish(RunStatus::Failed, epoch,
                  "the loss became " + formatGeneral(total, 6) + " at " + where(epoch, s.step + 1) +
                      " (beta " + formatGeneral(schedule.beta, 4) + "); training stopped. " +
                      // Before any update the weights are as initialised: the data is the suspect.
                      (s.step == 0 ? std::string("At the first step this points at the data: "
                                                 "look for values far outside the others (such "
                                                 "as 1e38 in a CSV).")
                                   : std::string("Try a lower learning rate or gradient "
                                                 "clipping.")) +
                      (saved ? " The last good checkpoint is " + folder_->lastCheckpointPath()
                             : std::string(" No checkpoint had been saved.")));
  }
  ++s.step;
  s.throughput.add(loss.items * s.world, secondsSince(step_started));

  ProgressReport report;
  report.epoch = epoch;
  report.epochs = config_.train.epochs;
  report.step = s.step;
  report.total_steps = s.total_steps;
  report.batches_per_epoch = s.length.iterations_per_epoch;
  report.loss = total;
  report.reconstruction = loss.reconstruction;
  report.kl = loss.kl;
  report.beta = schedule.beta;
  report.teacher_forcing = schedule.teacher_forcing;
  report.learning_rate = s.optimizer->param_groups().front().options().get_lr();
  report.items_per_second = s.throughput.perSecond();
  report.elapsed_seconds = elapsed();
  report.eta_seconds = (secondsSince(s.session_started) - s.paused_seconds) /
                       static_cast<double>(s.step - s.session_first_step) *
                       static_cast<double>(s.total_steps - s.step);
  if (s.metrics) s.metrics->writeProgress(report);
  observer_.onProgress(report);
  if (s.stop_agreed) return stopped(epoch, batch + 1, " (a rank asked to stop)");
  return std::nullopt;
}

// Evaluation (rank 0, every evaluation.every_epochs and after the last epoch) with best.pt and
// previews, then last.pt when due.
void Trainer::endEpoch(int epoch) {
  State& s = *state_;
  const bool last_epoch = epoch + 1 == config_.train.epochs;
  const bool evaluate = (epoch + 1) % config_.evaluation.every_epochs == 0 || last_epoch;
  if (s.writes && evaluate) {
    auto& model = s.experiment->model();
    model.eval();
    EvaluationReport report;
    report.epoch = epoch;
    report.step = s.step;
    report.evaluation = s.experiment->evaluate();
    const double score = s.experiment->selectionScore(report.evaluation);
    s.metrics->writeEvaluation(epoch, s.step, elapsed(), report.evaluation.scores);
    if (const auto& latent = report.evaluation.latent) {
      s.latent->write(epoch, s.step, elapsed(), *latent);
      const double beta =
          klBeta(config_.kl, RunPosition{epoch, std::max<int64_t>(0, s.step - 1)}, s.length);
      s.collapse.setAnnealing(config_.kl);
      if (const auto warning = s.collapse.update(*latent, epoch, beta))
        observer_.onMessage(*warning);
    }
    CheckpointInfo& info = s.info;
    info.scores = report.evaluation.scores;
    if (!info.have_best || score > info.best_score) {
      info.have_best = true;
      info.best_score = score;
      report.new_best = true;
      recordPosition(epoch + 1, 0);
      saveCheckpoint(folder_->bestCheckpointPath(), model, s.optimizer.get(), info);
    }
    writePreviewFile(folder_->previewsPath(), SavedPreviews{epoch, s.step, report.evaluation});
    observer_.onEvaluation(report);
  }
  if (evaluate || (epoch + 1) % config_.train.checkpoint_every_epochs == 0) saveLast(epoch + 1, 0);
}

// last.pt after `epochs_done` whole epochs and `batches_into_epoch` batches of the next.
void Trainer::saveLast(int epochs_done, int64_t batches_into_epoch) {
  State& s = *state_;
  if (!s.writes) return;
  recordPosition(epochs_done, batches_into_epoch);
  saveCheckpoint(folder_->lastCheckpointPath(), s.experiment->model(), s.optimizer.get(), s.info);
}

// Where the run stands, into the info the next checkpoint writes: position, time, the config
// as it runs and both generators. The epoch's starting generator matters only inside an epoch.
void Trainer::recordPosition(int epochs_done, int64_t batches_into_epoch) {
  State& s = *state_;
  CheckpointInfo& info = s.info;
  info.epoch = epochs_done;
  info.step = s.step;
  info.batches_into_epoch = batches_into_epoch;
  info.elapsed_seconds = elapsed();
  info.config_yaml = configToYaml(config_);
  info.rng_state = saveGeneratorState(s.rng);
  if (batches_into_epoch > 0)
    info.epoch_rng_state = s.epoch_rng_state;
  else
    info.epoch_rng_state.clear();
  info.torch_rng_state = torchGeneratorState();
}

RunResult Trainer::stopped(int epoch, int64_t batch, const std::string& why) {
  State& s = *state_;
  // A stop before the epoch's first batch saves the state from before its shuffle, so the
  // resumed run shuffles again exactly as this one did.
  if (batch == 0 && !s.epoch_rng_state.empty())
    restoreGeneratorState(s.rng, s.epoch_rng_state, "the epoch's start");
  saveLast(epoch, batch);
  return finish(RunStatus::Stopped, epoch,
                "stopped at " + where(epoch, s.step) + why +
                    (s.writes ? "; saved " + folder_->lastCheckpointPath() +
                                    " (continue with `cvae-cli resume " + run_dir_ + "`)"
                              : std::string()));
}

// Every way out of the loop reports the same fields.
RunResult Trainer::finish(RunStatus status, int epochs_done, std::string message) {
  State& s = *state_;
  s.result.status = status;
  s.result.message = std::move(message);
  s.result.epochs_done = epochs_done;
  s.result.steps_done = s.step;
  s.result.best_score = s.info.best_score;
  s.result.seconds = secondsSince(s.started);
  return s.result;
}

// Training time so far, earlier processes' included, time spent paused not.
double Trainer::elapsed() const {
  return state_->elapsed_before + secondsSince(state_->started) - state_->paused_seconds;
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

}  // namespace cvae
