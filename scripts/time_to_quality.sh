#!/usr/bin/env bash
# Trains the tense preset on the course data and reports the wall time to the quality targets of
# issue 3 (mean BLEU-4 >= 0.95 on test.txt and Gaussian score >= 0.70, from one checkpoint).
#   scripts/time_to_quality.sh [RUN_DIR] [--set KEY=VALUE ...]
# Needs a build (scripts/build.sh) and ../shared/data/tense beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
run_dir=${1:-runs/time-to-quality-$(date +%Y%m%d-%H%M%S)}
shift || true
data=../shared/data/tense
[ -f "$data/train.txt" ] || { echo "time_to_quality: $data/train.txt not found" >&2; exit 2; }
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%F)"
build/app/cli/cvae-cli train configs/tense_cvae.yaml --run-dir "$run_dir" \
  --set data.train="$data/train.txt" --set data.test="$data/test.txt" "$@"
# metrics.csv: eval rows carry elapsed_s (column 4) and the scores (bleu, gaussian at the end).
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == "eval" {
    b = $col["bleu"]; g = $col["gaussian"]
    if (b + g > best) { best = b + g; best_line = sprintf("best checkpoint: epoch %d, bleu %.4f, gaussian %.2f at %.0f s", $2 + 1, b, g, $4) }
    if (!hit && b >= 0.95 && g >= 0.70) { hit = 1; printf "targets reached at epoch %d after %.0f s (bleu %.4f, gaussian %.2f)\n", $2 + 1, $4, b, g }
  }
  END { print best_line; if (!hit) print "targets not reached in this run" }' "$run_dir/metrics.csv"
