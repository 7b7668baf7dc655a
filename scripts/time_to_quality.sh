#!/usr/bin/env bash
# Trains an experiment's preset on the course data and reports the wall time to the quality
# targets of its issue:
#   tense     mean BLEU-4 >= 0.95 on test.txt and Gaussian score >= 0.70, one checkpoint (#3);
#             then the best checkpoint's BLEU-4 on 300 verbs train.txt lacks (`cvae-cli
#             unseen-verbs`, target 0.90) and its Gaussian score over sampling seeds 43-45
#             (target 0.70 as their mean) (#18)
#   spelling  mean BLEU-4 >= 0.95 on test.json, exact-match accuracy reported (#4); trained on
#             train.json less a dev set of 10 % of its words (`cvae-cli held-out-words`, seed 1,
#             never test.json's), whose BLEU-4 the best checkpoint then reports (target 0.93, #18),
#             and its BLEU-4 on the data maker's typos of 400 list words the course files lack
#   video     mean PSNR over the predicted frames >= copy-last-frame PSNR + 3 dB, on the
#             validation split of the made pushing data set (#5); made first when missing
#   scripts/time_to_quality.sh [tense|spelling|video] [RUN_DIR] [--set KEY=VALUE ...]
# Needs a build (scripts/build.sh); tense and spelling need ../shared/data beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
experiment=tense
case "${1:-}" in tense | spelling | video) experiment=$1; shift ;; esac
run_dir=runs/time-to-quality-$experiment-$(date +%Y%m%d-%H%M%S)
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then run_dir=$1; shift; fi
case $experiment in
  tense) preset=configs/tense_cvae.yaml train=../shared/data/tense/train.txt test=../shared/data/tense/test.txt ;;
  spelling) preset=configs/spelling_seq2seq.yaml train=../shared/data/spelling/train.json test=../shared/data/spelling/test.json ;;
  video)
    data=${PUSHING_DATA:-/tmp/cvae-pushing}
    [ -d "$data/train" ] || build/app/cli/cvae-cli make-data pushing --out "$data"
    preset=configs/video_svg_cpu.yaml train=$data/train test=$data/validate ;;
esac
[ -e "$train" ] || { echo "time_to_quality: $train not found" >&2; exit 2; }
if [ "$experiment" = spelling ]; then
  # The run dir must not exist before training; the split, the same for every run, sits beside.
  held=$(dirname "$run_dir")/spelling-held-out
  mkdir -p "$held"
  build/app/cli/cvae-cli held-out-words "$train" --train-out "$held/train.json" \
    --dev-out "$held/dev.json" --keep "$test" --share 0.1 --seed 1 --overwrite
  # A second dev set: the data maker's typos (one slip each) of 400 list words that are neither a
  # target nor a misspelling anywhere in the course files.
  build/app/cli/cvae-cli make-data spelling --out "$held/made" --size 3000 --overwrite >/dev/null
  jq -c --slurpfile tr "$train" --slurpfile te "$test" '
    ([$tr[0][], $te[0][]] | map(.target, .input[]) | map({key: ., value: true}) | from_entries) as $known
    | map(select($known[.target] | not) | .input |= map(select($known[.] | not))
          | select(.input | length > 0)) | .[:400]' "$held/made/train.json" >"$held/made-unseen.json"
  train=$held/train.json
fi
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%F)"
started=$(date +%s)
build/app/cli/cvae-cli train "$preset" --run-dir "$run_dir" \
  --set data.train="$train" --set data.test="$test" "$@"
# metrics.csv: eval rows carry elapsed_s (column 4) and the scores by name.
awk -F, -v experiment="$experiment" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == "eval" && experiment == "tense" {
    b = $col["bleu"]; g = $col["gaussian"]
    if (b + g > best) { best = b + g; best_line = sprintf("best checkpoint: epoch %d, bleu %.4f, gaussian %.2f at %.0f s", $2 + 1, b, g, $4) }
    if (!hit && b >= 0.95 && g >= 0.70) { hit = 1; printf "targets reached at epoch %d after %.0f s (bleu %.4f, gaussian %.2f)\n", $2 + 1, $4, b, g }
  }
  $1 == "eval" && experiment == "spelling" {
    b = $col["bleu"]; a = $col["accuracy"]
    if (b > best) { best = b; best_line = sprintf("best checkpoint: epoch %d, bleu %.4f, exact match %.2f at %.0f s", $2 + 1, b, a, $4) }
    if (!hit && b >= 0.95) { hit = 1; printf "target reached at epoch %d after %.0f s (bleu %.4f, exact match %.2f)\n", $2 + 1, $4, b, a }
  }
  $1 == "eval" && experiment == "video" {
    p = $col["psnr"]; c = $col["psnr_copy_last"]; s = $col["ssim"]
    if (p - c > best || best == "") { best = p - c; best_line = sprintf("best checkpoint: epoch %d, psnr %.2f dB, copy-last %.2f dB (%+.2f dB), ssim %.3f at %.0f s", $2 + 1, p, c, p - c, s, $4) }
    if (!hit && p >= c + 3) { hit = 1; printf "target reached at epoch %d after %.0f s (psnr %.2f dB, copy-last %.2f dB)\n", $2 + 1, $4, p, c }
  }
  END { print best_line; if (!hit) print "targets not reached in this run" }' "$run_dir/metrics.csv"
echo "training took $(( $(date +%s) - started )) s of wall time"
cli=build/app/cli/cvae-cli
if [ "$experiment" = spelling ]; then
  bleu=$($cli evaluate "$run_dir/best.pt" --test "$held/dev.json" | sed -n 's/^bleu: //p')
  echo "held-out words: best checkpoint BLEU-4 $bleu on $held/dev.json (target 0.93)"
  bleu=$($cli evaluate "$run_dir/best.pt" --test "$held/made-unseen.json" | sed -n 's/^bleu: //p')
  echo "made typos of unseen words: best checkpoint BLEU-4 $bleu on $held/made-unseen.json (target 0.93)"
fi
if [ "$experiment" = tense ]; then
  if $cli unseen-verbs "$train" --out "$run_dir/unseen-verbs.txt" -n 300 --overwrite >/dev/null; then
    bleu=$($cli evaluate "$run_dir/best.pt" --test "$run_dir/unseen-verbs.txt" | sed -n 's/^bleu: //p')
    echo "unseen verbs: best checkpoint BLEU-4 $bleu on 300 verbs train.txt lacks (target 0.90)"
  else
    echo "unseen verbs: not scored (cvae-cli unseen-verbs needs WordNet: scripts/setup.sh)"
  fi
  total=0
  for seed in 43 44 45; do
    known=$($cli generate "$run_dir/best.pt" -n 100 --seed $seed | tail -1 | cut -d' ' -f1)
    total=$((total + known))
  done
  echo "gaussian score over sampling seeds 43-45: $(awk -v t=$total 'BEGIN { printf "%.3f", t / 300 }') (target 0.70)"
fi
