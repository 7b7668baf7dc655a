// `cvae-cli sweep`: expands a sweep file and runs its members as processes (core/sweeps).
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/cli/Arguments.h"
#include "app/cli/Command.h"
#include "core/config/SweepFile.h"
#include "core/io/AtomicFile.h"
#include "core/io/FilePaths.h"
#include "core/io/InputError.h"
#include "core/runs/RunFolder.h"
#include "core/sweeps/SlurmScript.h"
#include "core/sweeps/SweepPlan.h"
#include "core/sweeps/SweepRunner.h"

namespace fs = std::filesystem;

namespace cvae::cli {
namespace {

std::atomic<bool> stop_requested{false};
extern "C" void onStopSignal(int) {
  stop_requested = true;
}

// The cores this process may use (a Slurm task's or taskset's share, not the machine's).
int usableCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// OUTPUT_DIR/NAME-TIMESTAMP, or the newest such folder already made from the same sweep file,
// so that running the same command again continues the sweep instead of starting anew.
std::string defaultSweepDir(const SweepPlan& plan, bool* continuing) {
  const fs::path root = plan.base.output.dir;
  const std::string prefix = plan.file.name + "-";
  std::string newest;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0 || name.size() < prefix.size() + 15) continue;
    const auto stored = it->path() / "sweep.yaml";
    std::error_code stored_error;  // apart from the listing's: one odd folder ends no listing
    if (fs::exists(stored, stored_error) && readText(stored.string()) == plan.file.text &&
        name > newest)
      newest = name;
  }
  *continuing = !newest.empty();
  if (*continuing) return (root / newest).string();
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return (root / (prefix + stamp)).string();
}

int secondaryRankFromEnvironment() {
  const char* rank = std::getenv("RANK");
  return rank ? std::atoi(rank) : 0;
}

}  // namespace

Command sweepCommand() {
  return {"sweep",
          "sweep SWEEP.yaml [--parallel N] [--out DIR] [--dry-run] [--retry-failed] "
          "[--emit-slurm FILE [--cpus-per-task N] [--ranks-per-member R] [--max-running N] "
          "[--overwrite]] [--member I]",
          "run every member of a sweep (grid, random draws, seeds) as its own run; again to resume",
          [](const std::vector<std::string>& args) {
            Arguments a(args,
                        {"--parallel", "--out", "--emit-slurm", "--member", "--cpus-per-task",
                         "--ranks-per-member", "--max-running"},
                        {"--dry-run", "--retry-failed", "--overwrite"});
            if (a.positionals().size() > 1)
              throw InputError("one sweep file at a time (got '" + a.positionals()[1] + "' too)");
            const SweepPlan plan = expandSweep(readSweepFile(a.positional(0, "SWEEP.yaml")));
            for (const auto& warning : plan.warnings)
              std::fprintf(stderr, "warning: %s\n", warning.c_str());
            const int cores = usableCores();
            std::optional<int> requested;
            if (a.has("--parallel")) requested = a.intValue("--parallel", 1, 1, 1024);
            // Every option is checked before anything is printed, planned or written.
            const int member_count = static_cast<int>(plan.members.size());
            const int member = a.intValue("--member", 0, 0, member_count - 1);
            const int cpus_per_task = a.intValue("--cpus-per-task", 4, 1, 4096);
            const int ranks_per_member = a.intValue("--ranks-per-member", 1, 1, 4096);
            const int max_running = a.intValue("--max-running", 0, 0, 100000);
            if (a.has("--out") && a.value("--out").empty())
              throw InputError("option --out: the sweep folder's path is empty");
            // Options of one mode given to another were ignored without a word.
            if (!a.has("--emit-slurm"))
              for (const char* option :
                   {"--cpus-per-task", "--ranks-per-member", "--max-running", "--overwrite"})
                if (a.has(option))
                  throw InputError(std::string(option) + " is an option of --emit-slurm FILE");
            if (a.has("--member") && a.has("--parallel"))
              throw InputError("--parallel does not apply with --member, which runs one member");
            if (a.has("--emit-slurm")) {
              for (const char* option : {"--dry-run", "--member", "--retry-failed", "--parallel"})
                if (a.has(option))
                  throw InputError(std::string(option) +
                                   " does not apply with --emit-slurm, which writes a script "
                                   "for every member and runs nothing");
              // Nor the base config the members read.
              checkOutputFile(a.value("--emit-slurm"), "--emit-slurm", a.has("--overwrite"),
                              {a.positional(0, "SWEEP.yaml"), plan.file.base_config});
            }
            const auto parallelism = chooseParallelism(plan, cores, requested);
            bool continuing = false;
            const std::string out =
                a.has("--out") ? a.value("--out") : defaultSweepDir(plan, &continuing);
            std::error_code stored_error;  // a loop or a file on the way: checkSweepFolder names it
            if (a.has("--out"))
              continuing =
                  std::filesystem::exists(std::filesystem::path(out) / "sweep.yaml", stored_error);
            // The script's tasks and a dry run are held to what the sweep itself accepts.
            if (a.has("--emit-slurm") || a.has("--dry-run")) checkSweepFolder(out, false);
            if (a.has("--emit-slurm")) {
              // The sweep folder holds only the sweep: a script in it (or as it) would make
              // every task refuse the folder.
              if (isSameOrInside(a.value("--emit-slurm"), out))
                throw InputError("--emit-slurm " + a.value("--emit-slurm") +
                                 ": inside the sweep folder " + out +
                                 ", which must hold only the sweep; write the script elsewhere");
            }

            if (a.has("--emit-slurm")) {
              SlurmOptions slurm;
              slurm.executable = fs::read_symlink("/proc/self/exe").string();
              slurm.sweep_file = fs::absolute(plan.file.path).string();
              slurm.out_dir = fs::absolute(out).string();
              slurm.cpus_per_task = cpus_per_task;
              slurm.ranks_per_member = ranks_per_member;
              slurm.max_running = max_running;
              const std::string file = a.value("--emit-slurm");
              writeFileAtomically(file, slurmArrayScript(plan, slurm));
              std::printf("wrote %s: %zu array tasks, results in %s; submit with `sbatch %s`\n",
                          file.c_str(), plan.members.size(), slurm.out_dir.c_str(), file.c_str());
              return 0;
            }
            if (a.has("--dry-run")) {
              // Refused as the run itself would be: another sweep's folder, a member folder
              // holding another run.
              checkStoredSweep(out, plan.file);
              for (const auto& member : plan.members)
                checkMemberFolder(member, (fs::path(out) / member.name).string());
              // Said, not refused: the plan is still worth reading while the sweep runs.
              if (const auto who = RunLock::holder(out, ".sweep.lock"))
                std::fprintf(stderr,
                             "note: %s: the sweep is running now (%s); running it again is "
                             "refused until that ends\n",
                             out.c_str(), who->c_str());
              // --member: its row alone (every member's was listed).
              SweepPlan shown = plan;
              if (a.has("--member")) shown.members = {plan.members[static_cast<size_t>(member)]};
              std::cout << describeSweepPlan(shown);
              const auto& rule = plan.file.early_stop;
              if (rule && rule->median)
                std::printf(
                    "\nearly stop: the median rule on %s, comparing members at the same %s, "
                    "after %d evaluation(s), with at least %d other member(s) there\n",
                    rule->score.c_str(),
                    rule->align == MedianAlignment::Warmup ? "β-schedule phase" : "epoch",
                    rule->min_epochs, rule->min_members);
              if (rule && rule->collapse)
                std::printf(
                    "%searly stop: a member with no active latent unit at an evaluation "
                    "(posterior collapse) is stopped\n",
                    rule->median ? "" : "\n");
              if (a.has("--member")) {
                const auto& name = shown.members.front().name;
                // A completed member is left as it is (it was said to "would run").
                std::optional<RunRecord> record;
                try {
                  const std::string dir = (fs::path(out) / name).string();
                  if (RunFolder::holdsRun(dir)) record = RunFolder::open(dir).readRecord();
                } catch (const InputError&) {
                }
                if (record && record->state == RunState::Completed)
                  std::printf("\nmember %d of %zu has completed in %s/%s: a run leaves it\n",
                              member, plan.members.size(), out.c_str(), name.c_str());
                else
                  std::printf("\nmember %d of %zu; would run in %s/%s with %d OpenBLAS thread(s)\n",
                              member, plan.members.size(), out.c_str(), name.c_str(), cores);
                return 0;
              }
              std::printf(
                  "\n%zu members of %s; would run in %s, %d at a time with %d OpenBLAS thread(s) "
                  "each (%d cores)\n",
                  plan.members.size(), plan.file.base_config.c_str(), out.c_str(),
                  parallelism.parallel, parallelism.blas_threads, cores);
              return 0;
            }

            SweepRunOptions options;
            options.executable = fs::read_symlink("/proc/self/exe").string();
            options.out_dir = out;
            options.parallel = parallelism.parallel;
            options.blas_threads = parallelism.blas_threads;
            options.stop = &stop_requested;
            options.retry_failed = a.has("--retry-failed");
            if (a.has("--member")) {
              options.only = member;
              options.parallel = 1;
              options.blas_threads = cores;
              const int rank = secondaryRankFromEnvironment();
              options.secondary_rank = rank > 0;
              if (rank > 0) options.log_suffix = ".rank" + std::to_string(rank);
            }
            const bool tty = ::isatty(1);
            int drawn_lines = 0;
            options.on_change = [&](const std::vector<MemberState>& members) {
              if (!tty) return;
              const std::string table = sweepTable(plan, members);
              // Redraw in place: up to the table's first line, clear below, print anew.
              if (drawn_lines > 0) std::printf("\x1b[%dF\x1b[J", drawn_lines);
              std::fputs(table.c_str(), stdout);
              std::fflush(stdout);
              drawn_lines = static_cast<int>(std::count(table.begin(), table.end(), '\n'));
            };
            options.on_event = [&](const std::string& text) {
              if (tty) {
                if (drawn_lines > 0) std::printf("\x1b[%dF\x1b[J", drawn_lines);
                drawn_lines = 0;
              }
              std::printf("%s\n", text.c_str());
              std::fflush(stdout);
            };
            for (int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, onStopSignal);
            std::signal(SIGPIPE, SIG_IGN);

            SweepRunner runner(plan, options);
            std::printf(
                "%s sweep %s: %zu members in %s, %d at a time, %d OpenBLAS thread(s) each\n",
                continuing ? "continuing" : "running", plan.file.name.c_str(), plan.members.size(),
                out.c_str(), options.parallel, options.blas_threads);
            std::fflush(stdout);
            const int code = runner.run();
            if (!tty) std::cout << "\n" << sweepTable(plan, runner.members());
            for (size_t i = 0; i < runner.members().size(); ++i) {
              const auto& m = runner.members()[i];
              if (!m.note.empty())
                std::printf("%s %s: %s\n", plan.members[i].name.c_str(), toString(m.status).c_str(),
                            m.note.c_str());
            }
            std::printf("summary: %s\n", runner.summaryPath().c_str());
            return code;
          }};
}

}  // namespace cvae::cli
