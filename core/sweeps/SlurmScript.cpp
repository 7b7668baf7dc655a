#include "core/sweeps/SlurmScript.h"

namespace cvae {
namespace {

// Single-quoted for the shell, whatever the path holds.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string slurmArrayScript(const SweepPlan& plan, const SlurmOptions& o) {
  const size_t n = plan.members.size();
  std::string s = "#!/bin/bash\n";
  s += "# Written by `cvae-cli sweep " + plan.file.path + " --emit-slurm`: one array task per\n";
  s += "# member of the sweep '" + plan.file.name + "' (" + std::to_string(n) +
       " members). Submit with `sbatch THIS_FILE`;\n";
  s += "# re-submitting it (or a requeue) skips finished members and resumes stopped ones.\n";
  s += "#SBATCH --job-name=" + plan.file.name + "\n";
  s += "#SBATCH --array=0-" + std::to_string(n - 1) +
       (o.max_running > 0 ? "%" + std::to_string(o.max_running) : std::string()) + "\n";
  s += "#SBATCH --ntasks=" + std::to_string(o.ranks_per_member) + "\n";
  s += "#SBATCH --cpus-per-task=" + std::to_string(o.cpus_per_task) + "\n";
  s += "#SBATCH --output=" + o.out_dir + "/logs/slurm-%A_%a.out\n";
  s += "set -euo pipefail\n";
  s += "mkdir -p " + quoted(o.out_dir + "/logs") + "\n";
  s += "CLI=" + quoted(o.executable) + "\nSWEEP=" + quoted(o.sweep_file) +
       "\nOUT=" + quoted(o.out_dir) + "\n";
  s += "# One torch thread per member and OpenBLAS on the task's cores (see docs/BENCHMARKS.md).\n";
  s += "export OPENBLAS_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}\n";
  if (o.ranks_per_member <= 1) {
    s += "exec \"$CLI\" sweep \"$SWEEP\" --out \"$OUT\" --member \"$SLURM_ARRAY_TASK_ID\"\n";
    return s;
  }
  // Data-parallel members: each task is one rank; rank 0 (on the first node) writes the run.
  s += "export MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\n";
  s += "export MASTER_PORT=$((29500 + SLURM_ARRAY_TASK_ID % 1000))\n";
  s += "export CLI SWEEP OUT\n";
  s += "srun bash -c 'WORLD_SIZE=$SLURM_NTASKS RANK=$SLURM_PROCID exec \"$CLI\" sweep \"$SWEEP\" "
       "--out \"$OUT\" --member \"$SLURM_ARRAY_TASK_ID\"'\n";
  return s;
}

}  // namespace cvae
