#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/ConfigIo.h"
#include "core/io/InputError.h"
#include "core/training/Distributed.h"
#include "core/training/Trainer.h"

namespace cvae::cli {
namespace {

std::atomic<bool> interrupted{false};
// The first signal asks for a stop after the current step (with a checkpoint); a second one,
// when that takes too long, ends the process with the signal's default action.
extern "C" void onInterrupt(int signal_number) {
  if (interrupted.exchange(true)) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

std::string clock(double seconds) {
  char buf[32];
  const int s = static_cast<int>(seconds + 0.5);
  std::snprintf(buf, sizeof buf, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

// Prints a live progress bar on a terminal, one line per epoch otherwise (logs, CI).
class ConsoleObserver : public TrainingObserver {
 public:
  ConsoleObserver(RunControl& control, std::string verb)
      : control_(control), verb_(std::move(verb)), tty_(::isatty(1)) {}

  void onRunStarted(const std::string& run_dir, int64_t total_steps) override {
    if (run_dir.empty())  // a data-parallel rank other than 0: it writes no folder
      std::printf("run directory: none on this rank, rank 0 writes the run (%lld steps)\n",
                  static_cast<long long>(total_steps));
    else
      std::printf("run directory: %s (%lld steps)\n", run_dir.c_str(),
                  static_cast<long long>(total_steps));
    std::fflush(stdout);
  }

  void onProgress(const ProgressReport& r) override {
    if (interrupted && !announced_) {
      clearBar();
      std::printf("interrupted: finishing the current step and saving a checkpoint\n");
      announced_ = true;
    }
    const bool epoch_end = r.step % r.batches_per_epoch == 0;
    if (tty_) {
      if (r.elapsed_seconds - last_draw_ < 0.1 && r.step != r.total_steps) return;
      last_draw_ = r.elapsed_seconds;
      const int width = 30;
      const int filled = static_cast<int>(width * r.step / std::max<int64_t>(1, r.total_steps));
      std::printf(
          "\r[%s%s] epoch %d/%d step %lld/%lld loss %.4f kl %.3f beta %.3f tf %.2f "
          "%.0f/s ETA %s ",
          std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), r.epoch + 1,
          r.epochs, static_cast<long long>(r.step), static_cast<long long>(r.total_steps), r.loss,
          r.kl, r.beta, r.teacher_forcing, r.items_per_second, clock(r.eta_seconds).c_str());
      std::fflush(stdout);
      bar_shown_ = true;
    } else if (epoch_end) {
      std::printf(
          "epoch %d/%d step %lld loss %.4f recon %.4f kl %.4f beta %.3f tf %.2f lr %.2g "
          "%.0f items/s elapsed %s ETA %s\n",
          r.epoch + 1, r.epochs, static_cast<long long>(r.step), r.loss, r.reconstruction, r.kl,
          r.beta, r.teacher_forcing, r.learning_rate, r.items_per_second,
          clock(r.elapsed_seconds).c_str(), clock(r.eta_seconds).c_str());
      std::fflush(stdout);
    }
  }

  void onEvaluation(const EvaluationReport& r) override {
    clearBar();
    std::printf("evaluation after epoch %d:", r.epoch + 1);
    for (const auto& [name, value] : r.evaluation.scores)
      std::printf(" %s %.4f", name.c_str(), value);
    if (const auto& latent = r.evaluation.latent)
      std::printf("  active units %d/%zu", latent->active_units, latent->kl.size());
    std::printf("%s\n", r.new_best ? "  (new best)" : "");
    if (!notes_printed_) {
      for (const auto& note : r.evaluation.notes) std::printf("  note: %s\n", note.c_str());
      notes_printed_ = true;
    }
    std::fflush(stdout);
  }

  void onMessage(const std::string& text) override {
    clearBar();
    std::printf("%s\n", text.c_str());
    // A message says what the run waits for (its peers, a data set being made): a log file
    // or pipe must show it now, not when the buffer fills.
    std::fflush(stdout);
  }

  void onRunFinished(const RunResult& result) override {
    clearBar();
    const char* status = result.status == RunStatus::Completed ? "done"
                         : result.status == RunStatus::Stopped ? "stopped"
                                                               : "failed";
    // A refused input reads as every verb's refusal does (and exits 2), not as a run's failure.
    const std::string said = result.input_error ? "cvae-cli " + verb_ : status;
    std::fprintf(result.status == RunStatus::Failed ? stderr : stdout, "%s: %s\n", said.c_str(),
                 result.message.c_str());
  }

 private:
  void clearBar() {
    if (bar_shown_) std::printf("\n");
    bar_shown_ = false;
  }
  RunControl& control_;
  std::string verb_;  // "train" or "resume", naming a refusal
  bool tty_;
  bool bar_shown_ = false;
  bool notes_printed_ = false;
  bool announced_ = false;  // the stop a signal asked for has been said
  double last_draw_ = -1;
};

// Hands a signal's stop request (the handler may only set a flag) to the run's control, also
// while no step runs to look at the flag: a rank waiting for the others to join stops at once.
class SignalForwarder {
 public:
  explicit SignalForwarder(RunControl& control)
      : thread_([this, &control] {
          std::unique_lock<std::mutex> lock(mutex_);
          while (!done_ && !interrupted) wake_.wait_for(lock, std::chrono::milliseconds(50));
          if (interrupted) control.requestStop();
        }) {}
  ~SignalForwarder() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;  // last: it starts once the members above exist
};

// Runs `trainer` with Ctrl-C wired to a clean stop; the exit code of the verb.
int runWithConsole(const std::string& verb, const ExperimentConfig& config,
                   const std::function<void(Trainer&)>& set_up) {
  RunControl control;
  ConsoleObserver observer(control, verb);
  // Ctrl-C, a scheduler's or `docker stop`'s SIGTERM and a closed terminal's SIGHUP all stop
  // after the current step with a checkpoint; a closed pipe on stdout must not kill the run.
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, onInterrupt);
  std::signal(SIGPIPE, SIG_IGN);
  SignalForwarder forwarder(control);
  Trainer trainer(config, observer, control);
  set_up(trainer);
  const auto result = trainer.run();
  // 0 finished, 2 refused its input (as every verb), 1 failed otherwise, 130 stopped early (as
  // a shell reports an interrupted command), so scripts can tell a stopped run from a finished one.
  if (result.status == RunStatus::Failed) return result.input_error ? 2 : 1;
  return result.status == RunStatus::Stopped ? 130 : 0;
}

DistributedSettings distributedSettings(const Arguments& a) {
  // Data parallel: torchrun's environment variables, overridden by the options.
  auto distributed = distributedSettingsFromEnvironment();
  if (a.has("--world-size")) distributed.world_size = a.intValue("--world-size", 1, 1, 4096);
  if (a.has("--rank")) distributed.rank = a.intValue("--rank", 0, 0, 4095);
  if (a.has("--master")) parseMaster(a.value("--master"), distributed);
  if (a.has("--timeout")) distributed.timeout_seconds = a.intValue("--timeout", 300, 1, 86400);
  validateDistributedSettings(distributed);
  return distributed;
}

// Runs `prepare` (reading the config, the run to resume or fork); when it refuses its input
// on a data-parallel rank, the rank still joins the group to say so before the refusal is
// reported, so that the others stop at once naming it instead of waiting out --timeout.
template <typename Prepare>
auto preparedOnEveryRank(const DistributedSettings& distributed, Prepare&& prepare)
    -> decltype(prepare()) {
  try {
    return prepare();
  } catch (const InputError&) {
    if (distributed.enabled()) {
      try {
        DataParallelGroup group(distributed);
        checkEveryRankStarted(group, /*refused=*/true);
      } catch (const std::exception&) {
        // The others are gone or never came: the refusal below is all there is to say.
      }
    }
    throw;
  }
}

}  // namespace

Command trainCommand() {
  return {"train",
          "train CONFIG [--set K=V ...] [--run-dir DIR [--overwrite]] [--from RUN_DIR|CHECKPOINT] "
          "[--world-size N --rank R --master H:P [--timeout S]]",
          "train an experiment, or fork one with --from; Ctrl-C stops after the current step "
          "and saves a checkpoint",
          [](const std::vector<std::string>& args) {
            Arguments a(
                args,
                {"--set", "--run-dir", "--from", "--world-size", "--rank", "--master", "--timeout"},
                {"--overwrite"});
            a.expectPositionals({"CONFIG"});
            const auto distributed = distributedSettings(a);
            ExperimentConfig config;
            std::optional<RunOrigin> fork;
            preparedOnEveryRank(distributed, [&] {
              config = loadConfigFileWithOverrides(a.positional(0, "CONFIG"), a.values("--set"));
              if (a.has("--from")) fork = prepareFork(config, a.value("--from"));
            });
            remarkOverridesWithoutEffect(config, a.values("--set"));
            return runWithConsole("train", config, [&](Trainer& trainer) {
              if (a.has("--run-dir"))
                trainer.setRunDirectory(a.value("--run-dir"), a.has("--overwrite"));
              if (fork) trainer.setOrigin(*fork);
              if (distributed.enabled()) trainer.setDistributed(distributed);
            });
          }};
}

Command resumeCommand() {
  return {"resume",
          "resume RUN_DIR [--set train.epochs=N ...] [--world-size N --rank R --master H:P "
          "[--timeout S]]",
          "continue a stopped, interrupted or finished run in place from its last.pt, exactly "
          "as if it had not stopped",
          [](const std::vector<std::string>& args) {
            Arguments a(args, {"--set", "--world-size", "--rank", "--master", "--timeout"});
            a.expectPositionals({"RUN_DIR"});
            const auto distributed = distributedSettings(a);
            const std::string run_dir = a.positional(0, "RUN_DIR");
            // Every rank reads the config from the folder (shared, or a copy); the checkpoint's
            // weights and state come from rank 0's. Only rank 0 checks that no one else runs it:
            // the others would see rank 0 itself.
            const auto prepared = preparedOnEveryRank(distributed, [&] {
              return prepareResume(run_dir, a.values("--set"),
                                   /*refuse_live=*/distributed.rank == 0);
            });
            remarkOverridesWithoutEffect(prepared.config, a.values("--set"));
            for (const auto& note : prepared.notes)
              std::fprintf(stderr, "note: %s\n", note.c_str());
            return runWithConsole("resume", prepared.config, [&](Trainer& trainer) {
              trainer.setOrigin(prepared.origin);
              if (distributed.enabled()) trainer.setDistributed(distributed);
            });
          }};
}

}  // namespace cvae::cli
