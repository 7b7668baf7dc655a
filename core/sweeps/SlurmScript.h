#pragma once
// A Slurm job-array script for a sweep: one array task per member, each running
// `cvae-cli sweep SWEEP --out DIR --member $SLURM_ARRAY_TASK_ID`, so a requeued or re-submitted
// task resumes its member like a re-run of the sweep does. Slurm schedules; we write no
// scheduler of our own. See docs/DISTRIBUTED.md.

#include <string>

#include "core/sweeps/SweepPlan.h"

namespace cvae {

struct SlurmOptions {
  std::string executable;  // absolute path of cvae-cli on the cluster
  std::string sweep_file;  // absolute
  std::string out_dir;     // absolute, on a filesystem every node sees
  int cpus_per_task = 4;
  int ranks_per_member = 1;  // >1: data-parallel members, one Slurm task per rank
  int max_running = 0;       // the array's %limit; 0 for none
};

std::string slurmArrayScript(const SweepPlan& plan, const SlurmOptions& options);

}  // namespace cvae
