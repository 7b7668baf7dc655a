#pragma once
// A run folder and everything in it, in one place: the trainer writes through it, the CLI and
// the GUI read through it, so the layout is known here only.
//   config.yaml    the config the run started with (schedule edits are in the checkpoints)
//   metrics.csv    see MetricsFile.h
//   previews.tsv   the latest evaluation's previews (training/PreviewFile.h), frames beside it
//   best.pt        the checkpoint with the best selection score so far
//   last.pt        the latest checkpoint: what resume continues from
//   status.yaml    the run's state, who runs it, and where it was forked from (RunRecord)
//   edits.yaml     the schedule edits made while paused: when, and which keys from what to what
//   notes.yaml     the user's notes and tags

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentConfig.h"

namespace cvae {

// stopped: ended on request (Ctrl-C, Stop) after saving last.pt; interrupted: the process died
// (kill -9, a crash, a power cut) while its record still said running.
enum class RunState { Running, Stopped, Interrupted, Completed, Failed };
std::string toString(RunState state);
std::optional<RunState> parseRunState(const std::string& text);

// status.yaml. Times are UTC, ISO 8601 ("2026-11-30T18:43:01Z").
struct RunRecord {
  RunState state = RunState::Running;
  std::string started;
  std::string ended;  // empty while running
  std::string host;
  int64_t pid = 0;
  int resumes = 0;         // how often the run was continued in place
  std::string parent;      // the run folder this one was forked from, empty if none
  int64_t fork_step = -1;  // the parent's optimizer steps at the fork, -1 if not a fork
  int epochs_done = 0;
  int64_t steps_done = 0;
  std::string message;  // how it ended
};

// A schedule edit made while the run was paused, applied before step `step` + 1.
struct ScheduleEditRecord {
  int epoch = 0;  // 0-based, as in metrics.csv
  int64_t step = 0;
  double elapsed_s = 0;
  std::vector<ConfigChange> changes;
};

// notes.yaml: what the user wrote about a run, and its tags ("baseline", "collapsed").
struct RunNotes {
  std::vector<std::string> tags;  // trimmed, non-empty, without commas, each once
  std::string text;
  bool operator==(const RunNotes& other) const { return tags == other.tags && text == other.text; }
};

class RunFolder {
 public:
  // An existing run. Throws InputError "DIR: not a run folder (no config.yaml)" when `dir` does
  // not hold one.
  static RunFolder open(const std::string& dir);
  // A folder for a new run, created when missing. A folder that already holds a run is refused
  // (InputError saying how to continue or fork it) unless `overwrite`, which removes the old
  // run's files first.
  static RunFolder create(const std::string& dir, bool overwrite);
  // Whether `dir` holds a run's files.
  static bool holdsRun(const std::string& dir);
  // The run files (config.yaml, metrics.csv, best.pt, …) that are in `dir`, as links too.
  static std::vector<std::string> runFilesIn(const std::string& dir);
  // Throws InputError naming a run file (best.pt, metrics.csv, …) that is there but no regular
  // file the run can replace (a folder, a broken link): found before training, not when the
  // first checkpoint is written after an epoch.
  void checkFilesReplaceable() const;

  const std::string& path() const { return dir_; }
  std::string configPath() const { return file("config.yaml"); }
  std::string metricsPath() const { return file("metrics.csv"); }
  std::string previewsPath() const { return file("previews.tsv"); }
  std::string bestCheckpointPath() const { return file("best.pt"); }
  std::string lastCheckpointPath() const { return file("last.pt"); }
  std::string recordPath() const { return file("status.yaml"); }
  // The posterior-collapse watch per evaluation (training/LatentLog.h); tense runs only.
  std::string latentPath() const { return file("latent.csv"); }

  // config.yaml; throws InputError naming the file and line when it is not a valid config.
  ExperimentConfig readConfig() const;
  void writeConfig(const ExperimentConfig& config) const;

  // status.yaml; nothing for runs written before status files existed. Throws InputError naming
  // the file and key when it is malformed.
  std::optional<RunRecord> readRecord() const;
  // Written through a temporary file and a rename.
  void writeRecord(const RunRecord& record) const;

  // edits.yaml: appended through a temporary file and a rename; read back in order (nothing
  // when the run had no edit). Throws InputError naming the file and line when malformed.
  void appendEdit(const ScheduleEditRecord& edit) const;
  std::vector<ScheduleEditRecord> readEdits() const;
  // Keeps the edits a checkpoint after `step` steps covers (those before it), as metrics.csv.
  void truncateEdits(int64_t step) const;
  std::string editsPath() const { return file("edits.yaml"); }

  // notes.yaml; empty notes when the run has none. Throws InputError naming the file and line
  // when malformed. Written through a temporary file and a rename; a tag with a comma, or
  // empty, is refused (InputError) since the table lists tags comma-separated.
  RunNotes readNotes() const;
  void writeNotes(const RunNotes& notes) const;
  std::string notesPath() const { return file("notes.yaml"); }

  // The state as it is now: a record that says running while no process holds the folder's
  // lock (or, for folders without one, while its pid is gone on this host) reads as interrupted.
  // Runs without a record: completed when they have a last.pt and an evaluation, else interrupted.
  RunState observedState() const;
  // Whether another process is writing this run: its record says running and a process holds
  // RUN_DIR/.lock (without a lock file: its pid is alive on this host, or it runs elsewhere).
  bool isLive() const;

 private:
  explicit RunFolder(std::string dir) : dir_(std::move(dir)) {}
  std::string file(const char* name) const;
  std::string dir_;
};

// Holds RUN_DIR/.lock (flock) for its lifetime, so that two processes never write one run
// folder: the second gets an InputError naming the holder's pid and host (a folder that cannot
// be made or written: std::runtime_error). The kernel releases
// the lock when the holder ends in any way, kill -9 included, so a lock is never stale. (On
// network filesystems without flock, the lock is advisory at best.)
class RunLock {
 public:
  explicit RunLock(const std::string& dir) : RunLock(dir, ".lock", "run folder", false) {}
  // DIR/FILE_NAME instead; `what` names the folder in the refusal ("sweep folder"). With `wait`,
  // blocks until the holder releases it instead of refusing (short critical sections).
  RunLock(const std::string& dir, const std::string& file_name, const std::string& what, bool wait);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  // Who holds DIR/FILE_NAME now ("pid N on HOST", or "another process" when its note is
  // unreadable); nullopt when no one does or the file does not exist. Only looks: takes nothing
  // and creates nothing (a dry run says a sweep is running without touching its folder).
  static std::optional<std::string> holder(const std::string& dir, const std::string& file_name);
  // Throws InputError when no lock can be made at DIR/FILE_NAME for a reason of the input's
  // (a file or a broken link on the way): what the constructor checks first, for a caller that
  // must refuse before it starts (a data-parallel rank 0, before the collectives).
  static void checkPlace(const std::string& dir, const std::string& file_name = ".lock",
                         const std::string& what = "run folder");
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

// The current time as UTC ISO 8601, and this machine's name.
std::string utcTimestamp();
std::string hostName();
// Whether `pid` names a live process on this machine.
bool processAlive(int64_t pid);

}  // namespace cvae
