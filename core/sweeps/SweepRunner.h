#pragma once
// Runs a sweep's members as separate processes (`cvae-cli train` / `cvae-cli resume`), N at a
// time, each in an ordinary run folder DIR/MEMBER with its output in DIR/logs/MEMBER.log. A
// member that fails does not stop the others. Running the same sweep into the same folder again
// skips completed, failed and pruned members and resumes stopped and interrupted ones from
// their last.pt. POSIX only (fork, exec, waitpid).

#include <sys/types.h>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/runs/MetricsFile.h"
#include "core/runs/RunFolder.h"
#include "core/sweeps/SweepPlan.h"
#include "core/sweeps/SweepSummary.h"

namespace cvae {

struct SweepRunOptions {
  std::string executable;  // the cvae-cli to run members with
  std::string out_dir;     // the sweep folder
  int parallel = 1;        // members at a time
  // OpenBLAS threads per member (OPENBLAS_NUM_THREADS); torch's own threads follow each
  // member's train.threads.
  int blas_threads = 1;
  std::optional<int> only;  // run just this member index (a Slurm array task)
  // A rank above 0 of a multi-rank member: it runs the member's command alongside rank 0
  // (which writes the run folder), so it neither refuses the live member nor writes the summary.
  bool secondary_rank = false;
  std::string log_suffix;  // ".rank1": a secondary rank's own log beside rank 0's
  // Runs failed members again, from scratch (a fixed data file, say); otherwise they are kept.
  bool retry_failed = false;
  // Set from a signal handler: launch nothing more, stop the running members (SIGTERM: each
  // saves last.pt) and return once they have exited.
  const std::atomic<bool>* stop = nullptr;
  double poll_seconds = 0.5;
  // Called after every poll in which something changed (a member started, ended, or wrote rows).
  std::function<void(const std::vector<MemberState>&)> on_change;
  // Called with one line per event (started, resumed, finished, pruned), for logs.
  std::function<void(const std::string&)> on_event;
};

// Picks members at a time from the machine's cores and each member's torch threads
// (train.threads, 0 meaning one): cores / threads, at least 1, at most the members. Each member
// then gets cores / parallel OpenBLAS threads, so the members together use every core once.
struct SweepParallelism {
  int parallel = 1;
  int blas_threads = 1;
};
SweepParallelism chooseParallelism(const SweepPlan& plan, int cores,
                                   std::optional<int> requested_parallel);

// Throws InputError naming `out_dir` when a sweep may not use it: an empty path, a file, a
// run's folder, or a folder holding other files and no sweep.yaml. A Slurm array's member task
// (`member_task`) may find the folder as its fellow tasks leave it when they start together:
// logs/ and sweep.yaml being written.
void checkSweepFolder(const std::string& out_dir, bool member_task);
// Refuses (InputError naming the keys) a member's folder DIR that holds a run of another config
// than the member's; a folder without a run passes. Read only: a dry run checks with it too.
void checkMemberFolder(const SweepMember& member, const std::string& dir);
// Refuses (InputError) DIR when its sweep.yaml, written by the sweep's first run, is not
// `file`'s text: another sweep's folder. Read only, as checkMemberFolder.
void checkStoredSweep(const std::string& out_dir, const SweepFile& file);

class SweepRunner {
 public:
  // Checks DIR against the plan: an empty path, a run folder, a folder holding other files, a
  // DIR/sweep.yaml from another sweep file, a member folder whose config differs from its
  // member's, and a sweep another process is running (DIR/.sweep.lock) are refused (InputError
  // naming the folder and keys) before anything runs. Writes DIR/sweep.yaml and summary.csv.
  SweepRunner(SweepPlan plan, SweepRunOptions options);
  // Runs every unsettled member. Returns 0 when all completed (or were pruned), 1 when any
  // failed, 130 when stopped by `stop` (the stopped members resume on the next run).
  int run();
  const std::vector<MemberState>& members() const { return members_; }
  std::string memberDir(size_t i) const;
  std::string logPath(size_t i) const;
  std::string summaryPath() const;
  // DIR/logs/MEMBER.failed: why a member failed, kept for members that failed before their run
  // folder said so (a missing data file), so that a re-run does not start them again.
  std::string failureMarkPath(size_t i) const;

 private:
  void readMemberState(size_t i);
  void launch(size_t i);
  void finished(size_t i, int wait_status);
  bool poll();  // returns whether anything changed
  void applyMedianRule(size_t i);
  void applyCollapseRule(size_t i);
  double warmupEndEpoch(size_t j) const;
  void writeSummary();
  void event(const std::string& text) const;

  SweepPlan plan_;
  SweepRunOptions options_;
  std::vector<MemberState> members_;
  std::vector<MetricsDigest> digests_;
  std::vector<pid_t> pids_;          // 0 when not running
  std::vector<int> checked_epochs_;  // evaluated epochs already put to the median rule
  std::vector<std::string> prune_reasons_;
  // Each running member's RUN_DIR/latent.csv, followed for early_stop.collapse.
  std::vector<std::unique_ptr<MetricsReader>> latent_readers_;
  std::vector<bool> collapse_watch_off_;  // its latent.csv could not be read
  std::vector<bool> resume_;              // whether a pending member continues its last.pt
  bool stop_sent_ = false;                // SIGTERM went to the running members
  // Held while this process runs the sweep (not for a single --member: Slurm runs many).
  std::unique_ptr<RunLock> sweep_lock_;
};

}  // namespace cvae
