#!/usr/bin/env bash
# Starts N data-parallel ranks of `cvae-cli train` on this machine, over loopback.
#   scripts/launch-local.sh N CONFIG [--set KEY=VALUE ...] [--run-dir DIR]
# Rank 0 runs in the foreground and writes the run folder; ranks 1..N-1 log to
# RUN_LOGS/rank-R.log (default /tmp/cvae-ranks). Each rank gets 1 torch thread and
# CVAE_BLAS_THREADS OpenBLAS threads (default: cores / N). MASTER_PORT picks the port.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 N CONFIG [cvae-cli train options]" >&2; exit 2; }
world=$1; shift
cli=${CVAE_CLI:-build/app/cli/cvae-cli}
port=${MASTER_PORT:-29500}
logs=${RUN_LOGS:-/tmp/cvae-ranks}
blas=${CVAE_BLAS_THREADS:-$(( $(nproc) / world > 0 ? $(nproc) / world : 1 ))}
mkdir -p "$logs"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for ((rank = 1; rank < world; rank++)); do
  OPENBLAS_NUM_THREADS=$blas "$cli" train "$@" --world-size "$world" --rank "$rank" \
    --master "127.0.0.1:$port" > "$logs/rank-$rank.log" 2>&1 &
  pids+=($!)
done
status=0
OPENBLAS_NUM_THREADS=$blas "$cli" train "$@" --world-size "$world" --rank 0 \
  --master "127.0.0.1:$port" || status=$?
for p in "${pids[@]}"; do wait "$p" || status=$?; done
pids=()
exit $status
