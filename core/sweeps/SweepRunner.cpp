#include "core/sweeps/SweepRunner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/analysis/MedianRule.h"
#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentFacts.h"
#include "core/experiments/EmbeddedData.h"
#include "core/io/AtomicFile.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/runs/RunFolder.h"
#include "core/schedules/ScheduleSummary.h"

extern char** environ;

namespace fs = std::filesystem;

namespace cvae {
namespace {

constexpr const char* kPrunedPrefix = "pruned";

std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last non-empty line of a member's log: usually the error that ended it.
std::string lastLogLine(const std::string& path) {
  std::istringstream in(readWholeFile(path));
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto cr = line.rfind('\r');  // a progress bar's redraws
    if (cr != std::string::npos) line = line.substr(cr + 1);
    if (line.rfind("== ", 0) == 0) continue;  // the sweep's own header before each start
    if (line.find_first_not_of(' ') != std::string::npos) last = line;
  }
  return last;
}

}  // namespace

SweepParallelism chooseParallelism(const SweepPlan& plan, int cores,
                                   std::optional<int> requested_parallel) {
  int threads = 1;
  for (const auto& m : plan.members) threads = std::max(threads, m.config.train.threads);
  SweepParallelism p;
  p.parallel = requested_parallel ? *requested_parallel : std::max(1, std::max(1, cores) / threads);
  p.parallel = std::max(1, std::min<int>(p.parallel, static_cast<int>(plan.members.size())));
  p.blas_threads = std::max(1, std::max(1, cores) / p.parallel);
  return p;
}

void checkSweepFolder(const std::string& out_dir, bool member_task) {
  std::error_code ec;
  const fs::path out = out_dir;
  if (out_dir.empty()) throw InputError("--out: the sweep folder's path is empty");
  if (RunFolder::holdsRun(out_dir))
    throw InputError(out_dir +
                     ": holds a run; a sweep needs its own folder (choose another --out)");
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    throw InputError(out_dir + ": not a folder (choose another --out)");
  if (const std::string blocker = blockerAlongPath((out / "sweep.yaml").string()); !blocker.empty())
    throw InputError(out_dir + ": " + blocker + " (choose another --out)");
  if (!fs::is_directory(out, ec) || fs::exists(out / "sweep.yaml", ec) || fs::is_empty(out, ec))
    return;
  // A member task of a Slurm array starts with its fellows: its script made DIR/logs, and one
  // of them may be writing sweep.yaml (through a temporary sweep.yaml.tmp-PID).
  bool others = !member_task;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    others |= name != "logs" && name.rfind("sweep.yaml", 0) != 0;
  }
  if (others)
    throw InputError(out_dir +
                     ": holds other files and no sweep; choose a new or empty folder for --out");
}

void checkStoredSweep(const std::string& out_dir, const SweepFile& file) {
  const std::string stored = (fs::path(out_dir) / "sweep.yaml").string();
  std::error_code ec;
  if (!fs::exists(stored, ec)) return;
  const std::string bytes = readWholeFile(stored);
  if (bytes == file.text) return;
  // A damaged copy (a NUL byte: a disk error, a binary written over it) is not "another sweep".
  if (bytes.find('\0') != std::string::npos)
    throw InputError(stored + ": damaged (it holds a NUL byte); copy " + file.path +
                     " over it to continue this sweep, or choose another --out");
  throw InputError(out_dir + ": holds another sweep (its sweep.yaml differs from " + file.path +
                   "); choose another --out");
}

SweepRunner::SweepRunner(SweepPlan plan, SweepRunOptions options)
    : plan_(std::move(plan)), options_(std::move(options)) {
  std::error_code ec;
  checkSweepFolder(options_.out_dir, options_.only.has_value());
  fs::create_directories(fs::path(options_.out_dir) / "logs", ec);
  if (ec) throw InputError(options_.out_dir + ": cannot create the sweep folder: " + ec.message());
  checkStoredSweep(options_.out_dir, plan_.file);
  const std::string stored = (fs::path(options_.out_dir) / "sweep.yaml").string();
  if (!fs::exists(stored, ec) && !options_.secondary_rank)
    writeFileAtomically(stored, plan_.file.text);

  const size_t n = plan_.members.size();
  members_.resize(n);
  pids_.assign(n, 0);
  checked_epochs_.assign(n, -1);
  prune_reasons_.assign(n, "");
  latent_readers_.resize(n);
  collapse_watch_off_.assign(n, false);
  resume_.assign(n, false);
  for (size_t i = 0; i < n; ++i) {
    digests_.emplace_back((fs::path(memberDir(i)) / "metrics.csv").string());
    readMemberState(i);
  }
  // Everything above only read; from here on this process writes the sweep.
  if (!options_.only)
    sweep_lock_ = std::make_unique<RunLock>(options_.out_dir, ".sweep.lock", "sweep folder",
                                            /*wait=*/false);
  writeSummary();
}

std::string SweepRunner::memberDir(size_t i) const {
  return (fs::path(options_.out_dir) / plan_.members[i].name).string();
}
std::string SweepRunner::logPath(size_t i) const {
  return (fs::path(options_.out_dir) / "logs" /
          (plan_.members[i].name + options_.log_suffix + ".log"))
      .string();
}
std::string SweepRunner::failureMarkPath(size_t i) const {
  return (fs::path(options_.out_dir) / "logs" / (plan_.members[i].name + ".failed")).string();
}
std::string SweepRunner::summaryPath() const {
  return (fs::path(options_.out_dir) / "summary.csv").string();
}

void checkMemberFolder(const SweepMember& member, const std::string& dir) {
  std::error_code ec;
  if (!RunFolder::holdsRun(dir) || !fs::exists(fs::path(dir) / "config.yaml", ec)) return;
  const ExperimentConfig config = RunFolder::open(dir).readConfig();
  // An empty data path is the embedded default, whose files the trainer wrote into the run's
  // config.yaml: compared as such (the presets leave them empty, and every re-run of their
  // sweeps was refused).
  ExperimentConfig expected = member.config;
  fillDefaultDataPaths(expected);
  const auto changes = configDifferences(expected, config);
  if (changes.empty()) return;
  std::string listed;
  for (const auto& c : changes)
    listed += (listed.empty() ? "" : ", ") + c.key + ": " + c.from + " in the sweep, " + c.to +
              " in the folder";
  throw InputError(dir + ": holds a run that is not member " + member.name + " of this sweep (" +
                   listed + "); choose another --out, or remove the folder to run the member anew");
}

void SweepRunner::readMemberState(size_t i) {
  const std::string dir = memberDir(i);
  MemberState& m = members_[i];
  m.run = RunSummary{};
  m.run.dir = dir;
  m.run.name = plan_.members[i].name;
  m.status = MemberStatus::Pending;
  resume_[i] = false;
  std::error_code ec;
  if (!RunFolder::holdsRun(dir) || !fs::exists(fs::path(dir) / "config.yaml", ec)) {
    if (fs::exists(failureMarkPath(i), ec)) {
      m.status = MemberStatus::Failed;
      m.note = readWholeFile(failureMarkPath(i));
    }
    return;  // not started, or ended before writing its config
  }
  checkMemberFolder(plan_.members[i], dir);
  const RunFolder folder = RunFolder::open(dir);
  digests_[i] = MetricsDigest((fs::path(dir) / "metrics.csv").string());
  m.run = summarizeRun(dir, &digests_[i]);
  // A damaged status.yaml says nothing of how the member ended, and resuming it fails on it: a
  // completed member was resumed, failed and was marked failed for good. It is left as failed,
  // not run, with what to do. (The sweep runner links no LibTorch, so last.pt is not read.)
  try {
    folder.readRecord();
  } catch (const InputError& e) {
    m.status = MemberStatus::Failed;
    m.note = std::string(e.what()) + "; remove it, then `cvae-cli resume " + dir +
             "` continues the member (or says it has finished)";
    return;
  }
  const auto record = m.run.record;
  // A failure the sweep recorded outlasts what the folder says (a damaged status.yaml reads
  // as interrupted, and resuming it would fail the same way).
  if (m.run.state != RunState::Completed && fs::exists(failureMarkPath(i), ec)) {
    m.status = MemberStatus::Failed;
    m.note = readWholeFile(failureMarkPath(i));
    return;
  }
  if (m.run.state == RunState::Completed && !fs::exists(folder.metricsPath(), ec))
    m.note = "its metrics.csv is missing: no scores to show";
  switch (m.run.state) {
    case RunState::Completed:
      m.status = MemberStatus::Completed;
      break;
    case RunState::Failed:
      m.status = MemberStatus::Failed;
      m.note = record ? record->message : "";
      break;
    case RunState::Running:  // live elsewhere (or rank 0 of this member, for a secondary rank)
      m.status = MemberStatus::Running;
      resume_[i] = fs::exists(folder.lastCheckpointPath(), ec);
      break;
    case RunState::Stopped:
    case RunState::Interrupted:
      if (m.run.state == RunState::Stopped && record &&
          record->message.compare(0, std::strlen(kPrunedPrefix), kPrunedPrefix) == 0) {
        m.status = MemberStatus::Pruned;
        m.note = record->message;
        break;
      }
      m.status =
          m.run.state == RunState::Stopped ? MemberStatus::Stopped : MemberStatus::Interrupted;
      resume_[i] = fs::exists(folder.lastCheckpointPath(), ec);
      break;
  }
}

int SweepRunner::run() {
  std::vector<size_t> queue;
  for (size_t i = 0; i < members_.size(); ++i) {
    if (options_.only && static_cast<int>(i) != *options_.only) continue;
    const auto s = members_[i].status;
    if (s == MemberStatus::Running && options_.secondary_rank) {
      queue.push_back(i);
      continue;
    }
    if (s == MemberStatus::Running)
      throw InputError(memberDir(i) + ": is being run by another process (pid " +
                       std::to_string(members_[i].run.record ? members_[i].run.record->pid : 0) +
                       "); is this sweep already running?");
    if (!isSettled(s) || (s == MemberStatus::Failed && options_.retry_failed)) queue.push_back(i);
  }
  // A member that failed in an earlier run is left failed, its old error shown again: said so,
  // with the way to run it again (a fixed data file read as still missing).
  std::vector<std::string> failed_before;
  for (size_t i = 0; i < members_.size(); ++i)
    if (members_[i].status == MemberStatus::Failed && !options_.retry_failed &&
        (!options_.only || static_cast<int>(i) == *options_.only))
      failed_before.push_back(plan_.members[i].name);
  if (!failed_before.empty())
    event(std::to_string(failed_before.size()) +
          (failed_before.size() == 1 ? " member" : " members") + " failed in an earlier run and " +
          (failed_before.size() == 1 ? "is" : "are") + " not run again (" +
          namesWithRest(failed_before, 3) + "); --retry-failed starts " +
          (failed_before.size() == 1 ? "it" : "them") + " anew");
  std::reverse(queue.begin(), queue.end());  // pop_back takes them in plan order
  stop_sent_ = false;
  if (options_.on_change) options_.on_change(members_);
  while (true) {
    const bool stopping = options_.stop && options_.stop->load();
    if (stopping && !stop_sent_) {
      for (pid_t pid : pids_)
        if (pid > 0) ::kill(pid, SIGTERM);  // each saves last.pt and exits 130
      stop_sent_ = true;
      event("stopping: the running members save a checkpoint and resume on the next run");
    }
    int running = 0;
    for (pid_t pid : pids_) running += pid > 0;
    bool launched = false;
    while (!stopping && running < options_.parallel && !queue.empty()) {
      launch(queue.back());
      queue.pop_back();
      ++running;
      launched = true;
    }
    if (launched && options_.on_change) options_.on_change(members_);
    if (running == 0) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.poll_seconds));
    if (poll() && options_.on_change) options_.on_change(members_);
  }
  writeSummary();
  if (options_.on_change) options_.on_change(members_);
  if (options_.stop && options_.stop->load()) return 130;
  bool failed = false;
  std::vector<std::string> unfinished;
  for (size_t i = 0; i < members_.size(); ++i)
    if (!options_.only || static_cast<int>(i) == *options_.only) {
      failed = failed || members_[i].status == MemberStatus::Failed;
      if (members_[i].status == MemberStatus::Stopped ||
          members_[i].status == MemberStatus::Interrupted)
        unfinished.push_back(plan_.members[i].name);
    }
  // A member killed from outside (the OOM killer, a SIGTERM to it alone) left the sweep
  // unfinished, which exited 0: a script chaining on it went on, and Slurm did not requeue.
  if (!unfinished.empty() && !options_.secondary_rank) {
    event(std::to_string(unfinished.size()) +
          (unfinished.size() == 1 ? " member did" : " members did") + " not finish (" +
          namesWithRest(unfinished, 3) + "); the same command again resumes " +
          (unfinished.size() == 1 ? "it" : "them"));
    return 1;
  }
  return failed ? 1 : 0;
}

void SweepRunner::launch(size_t i) {
  const std::string dir = memberDir(i);
  std::vector<std::string> args = {options_.executable};
  std::error_code ec;
  fs::remove(failureMarkPath(i), ec);
  const bool retry = members_[i].status == MemberStatus::Failed;
  if (retry) resume_[i] = false;  // --retry-failed: anew
  // A stopped member whose last.pt is gone cannot continue: said, not hidden.
  std::string anew;
  if (!resume_[i] && !retry && RunFolder::holdsRun(dir) && members_[i].run.epochs > 0)
    anew = " anew: no last.pt to resume from (it had begun epoch " +
           std::to_string(members_[i].run.epochs) + ")";
  if (resume_[i]) {
    args.insert(args.end(), {"resume", dir});
  } else {
    args.insert(args.end(), {"train", plan_.file.base_config, "--run-dir", dir});
    // A folder left by a member that died before its first checkpoint.
    if (RunFolder::holdsRun(dir)) args.push_back("--overwrite");
    for (const auto& o : plan_.members[i].overrides) args.insert(args.end(), {"--set", o});
  }
  // Everything the child needs is made before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "OPENBLAS_NUM_THREADS=", 21) != 0) env_strings.emplace_back(*e);
  env_strings.push_back("OPENBLAS_NUM_THREADS=" + std::to_string(options_.blas_threads));
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  const std::string log = logPath(i);
  {
    std::ofstream header(log, std::ios::app);
    std::string command;
    for (const auto& a : args) command += (command.empty() ? "" : " ") + a;
    header << "== " << utcTimestamp() << " cvae-cli sweep runs: " << command << "\n";
  }
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0)
    throw std::runtime_error(log + ": cannot open the member's log: " + std::strerror(errno));
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  [[maybe_unused]] const pid_t sweep_pid = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    throw std::runtime_error(std::string("cannot start a sweep member: fork: ") +
                             std::strerror(errno));
  }
  if (pid == 0) {
#ifdef __linux__
    // A sweep killed with kill -9 left its members training on as orphans, each holding its
    // folder: the member now gets the SIGTERM a stop sends (it saves its last.pt and resumes on
    // the next run). A sweep gone before this line is the same case.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != sweep_pid) ::_exit(130);
#endif
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::execve(argv[0], argv.data(), envp.data());
    const char message[] = "cvae-cli sweep: cannot start the member's process (execve)\n";
    [[maybe_unused]] const auto written = ::write(2, message, sizeof message - 1);
    ::_exit(127);
  }
  ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  pids_[i] = pid;
  members_[i].status = MemberStatus::Running;
  members_[i].note.clear();
  event(std::string(resume_[i] ? "resumed " : "started ") + plan_.members[i].name +
        " (log: " + log + ")");
}

bool SweepRunner::poll() {
  bool changed = false;
  bool any_evaluated = false;
  while (true) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) break;
    const auto it = std::find(pids_.begin(), pids_.end(), pid);
    if (it == pids_.end()) continue;  // not a member
    finished(static_cast<size_t>(it - pids_.begin()), status);
    changed = true;
  }
  for (size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].status != MemberStatus::Running) continue;
    const size_t evaluations = digests_[i].evaluations().size();
    const int64_t steps = digests_[i].steps();
    if (members_[i].run.dir.empty() || members_[i].run.config == std::nullopt) {
      std::error_code ec;
      if (fs::exists(fs::path(memberDir(i)) / "config.yaml", ec)) {
        digests_[i] = MetricsDigest((fs::path(memberDir(i)) / "metrics.csv").string());
        members_[i].run = summarizeRun(memberDir(i), &digests_[i]);
      }
    }
    refreshRunSummary(members_[i].run, digests_[i]);
    if (pids_[i] == 0) {  // run by another process (a Slurm array task): follow its state
      const auto state = members_[i].run.state;
      if (state != RunState::Running) readMemberState(i);
    }
    changed = changed || steps != digests_[i].steps() ||
              evaluations != digests_[i].evaluations().size() ||
              members_[i].status != MemberStatus::Running;
    any_evaluated = any_evaluated || evaluations != digests_[i].evaluations().size();
    // latent.csv's row follows metrics.csv's: read it on every poll, not on new evaluations.
    if (pids_[i] > 0) applyCollapseRule(i);
  }
  // A member's latest evaluation is compared once enough others have reached its place: the
  // others' new evaluations can decide it too, not only its own.
  if (any_evaluated)
    for (size_t i = 0; i < members_.size(); ++i)
      if (members_[i].status == MemberStatus::Running && pids_[i] > 0) applyMedianRule(i);
  return changed;
}

void SweepRunner::finished(size_t i, int wait_status) {
  pids_[i] = 0;
  const int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  MemberState& m = members_[i];
  const std::string dir = memberDir(i);
  std::error_code ec;
  if (fs::exists(fs::path(dir) / "config.yaml", ec)) {
    if (m.run.config == std::nullopt) {
      digests_[i] = MetricsDigest((fs::path(dir) / "metrics.csv").string());
      m.run = summarizeRun(dir, &digests_[i]);
    }
    refreshRunSummary(m.run, digests_[i]);
  }
  const std::string& name = plan_.members[i].name;
  // Whether it can resume (a member stopped or killed before its first checkpoint starts anew).
  const bool has_last = fs::is_regular_file(fs::path(dir) / "last.pt", ec);
  if (!prune_reasons_[i].empty() && code == 130) {
    m.status = MemberStatus::Pruned;
    m.note = prune_reasons_[i];
    // Recorded in its status.yaml, so a re-run of the sweep leaves it stopped.
    try {
      const RunFolder folder = RunFolder::open(dir);
      if (auto record = folder.readRecord()) {
        record->message = prune_reasons_[i];
        folder.writeRecord(*record);
        m.run.record = record;
      }
    } catch (const std::exception& e) {
      m.note += std::string(" (not recorded: ") + e.what() + ")";
    }
    event(name + ": pruned (stopped with its last.pt)");
  } else if (code == 0) {
    m.status = MemberStatus::Completed;
    event(name + ": completed");
  } else if (code == 130 ||
             (stop_sent_ && WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGTERM)) {
    // Our SIGTERM can reach a member just launched, before cvae-cli has set its handler: the
    // default action ends it, but the user stopped it all the same (seen in CI).
    m.status = MemberStatus::Stopped;
    // Stopped while it loaded its data, it wrote no folder and no last.pt to resume from.
    if (has_last)
      event(name + ": stopped; it resumes from its last.pt on the next run");
    else
      event(name + ": stopped before its first checkpoint; it starts anew on the next run");
  } else if (WIFSIGNALED(wait_status)) {
    // Killed from outside (the OOM killer, kill -9): its last.pt is whole, so it continues.
    m.status = MemberStatus::Interrupted;
    m.note = "killed by signal " + std::to_string(WTERMSIG(wait_status)) + " (" +
             strsignal(WTERMSIG(wait_status)) + "); " +
             (has_last ? "it resumes on the next run"
                       : "it starts anew on the next run (it had written no last.pt)");
    event(name + ": " + m.note);
  } else {
    m.status = MemberStatus::Failed;
    const std::string last = lastLogLine(logPath(i));
    m.note = "exit code " + std::to_string(code) + (last.empty() ? "" : ": " + last);
    try {
      writeFileAtomically(failureMarkPath(i), m.note);
    } catch (const std::exception& e) {
      m.note += std::string(" (not recorded: ") + e.what() + ")";
    }
    event(name + ": failed, " + m.note + " (log: " + logPath(i) + ")");
  }
  writeSummary();
}

// When β first reaches its maximum in member j's schedule (fractional epochs), from its config
// and the steps per epoch its metrics show; -1 when β never rises or the experiment has none.
double SweepRunner::warmupEndEpoch(size_t j) const {
  const ExperimentConfig& config = plan_.members[j].config;
  if (!experimentFacts(config.kind).has_kl_term) return -1;
  const MetricsDigest& digest = digests_[j];
  const std::int64_t per_epoch =
      digest.epochs() > 0 ? std::max<std::int64_t>(1, digest.steps() / digest.epochs()) : 1;
  return summarizeSchedules(config, RunLength{config.train.epochs, per_epoch})
      .beta_warmup_end_epoch;
}

void SweepRunner::applyCollapseRule(size_t i) {
  if (!plan_.file.early_stop || !plan_.file.early_stop->collapse || !prune_reasons_[i].empty() ||
      collapse_watch_off_[i])
    return;
  auto& reader = latent_readers_[i];
  if (!reader) {
    const std::string path = (fs::path(memberDir(i)) / "latent.csv").string();
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    reader = std::make_unique<MetricsReader>(path);
  }
  std::vector<MetricsRow> rows;
  try {
    rows = reader->readNew();
  } catch (const std::exception& e) {
    // A damaged watch file stops the watch, not the member.
    event(plan_.members[i].name + ": the collapse watch stops: " + e.what());
    collapse_watch_off_[i] = true;
    return;
  }
  for (const auto& row : rows) {
    if (reader->columns().value(row, "active_units") != 0) continue;
    prune_reasons_[i] = std::string(kPrunedPrefix) + ": posterior collapse after epoch " +
                        std::to_string(row.epoch + 1) + ": no active latent unit, KL " +
                        formatGeneral(reader->columns().value(row, "kl_total"), 3) + " nats";
    ::kill(pids_[i], SIGTERM);
    event(plan_.members[i].name + ": stopping, " + prune_reasons_[i]);
    return;
  }
}

void SweepRunner::applyMedianRule(size_t i) {
  if (!plan_.file.early_stop || !plan_.file.early_stop->median || !prune_reasons_[i].empty())
    return;
  const MedianStopping& rule = *plan_.file.early_stop;
  const auto& evaluations = digests_[i].evaluations();
  if (static_cast<int>(evaluations.size()) < rule.min_epochs) return;
  const int epoch = evaluations.back().epoch;
  if (epoch <= checked_epochs_[i]) return;
  const auto score = digests_[i].atEpoch(rule.score, epoch);
  const bool by_phase = rule.align == MedianAlignment::Warmup &&
                        experimentFacts(plan_.members[i].config.kind).has_kl_term;
  std::vector<double> others;
  double phase = 0;
  if (by_phase) {
    auto phases = [&](size_t j) {
      const double warmup = warmupEndEpoch(j);
      std::vector<PhaseScore> points;
      for (const auto& row : digests_[j].evaluations())
        if (const auto v = digests_[j].atEpoch(rule.score, row.epoch))
          points.push_back({schedulePhase(row.epoch + 1, warmup), *v});
      return points;
    };
    phase = schedulePhase(epoch + 1, warmupEndEpoch(i));
    for (size_t j = 0; j < digests_.size(); ++j)
      if (j != i)
        if (const auto v = scoreAtPhase(phases(j), phase)) others.push_back(*v);
  } else {
    for (size_t j = 0; j < digests_.size(); ++j)
      if (j != i)
        if (const auto v = digests_[j].atEpoch(rule.score, epoch)) others.push_back(*v);
  }
  const double value = score ? *score : std::nan("");
  const MedianVerdict verdict = medianRule(value, others, rule.min_members);
  // Decided once enough others were there; until then, asked again as they arrive.
  if (verdict.compared >= std::max(1, rule.min_members)) checked_epochs_[i] = epoch;
  if (!verdict.stop) return;
  std::string when = "after epoch " + std::to_string(epoch + 1);
  if (by_phase)
    when += phase < 1 ? " (" + formatGeneral(100 * phase, 3) + "% through its β warm-up)"
                      : " (" + formatGeneral(phase - 1, 3) + " epochs after its β warm-up)";
  prune_reasons_[i] = std::string(kPrunedPrefix) + " by the median rule " + when + ": " +
                      rule.score + " " + formatGeneral(value, 4) + " below the median " +
                      formatGeneral(verdict.median, 4) + " of " + std::to_string(verdict.compared) +
                      " other members" + (by_phase ? " at the same phase" : "");
  ::kill(pids_[i], SIGTERM);
  event(plan_.members[i].name + ": stopping, " + prune_reasons_[i]);
}

void SweepRunner::writeSummary() {
  if (options_.secondary_rank) return;
  if (!options_.only) {
    writeFileAtomically(summaryPath(), sweepSummaryCsv(plan_, members_));
    return;
  }
  // A Slurm array task runs one member while others run theirs: it reads the other members'
  // folders afresh and writes under a lock, so the last task to finish writes the whole table.
  RunLock lock(options_.out_dir, ".summary.lock", "sweep summary", /*wait=*/true);
  for (size_t j = 0; j < members_.size(); ++j) {
    if (static_cast<int>(j) == *options_.only) continue;
    try {
      readMemberState(j);
    } catch (const std::exception& e) {
      members_[j].note = e.what();
    }
  }
  writeFileAtomically(summaryPath(), sweepSummaryCsv(plan_, members_));
}

void SweepRunner::event(const std::string& text) const {
  if (options_.on_event) options_.on_event(text);
}

}  // namespace cvae
