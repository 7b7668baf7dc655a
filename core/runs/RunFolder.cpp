#include "core/runs/RunFolder.h"

#include <algorithm>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "core/config/ConfigIo.h"
#include "core/config/YamlDocument.h"
#include "core/config/YamlFields.h"
#include "core/io/AtomicFile.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/io/NumberText.h"
#include "core/io/TextLines.h"
#include "core/runs/MetricsFile.h"

namespace fs = std::filesystem;

namespace cvae {
namespace {

constexpr const char* kRunFiles[] = {"notes.yaml",  "edits.yaml",   "config.yaml",
                                     "metrics.csv", "previews.tsv", "best.pt",
                                     "last.pt",     "status.yaml",  "latent.csv"};

struct StateName {
  RunState state;
  const char* name;
};
constexpr StateName kStateNames[] = {{RunState::Running, "running"},
                                     {RunState::Stopped, "stopped"},
                                     {RunState::Interrupted, "interrupted"},
                                     {RunState::Completed, "completed"},
                                     {RunState::Failed, "failed"}};

}  // namespace

std::string toString(RunState state) {
  for (const auto& s : kStateNames)
    if (s.state == state) return s.name;
  return "unknown";
}

std::optional<RunState> parseRunState(const std::string& text) {
  for (const auto& s : kStateNames)
    if (text == s.name) return s.state;
  return std::nullopt;
}

std::string utcTimestamp() {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return stamp;
}

std::string hostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

bool processAlive(int64_t pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

namespace {

// The note a lock's holder wrote in it ("pid N on HOST"), or "another process" without one.
std::string holderNote(int fd) {
  char note[256] = {};
  const ssize_t n = ::pread(fd, note, sizeof note - 1, 0);
  std::string who = n > 0 ? std::string(note, static_cast<size_t>(n)) : "another process";
  while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
  return who;
}

}  // namespace

void RunLock::checkPlace(const std::string& dir, const std::string& file_name,
                         const std::string& what) {
  if (const std::string blocker = blockerAlongPath((fs::path(dir) / file_name).string());
      !blocker.empty())
    throw InputError(dir + ": cannot create the " + what + ": " + blocker);
}

RunLock::RunLock(const std::string& dir, const std::string& file_name, const std::string& what,
                 bool wait) {
  // A folder the filesystem will not make or write (full, read-only) is a fault of the disk,
  // not of the input (std::runtime_error: the CLI exits 1); another holder is a refusal.
  // A file where the folder or one above it should be is the input's fault, though.
  checkPlace(dir, file_name, what);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create the " + what + ": " + ec.message());
  const std::string path = (fs::path(dir) / file_name).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    // A folder or another non-file in the lock's place is the user's to move (exit 2, "refused"),
    // not a failed run: nothing was read or written.
    const int error = errno;
    if (const std::string what = describeNonFile(path); !what.empty())
      throw InputError(path + ": " + what + " (in the place of the run's lock file); remove it");
    throw std::runtime_error(path + ": cannot open the lock: " + std::strerror(error));
  }
  if (::flock(fd_, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    const std::string who = holderNote(fd_);
    ::close(fd_);
    fd_ = -1;
    throw InputError(dir + ": the " + what + " is in use by " + who + "; two processes cannot " +
                     (what == "run folder" ? "write one run" : "run it at once") +
                     " (wait for it to end or stop it)");
  }
  const std::string me = "pid " + std::to_string(::getpid()) + " on " + hostName() + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    const ssize_t written = ::pwrite(fd_, me.data(), me.size(), 0);
    (void)written;  // the lock holds without the note; the note only names the holder
  }
}

std::optional<std::string> RunLock::holder(const std::string& dir, const std::string& file_name) {
  const std::string path = (fs::path(dir) / file_name).string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> who;
  // A shared lock is refused exactly while a writer holds its exclusive one.
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) who = holderNote(fd);
  ::close(fd);
  return who;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

std::string RunFolder::file(const char* name) const {
  return (fs::path(dir_) / name).string();
}

void RunFolder::checkFilesReplaceable() const {
  for (const char* name : kRunFiles)
    if (const std::string what = describeNonFile(file(name)); !what.empty())
      throw InputError(file(name) + ": is " + what + "; the run writes this file, so move it away");
  std::error_code ec;
  const fs::path frames = fs::path(dir_) / "preview-frames";
  if (fs::exists(fs::symlink_status(frames, ec)) && !fs::is_directory(frames, ec))
    throw InputError(frames.string() + ": is not a folder; the run writes its frames there");
}

bool RunFolder::holdsRun(const std::string& dir) {
  std::error_code ec;
  for (const char* name : kRunFiles)
    if (fs::exists(fs::path(dir) / name, ec)) return true;
  return false;
}

std::vector<std::string> RunFolder::runFilesIn(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const char* name : kRunFiles)
    if (fs::exists(fs::symlink_status(fs::path(dir) / name, ec))) found.emplace_back(name);
  return found;
}

RunFolder RunFolder::open(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (const std::string what = describeNonFile(dir); !what.empty())
      throw InputError(dir + ": is " + what + ", not a run folder");
    throw InputError(dir + ": no such run folder");
  }
  // A sweep's folder opened as a run read as "no config.yaml or metrics.csv".
  if (!fs::exists(fs::path(dir) / "config.yaml", ec) &&
      fs::exists(fs::path(dir) / "sweep.yaml", ec))
    throw InputError(dir +
                     ": a sweep's folder, not a run: its members' folders in it are the runs "
                     "(the GUI lists them all with --runs " +
                     dir + ")");
  if (!fs::exists(fs::path(dir) / "config.yaml", ec))
    throw InputError(
        dir + ": not a run folder (no config.yaml" +
        std::string(fs::exists(fs::path(dir) / "metrics.csv", ec) ? ")" : " or metrics.csv)"));
  return RunFolder(dir);
}

RunFolder RunFolder::create(const std::string& dir, bool overwrite) {
  if (holdsRun(dir)) {
    std::error_code exists_error;
    if (!overwrite && !fs::exists(fs::symlink_status(fs::path(dir) / "last.pt", exists_error)))
      throw InputError(dir +
                       ": holds a run that stopped before its first checkpoint (no last.pt), so "
                       "there is nothing to continue; pass --overwrite to start it again");
    if (!overwrite)
      throw InputError(dir + ": holds a run already; continue it with `cvae-cli resume " + dir +
                       "`, fork it with `cvae-cli train CONFIG --from " + dir +
                       "`, or pass --overwrite to replace it");
    // The trainer holds the folder's lock by now, so no process on this host writes it: the
    // lock, not the record, says so (isLive() saw our own lock and called a killed run "still
    // running"; a damaged status.yaml refused --overwrite for good). A record from another host
    // (a shared disk, which the lock may not reach) is still heeded.
    std::optional<RunRecord> record;
    try {
      record = RunFolder(dir).readRecord();
    } catch (const InputError&) {
      // Damaged: replaced below.
    }
    if (record && record->state == RunState::Running && record->host != hostName())
      throw InputError(dir + ": the run there is still running (pid " +
                       std::to_string(record->pid) + " on " + record->host + "); stop it first");
    std::error_code ec;
    for (const char* name : kRunFiles) fs::remove(fs::path(dir) / name, ec);
    fs::remove_all(fs::path(dir) / "preview-frames", ec);
  } else {
    // A folder of other files is not taken for a run (nor emptied by --overwrite): the run's
    // files would mix with them, as sweeps refuse too. The lock is the trainer's own.
    std::error_code ec;
    std::string others;
    int count = 0;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name == ".lock") continue;
      if (++count <= 3) others += (others.empty() ? "" : ", ") + name;
    }
    if (count > 0) {
      // The trainer's lock, just made, goes too: the folder is left as it was found.
      fs::remove(fs::path(dir) / ".lock", ec);
      throw InputError(dir + ": holds other files (" + others + (count > 3 ? ", …" : "") +
                       "), not a run; choose a new or empty folder for the run");
    }
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir + ": cannot create the run folder: " + ec.message());
  return RunFolder(dir);
}

ExperimentConfig RunFolder::readConfig() const {
  const std::string path = configPath();
  std::string text;  // read once for both (the runs table reads every run's config)
  ExperimentConfig config = loadConfigFile(path, &text);
  // A run writes every key, output.dir last (as since the first version): a file without it
  // was cut short, and the keys it lacks would read as defaults (diff and importance then
  // reported values the run never had).
  bool complete = false;
  try {
    const YAML::Node root = YAML::Load(text);
    complete = root.IsMap() && root["output"] && root["output"].IsMap() && root["output"]["dir"] &&
               root["output"]["dir"].IsScalar();
  } catch (const YAML::Exception&) {
  }
  if (!complete)
    throw InputError(path +
                     ": ends before output.dir, the last key a run writes: the file was cut "
                     "short (its missing keys would read as defaults)");
  return config;
}

void RunFolder::writeConfig(const ExperimentConfig& config) const {
  saveConfigFile(config, configPath());
}

std::optional<RunRecord> RunFolder::readRecord() const {
  const std::string path = recordPath();
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  const YamlSource source(path, readUserTextFile(path, "run status file"));
  const YAML::Node root = loadOneYamlDocument(source, "a run status file");
  if (!root.IsMap()) throw InputError(path + ": not a run status file (expected a mapping)");
  RunRecord record;
  const YamlFields read(source);
  auto text = [&](const char* key) { return read.text(root, key); };
  // Steps as a double holds them exactly (plots, schedules); a process id is an int.
  const int64_t most = int64_t(1) << 53;
  const int most_int = std::numeric_limits<int>::max();
  const std::string state = text("state");
  const auto parsed = parseRunState(state);
  if (!parsed)
    throw InputError((root["state"] ? read.where(root["state"], "state") : path + ": key 'state'") +
                     ": expected running, stopped, interrupted, completed or failed, " +
                     (state.empty() ? std::string(root["state"] ? "got none" : "but it is missing")
                                    : "got '" + state + "'"));
  record.state = *parsed;
  record.started = text("started");
  record.ended = text("ended");
  record.host = text("host");
  record.pid = read.whole(root, "pid", 0, most_int, 0);
  record.resumes = static_cast<int>(read.whole(root, "resumes", 0, most_int, 0));
  record.parent = text("parent");
  record.fork_step = read.whole(root, "fork_step", -1, most, -1);
  record.epochs_done = static_cast<int>(read.whole(root, "epochs_done", 0, most_int, 0));
  record.steps_done = read.whole(root, "steps_done", 0, most, 0);
  record.message = text("message");
  return record;
}

void RunFolder::writeRecord(const RunRecord& r) const {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "state" << YAML::Value << toString(r.state);
  out << YAML::Key << "started" << YAML::Value << r.started;
  out << YAML::Key << "ended" << YAML::Value << r.ended;
  out << YAML::Key << "host" << YAML::Value << r.host;
  out << YAML::Key << "pid" << YAML::Value << std::to_string(r.pid);
  out << YAML::Key << "resumes" << YAML::Value << std::to_string(r.resumes);
  out << YAML::Key << "parent" << YAML::Value << r.parent;
  out << YAML::Key << "fork_step" << YAML::Value << std::to_string(r.fork_step);
  out << YAML::Key << "epochs_done" << YAML::Value << std::to_string(r.epochs_done);
  out << YAML::Key << "steps_done" << YAML::Value << std::to_string(r.steps_done);
  out << YAML::Key << "message" << YAML::Value << YAML::DoubleQuoted << r.message;
  out << YAML::EndMap;
  writeFileAtomically(recordPath(), std::string(out.c_str()) + "\n");
}

namespace {

std::string editText(const ScheduleEditRecord& edit) {
  YAML::Emitter out;
  out << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "epoch" << YAML::Value << std::to_string(edit.epoch);
  out << YAML::Key << "step" << YAML::Value << std::to_string(edit.step);
  out << YAML::Key << "elapsed_s" << YAML::Value << formatShortest(edit.elapsed_s);
  out << YAML::Key << "changes" << YAML::Value << YAML::BeginMap;
  for (const auto& change : edit.changes) {
    out << YAML::Key << change.key << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "from" << YAML::Value << change.from;
    out << YAML::Key << "to" << YAML::Value << change.to;
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  return std::string(out.c_str()) + "\n";
}

}  // namespace

void RunFolder::appendEdit(const ScheduleEditRecord& edit) const {
  std::string text;
  std::error_code ec;
  if (fs::exists(editsPath(), ec)) {
    std::ifstream in(editsPath(), std::ios::binary);
    std::ostringstream old;
    old << in.rdbuf();
    text = old.str();
    if (!text.empty() && text.back() != '\n') text += '\n';
  }
  writeFileAtomically(editsPath(), text + editText(edit));
}

RunNotes RunFolder::readNotes() const {
  const std::string path = notesPath();
  std::error_code ec;
  if (!fs::exists(path, ec)) return {};
  const YamlSource source(path, readUserTextFile(path, "notes file"));
  const YAML::Node root = loadOneYamlDocument(source, "a notes file");
  RunNotes notes;
  if (root.IsNull()) return notes;
  if (!root.IsMap()) throw InputError(path + ": expected tags and notes");
  // A user edits this file by hand: a misspelt key ("tagz") would drop its tags without a word.
  for (const auto& entry : root) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (key != "tags" && key != "notes")
      throw InputError(source.place(entry.first.Mark()) + ": unknown key '" + key +
                       "' (a notes file has tags and notes)");
  }
  if (const auto tags = root["tags"]) {
    if (!tags.IsSequence() && !tags.IsNull())
      throw InputError(path + ":" + std::to_string(tags.Mark().line + 1) +
                       ": 'tags' must be a list");
    for (const auto& tag : tags) {
      if (!tag.IsScalar())
        throw InputError(path + ":" + std::to_string(tag.Mark().line + 1) +
                         ": a tag must be a single word or phrase");
      notes.tags.push_back(tag.Scalar());
    }
  }
  if (const auto text = root["notes"]) {
    if (!text.IsScalar() && !text.IsNull())
      throw InputError(path + ":" + std::to_string(text.Mark().line + 1) +
                       ": 'notes' must be text");
    if (text.IsScalar()) notes.text = text.Scalar();
  }
  return notes;
}

void RunFolder::writeNotes(const RunNotes& notes) const {
  std::vector<std::string> tags;
  for (std::string tag : notes.tags) {
    tag = trimSpaces(tag);
    if (tag.empty()) throw InputError("a tag cannot be empty");
    if (tag.find(',') != std::string::npos)
      throw InputError("tag '" + tag + "': a tag cannot hold a comma");
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "tags" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& tag : tags) out << YAML::DoubleQuoted << tag;
  out << YAML::EndSeq;
  out << YAML::Key << "notes" << YAML::Value << YAML::DoubleQuoted << notes.text;
  out << YAML::EndMap;
  writeFileAtomically(notesPath(), std::string(out.c_str()) + "\n");
}

std::vector<ScheduleEditRecord> RunFolder::readEdits() const {
  const std::string path = editsPath();
  std::error_code ec;
  if (!fs::exists(path, ec)) return {};
  const YamlSource source(path, readUserTextFile(path, "edits file"));
  const YAML::Node root = loadOneYamlDocument(source, "an edits file");
  if (root.IsNull()) return {};
  if (!root.IsSequence()) throw InputError(path + ": expected a list of edits");
  std::vector<ScheduleEditRecord> edits;
  const YamlFields read(source);
  for (const auto& item : root) {
    const std::string where = source.place(item.Mark());
    if (!item.IsMap() || !item["step"] || !item["epoch"] || !item["changes"] ||
        !item["changes"].IsMap())
      throw InputError(where + ": an edit needs epoch, step and changes");
    ScheduleEditRecord edit;
    edit.epoch = static_cast<int>(read.whole(item, "epoch", 0, std::numeric_limits<int>::max()));
    edit.step = read.whole(item, "step", 0, int64_t(1) << 53);
    edit.elapsed_s = read.number(item, "elapsed_s", 0.0);
    if (!(edit.elapsed_s >= 0) || !std::isfinite(edit.elapsed_s))
      throw InputError(read.where(item["elapsed_s"], "elapsed_s") +
                       ": expected seconds, 0 or more, got " + formatShortest(edit.elapsed_s));
    for (const auto& change : item["changes"]) {
      const std::string key = read.name(change.first, "a changed key's");
      const auto& value = change.second;
      if (!value.IsMap() || !value["from"] || !value["to"])
        throw InputError(where + ": change '" + key + "' needs from and to");
      edit.changes.push_back({key, read.text(value, "from"), read.text(value, "to")});
    }
    edits.push_back(edit);
  }
  return edits;
}

void RunFolder::truncateEdits(int64_t step) const {
  auto edits = readEdits();
  std::error_code ec;
  if (edits.empty()) return;
  std::string text;
  for (const auto& edit : edits)
    if (edit.step < step) text += editText(edit);
  if (text.empty())
    fs::remove(editsPath(), ec);
  else
    writeFileAtomically(editsPath(), text);
}

namespace {

// Whether some open file holds RUN_DIR/.lock: the authority on whether a trainer writes the
// folder (a pid in the record can be reused by an unrelated process). Nothing when the folder
// has no lock file (runs from before it) or it cannot be opened.
std::optional<bool> lockHeld(const std::string& dir) {
  const std::string path = (fs::path(dir) / ".lock").string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // releases it if we took it
  return held;
}

}  // namespace

bool RunFolder::isLive() const {
  std::optional<RunRecord> record;
  try {
    record = readRecord();
  } catch (const InputError&) {
    // A damaged status.yaml says nothing of the process: the lock alone tells, so --overwrite
    // can replace the run (it refused for good) and resume can say what to do.
    const auto held = lockHeld(dir_);
    return held && *held;
  }
  if (!record || record->state != RunState::Running) return false;
  if (const auto held = lockHeld(dir_)) return *held;
  if (record->host != hostName()) return true;
  return processAlive(record->pid) && record->pid != ::getpid();
}

RunState RunFolder::observedState() const {
  if (const auto record = readRecord()) {
    if (record->state != RunState::Running) return record->state;
    if (const auto held = lockHeld(dir_)) return *held ? RunState::Running : RunState::Interrupted;
    if (record->host == hostName() && !processAlive(record->pid)) return RunState::Interrupted;
    return RunState::Running;
  }
  // A run from before status files: its last evaluation ends a finished run.
  std::error_code ec;
  return fs::exists(lastCheckpointPath(), ec) ? RunState::Completed : RunState::Interrupted;
}

}  // namespace cvae
