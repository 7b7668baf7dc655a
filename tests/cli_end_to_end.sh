#!/usr/bin/env bash
# The CLI as a user drives it: make data, train briefly, then evaluate, generate and convert
# from the checkpoint. Fails on the first command that fails or prints the wrong thing.
set -euo pipefail
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cli" --help | grep -q "train CONFIG"
"$cli" --version | grep -Eq "^cvae-cli [0-9]+\.[0-9]+\.[0-9]+ \(LibTorch 1\.[0-9]+"
"$cli" --help probe | grep -q "^usage: cvae-cli probe A B"
if "$cli" --help nonsense 2> "$work/err.txt"; then exit 1; fi
grep -q "unknown verb 'nonsense'" "$work/err.txt"
# Bash completion: verbs, then the verb's options from its usage line.
completion="$(dirname "$0")/../scripts/cvae-cli-completion.bash"
complete_words() {  # complete_words CWORD WORD...: what completing word CWORD offers
  bash -c 'source "$1"; shift; COMP_CWORD=$1; shift; COMP_WORDS=("$@"); _cvae_cli; echo "${COMPREPLY[*]}"' \
    _ "$completion" "$@"
}
test "$(complete_words 1 "$cli" pr)" = "predict probe"
test "$(complete_words 2 "$cli" probe --w)" = "--word"
test "$(complete_words 2 "$cli" make-data --)" = "--out --overwrite --sequences --size --help"
"$cli" make-data tense --out "$work/data" | grep -q "training rows"
test -s "$work/data/train.txt" && test -s "$work/data/test.txt"
# A data set is never replaced without being asked.
if "$cli" make-data tense --out "$work/data" --size 10 2> "$work/err.txt"; then exit 1; fi
grep -q "pass --overwrite" "$work/err.txt"

cat > "$work/tiny.yaml" <<YAML
experiment: tense
name: tiny
data:
  train: data/train.txt
  test: data/test.txt
model:
  embedding_size: 8
  hidden_size: 32
  latent_size: 4
  condition_size: 4
train:
  epochs: 1
  batch_size: 256
  device: cpu
evaluation:
  gaussian_samples: 5
output:
  dir: runs
YAML
"$cli" train "$work/tiny.yaml" --run-dir "$work/run" --set train.seed=3 | tee "$work/train.log"
grep -q "evaluation after epoch 1: bleu" "$work/train.log"
grep -q "^eval,0," "$work/run/metrics.csv"

"$cli" evaluate "$work/run/best.pt" > "$work/evaluate.txt"
grep -Eq "^bleu: (0|1)\.[0-9]{4}$" "$work/evaluate.txt"
grep -Eq "^gaussian: (0|1)\.[0-9]{4}$" "$work/evaluate.txt"
# The Gaussian score is a mean over sampling seeds (evaluation.gaussian_seeds, 10): its spread.
grep -Eq "^gaussian spread: sd [0-9]\.[0-9]{4}, range [01]\.[0-9]{2}-[01]\.[0-9]{2} over 10 sampling seeds$" "$work/evaluate.txt"
# Three tuples, then how many are training rows.
"$cli" generate "$work/run/best.pt" -n 3 > "$work/generated.txt"
test "$(wc -l < "$work/generated.txt")" -eq 4
tail -n 1 "$work/generated.txt" | grep -Eq "^[0-3] of 3 tuples are rows of the training set"
# One lower-case word, nothing else.
converted=$("$cli" convert "$work/run/best.pt" abet --from sp --to pg)
# Without tenses, sp -> p (as probe's --word), not sp -> sp (the word back).
test "$("$cli" convert "$work/run/best.pt" abet)" = "$("$cli" convert "$work/run/best.pt" abet --to p)"
if "$cli" convert "$work/run/best.pt" "$(printf 'a%.0s' $(seq 1 50))" 2> "$work/err.txt"; then exit 1; fi
grep -q "has 50 letters; this model writes words of at most 32" "$work/err.txt"
[[ "$converted" =~ ^[a-z]+$ ]]
# --probabilities: the same word, then each letter's probability and the end's.
"$cli" convert "$work/run/best.pt" abet --from sp --to pg --probabilities > "$work/scored.txt"
test "$(head -n 1 "$work/scored.txt")" = "$converted"
letters=$(sed -n 2p "$work/scored.txt")
[[ "$letters" =~ ^([a-z]\ [01]\.[0-9]{2}\ \ )+end\ [01]\.[0-9]{2}$ ]]
test "$(echo "$letters" | awk '{ for (i = 1; i < NF - 1; i += 2) printf "%s", $i }')" = "$converted"

# Resume after kill -9: a run killed after its first checkpoint and resumed ends as the same run
# left alone does (same seed), and evaluates to the same output.
long=(--set train.epochs=8 --set train.seed=5)
"$cli" train "$work/tiny.yaml" --run-dir "$work/whole" "${long[@]}" > /dev/null
"$cli" train "$work/tiny.yaml" --run-dir "$work/killed" "${long[@]}" > "$work/killed.log" &
pid=$!
for _ in $(seq 1 1200); do  # until the run is inside its second epoch
  grep -q "^train,1," "$work/killed/metrics.csv" 2>/dev/null && break
  sleep 0.05
done
kill -9 "$pid"
wait "$pid" || true
grep -q "^state: running" "$work/killed/status.yaml"
if grep -q "^eval,7," "$work/killed/metrics.csv"; then
  echo "the run finished before it could be killed; make it longer" >&2
  exit 1
fi
"$cli" resume "$work/killed" | tee "$work/resume.log"
grep -q "resuming from .*last.pt after step [0-9]*, in epoch 2" "$work/resume.log"
grep -q "^state: completed" "$work/killed/status.yaml"
diff <("$cli" evaluate "$work/whole/last.pt") <("$cli" evaluate "$work/killed/last.pt")
# metrics.csv reads as if the run had never stopped: every step once.
test "$(grep -c '^train,' "$work/killed/metrics.csv")" = "$(grep -c '^train,' "$work/whole/metrics.csv")"
test -z "$(cut -d, -f1,3 "$work/killed/metrics.csv" | sort | uniq -d)"
# Paired probes: the resumed run against the one left alone (same weights) differs nowhere; the
# 1-epoch run against the 8-epoch one is compared on the same words and the same z draws.
"$cli" probe "$work/whole" "$work/killed" -n 4 > "$work/probe.txt"
grep -q "^A: .*whole/last.pt (step " "$work/probe.txt"
grep -q "^A and B differ on 0 of 24 rows" "$work/probe.txt"  # 20 test pairs + 4 tuples
"$cli" probe "$work/run/best.pt" "$work/whole" --word abet --word zip --from sp --to pg -n 3 \
  > "$work/probe2.txt"
grep -Eq "^A and B differ on [0-5] of 5 rows" "$work/probe2.txt"
grep -Eq "^. abet +sp +pg " "$work/probe2.txt"
grep -q "the checkpoints are at different steps" "$work/probe2.txt"
if "$cli" probe "$work/run" "$work/whole" --word 'Abet!' 2> "$work/err.txt"; then exit 1; fi
grep -q "is not a lower-case a-z word" "$work/err.txt"
if "$cli" probe "$work/run" "$work/whole" --from pg 2> "$work/err.txt"; then exit 1; fi
grep -q "apply to the --word words" "$work/err.txt"
if "$cli" probe "$work/run" "$work/data" 2> "$work/err.txt"; then exit 1; fi
grep -q "no best.pt or last.pt to probe" "$work/err.txt"
# Interpolation: 5 points from abet to zip, each in the four tenses.
"$cli" interpolate "$work/whole" abet zip --steps 5 > "$work/interp.txt"  # a run: its last.pt
test "$(wc -l < "$work/interp.txt")" -eq 6
head -n 1 "$work/interp.txt" | grep -Eq "^t +sp +tp +pg +p$"
sed -n 2p "$work/interp.txt" | grep -Eq "^0\.00 +[a-z]"
tail -n 1 "$work/interp.txt" | grep -Eq "^1\.00 "
if "$cli" interpolate "$work/whole/last.pt" abet zip --steps 1 2> "$work/err.txt"; then exit 1; fi
grep -q "expected an integer in \[2, 1000\]" "$work/err.txt"
if "$cli" interpolate "$work/whole/last.pt" abet zip --tense future 2> "$work/err.txt"; then exit 1; fi
grep -q "unknown tense 'future'" "$work/err.txt"
# The collapse watch: evaluate says which latent dimensions are in use.
"$cli" evaluate "$work/whole/last.pt" | grep -Eq "^active units: [0-4] of 4 "
head -n 1 "$work/whole/latent.csv" | grep -q "^record,epoch,step,elapsed_s,active_units,kl_total,kl_0,kl_1,kl_2,kl_3$"

# A finished run, a folder that is not a run, and a second run into the same folder are refused.
if "$cli" resume "$work/whole" 2> "$work/err.txt"; then exit 1; fi
grep -q "finished all 8 epochs" "$work/err.txt"
if "$cli" resume "$work/data" 2> "$work/err.txt"; then exit 1; fi
grep -q "not a run folder" "$work/err.txt"
if "$cli" train "$work/tiny.yaml" --run-dir "$work/whole" 2> "$work/err.txt"; then exit 1; fi
grep -q "holds a run already" "$work/err.txt"
# Fork: another beta schedule from the finished run's last checkpoint.
"$cli" train "$work/tiny.yaml" --from "$work/whole" --run-dir "$work/fork" \
  --set train.epochs=9 --set kl_annealing.max_beta=0.5 > "$work/fork.log"
grep -q "^fork_step: " "$work/fork/status.yaml"
grep -q "^train,8," "$work/fork/metrics.csv"

# The spelling experiment through the same verbs.
"$cli" make-data spelling --out "$work/spelling" | grep -q "training pairs"
cat > "$work/spelling.yaml" <<YAML
experiment: spelling
data:
  train: spelling/train.json
  test: spelling/test.json
model:
  embedding_size: 8
  hidden_size: 32
  bidirectional: true
train:
  epochs: 1
  batch_size: 512
  device: cpu
output:
  dir: runs
YAML
"$cli" train "$work/spelling.yaml" --run-dir "$work/spelling-run" | tee "$work/spelling.log"
grep -q "evaluation after epoch 1: accuracy .* bleu" "$work/spelling.log"
"$cli" evaluate "$work/spelling-run/best.pt" --all | grep -q "^Spelling corrections"
# The corrector draws nothing in an evaluation: its seed is read only in training.
"$cli" evaluate "$work/spelling-run/best.pt" --set train.seed=5 > /dev/null 2> "$work/note.txt"
grep -qx "note: --set train.seed=5 has no effect on a trained checkpoint: it is read only in training" "$work/note.txt"
"$cli" convert "$work/spelling-run/best.pt" recetion > "$work/converted"
if "$cli" convert "$work/spelling-run/best.pt" recetion --to pg 2> "$work/err"; then exit 1; fi
grep -q "^cvae-cli convert: --to: a spelling checkpoint has no tenses to convert between" "$work/err"
test "$(wc -l < "$work/converted")" -eq 1
grep -Eq "^[a-z]+$" "$work/converted"
if "$cli" generate "$work/spelling-run/best.pt" 2> "$work/err"; then exit 1; fi
grep -q "does not support 'generate'" "$work/err"
if "$cli" probe "$work/run" "$work/spelling-run" 2> "$work/err"; then exit 1; fi
grep -q "a paired probe compares one experiment" "$work/err"
printf '[{"input": ["ab"], "target": 5}]' > "$work/bad.json"
if "$cli" train "$work/spelling.yaml" --set data.test="$work/bad.json" 2> "$work/err"; then exit 1; fi
grep -q "bad.json: entry 1: key 'target' must be a string" "$work/err"

# The video experiment: made pushing data, a tiny SVG model, evaluation and prediction.
"$cli" make-data pushing --out "$work/pushing" --sequences 4 | grep -q "wrote the pushing data set"
cat > "$work/video.yaml" <<YAML
experiment: video
data:
  train: pushing/train
  test: pushing/validate
model:
  hidden_size: 16
  latent_size: 4
video:
  width: 0.125
  frame_dim: 16
  future_frames: 3
  eval_future_frames: 3
  eval_sequences: 4
  prior_samples: 1
train:
  epochs: 1
  batch_size: 4
  device: cpu
YAML
"$cli" train "$work/video.yaml" --run-dir "$work/video-run" | tee "$work/video.log"
grep -q "evaluation after epoch 1: psnr .* psnr_copy_last .* ssim" "$work/video.log"
"$cli" evaluate "$work/video-run/best.pt" --test "$work/pushing/test" \
  --save-previews "$work/video-previews" | grep -q "^psnr_copy_last: "
grep -q "^### FRAMES prior sample 1" "$work/video-previews/previews.tsv"
test -s "$work/video-previews/preview-frames/0_0.png"
# Saved again over them (--overwrite): no frame of the earlier save is left behind.
cp "$work/video-previews/preview-frames/0_0.png" "$work/video-previews/preview-frames/99_0.png"
"$cli" evaluate "$work/video-run/best.pt" --test "$work/pushing/test" \
  --save-previews "$work/video-previews" --overwrite > /dev/null
test -s "$work/video-previews/preview-frames/0_0.png"
test ! -e "$work/video-previews/preview-frames/99_0.png"
"$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/predicted" > "$work/predict.txt"
grep -q "prediction.gif" "$work/predict.txt"
frames=$(sed -n 's/^wrote \([0-9]*\) frames per strip.*/\1/p' "$work/predict.txt")
# Frames counted from 1 as evaluate counts them: the first given, the last numbered $frames.
grep -Eq "^1 +given" "$work/predict.txt"
grep -Eq "^$frames +[0-9]" "$work/predict.txt"
"$cli" probe "$work/video-run" "$work/video-run" --sequence "$work/pushing/test/traj_0_to_49/3" \
  -n 1 > "$work/probe-video.txt"
grep -Eq "^. $frames +[0-9]" "$work/probe-video.txt" || { cat "$work/probe-video.txt"; exit 1; }
test -s "$work/predicted/prediction.gif" && test -s "$work/predicted/sample1_4.png"
head -c 6 "$work/predicted/prediction.gif" | grep -q GIF89a
# A GIF that decodes, with one frame per time step of the strips.
test "$(identify -format '%w\n' "$work/predicted/prediction.gif" | wc -l)" -eq "$frames"
if "$cli" predict "$work/run/best.pt" --sequence x --out y 2> "$work/err"; then exit 1; fi
grep -q "does not support 'predict'" "$work/err"
# An earlier prediction is replaced only with --overwrite, and then wholly: one sample after
# two leaves no second sample's frames.
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/predicted" 2> "$work/err"; then exit 1; fi
grep -q "predicted: holds a prediction already (prediction.gif and .* more files); pass --overwrite" "$work/err"
"$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/predicted" --samples 2 --overwrite > /dev/null
test -s "$work/predicted/sample2_0.png"
"$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/predicted" --overwrite > /dev/null
test ! -e "$work/predicted/sample2_0.png" && test -s "$work/predicted/sample1_0.png"
# A folder under a frame's name is refused before anything is removed.
rm "$work/predicted/truth_1.png" && mkdir "$work/predicted/truth_1.png"
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/predicted" --overwrite 2> "$work/err"; then exit 1; fi
grep -q "predicted/truth_1.png: not a file, where predict writes one" "$work/err"
test -s "$work/predicted/prediction.gif" && rmdir "$work/predicted/truth_1.png"
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/predict.txt" 2> "$work/err"; then exit 1; fi
grep -q "^cvae-cli predict: --out .*predict.txt: not a folder" "$work/err"
# Not into the sequence, nor into a folder that holds it (its frames would mix with the data).
for out in "$work/pushing/test/traj_0_to_49/3" "$work/pushing/test/traj_0_to_49/3/pred" "$work/pushing/test"; do
  if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
    --out "$out" --overwrite 2> "$work/err"; then exit 1; fi
  grep -q "the prediction's frames would mix with the data's: choose a folder apart" "$work/err"
done
test ! -e "$work/pushing/test/traj_0_to_49/3/pred" && test ! -e "$work/pushing/test/truth_0.png"
# Not into a run's folder (its PNGs among the run's files), even with --overwrite; an empty
# --out is not the current folder; a folder of sequences is named as such.
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/run" --overwrite 2> "$work/err"; then exit 1; fi
grep -q "^cvae-cli predict: --out $work/run: holds a run (its [a-z_.]*); the prediction's frames would lie among the run's files" "$work/err"
test ! -e "$work/run/truth_0.png"
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "" 2> "$work/err"; then exit 1; fi
grep -q "^cvae-cli predict: --out: the folder's path is empty" "$work/err"
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49" \
  --out "$work/p2" 2> "$work/err"; then exit 1; fi
grep -q "^cvae-cli predict: --sequence $work/pushing/test/traj_0_to_49: a folder of sequences, not one sequence" "$work/err"
# A clip of only the frames the model reads, with as many CSV rows, predicts the same.
mkdir "$work/clip"
for ((t = 0; t < frames; t++)); do cp "$work/pushing/test/traj_0_to_49/3/$t.png" "$work/clip/"; done
for f in actions.csv endeffector_positions.csv; do
  head -n "$frames" "$work/pushing/test/traj_0_to_49/3/$f" > "$work/clip/$f"
done
"$cli" predict "$work/video-run/best.pt" --sequence "$work/clip" --out "$work/clipped" > "$work/clip.txt"
cmp "$work/clipped/sample1_$((frames - 1)).png" "$work/predicted/sample1_$((frames - 1)).png"
head -n $((frames - 1)) "$work/pushing/test/traj_0_to_49/3/actions.csv" > "$work/clip/actions.csv"
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/clip" --out "$work/c2" 2> "$work/err"; then exit 1; fi
grep -q "actions.csv: $((frames - 1)) rows, expected at least $frames" "$work/err"
rm "$work/pushing/test/traj_0_to_49/3/2.png"
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/pushing/test/traj_0_to_49/3" \
  --out "$work/predicted-again" 2> "$work/err"; then exit 1; fi
grep -q "2.png: missing frame" "$work/err"
# A video probe needs a sequence; words and tenses are refused, not ignored.
if "$cli" probe "$work/video-run" "$work/video-run" 2> "$work/err"; then exit 1; fi
grep -q "a video probe compares the predictions of one sequence: give --sequence DIR" "$work/err"
if "$cli" probe "$work/video-run" "$work/video-run" --word abet --sequence "$work/clip" 2> "$work/err"; then exit 1; fi
grep -q -- "--word: a video checkpoint converts no words" "$work/err"
if "$cli" probe "$work/run" "$work/run" --sequence "$work/clip" 2> "$work/err"; then exit 1; fi
grep -q -- "--sequence: a tense checkpoint predicts no frames" "$work/err"
if "$cli" predict "$work/video-run/best.pt" --sequence "$work/nowhere" --out "$work/p3" 2> "$work/err"; then exit 1; fi
grep -q "nowhere: no such folder" "$work/err"

# Sweeps: every member its own process and run folder, a failing member leaves the others
# alone, summary.csv has the issue's columns, a re-run skips what is settled and resumes what
# was stopped.
cat > "$work/sweep.yaml" <<YAML
base: tiny.yaml
set:
  train.epochs: 2
grid:
  kl_annealing.policy: [monotonic, cyclical]
  data.train: [data/train.txt, data/missing.txt]
YAML
"$cli" sweep "$work/sweep.yaml" --dry-run > "$work/dry.txt"
grep -q "^003-cyclical-missing.txt " "$work/dry.txt"
grep -q "4 members of .*tiny.yaml; would run in .*, 2 at a time with 1 OpenBLAS" "$work/dry.txt"
test ! -e "$work/runs"  # a dry run makes nothing
status=0; (cd "$work" && "$cli" sweep sweep.yaml --out swept > sweep.log) || status=$?
test "$status" -eq 1  # one kind of member failed
cat "$work/swept/summary.csv"
head -n 1 "$work/swept/summary.csv" |
  grep -qx "run,status,kl_annealing.policy,data.train,bleu,gaussian,seconds"
grep -Eq "^000-monotonic-train.txt,completed,monotonic,/.*/data/train.txt,(0|1)\.[0-9]+,(0|1)(\.[0-9]+)?,[0-9.]+$" \
  "$work/swept/summary.csv"
grep -q "^001-monotonic-missing.txt,failed," "$work/swept/summary.csv"
grep -q "^002-cyclical-train.txt,completed," "$work/swept/summary.csv"
grep -q "001-monotonic-missing.txt failed: exit code 2: .*missing.txt: cannot open" "$work/sweep.log"
grep -q "^eval,1," "$work/swept/002-cyclical-train.txt/metrics.csv"
# The configs of two members differ in the swept key only; a run, a checkpoint and a file mix.
"$cli" diff "$work/swept/000-monotonic-train.txt" "$work/swept/002-cyclical-train.txt/best.pt" \
  > "$work/diff.txt"
grep -Eq "^kl_annealing.policy +monotonic +cyclical$" "$work/diff.txt"
test "$(wc -l < "$work/diff.txt")" -eq 2
"$cli" diff "$work/swept/000-monotonic-train.txt" "$work/swept/000-monotonic-train.txt" |
  grep -q "the configs are the same"
# Again: nothing is started, the summary stays.
cp "$work/swept/summary.csv" "$work/summary-before.csv"
(cd "$work" && "$cli" sweep sweep.yaml --out swept > sweep2.log) || true
if grep -q "^started\|^resumed" "$work/sweep2.log"; then exit 1; fi
cmp "$work/swept/summary.csv" "$work/summary-before.csv"
# A base that leaves the data paths empty (as the presets do) trains on the embedded default,
# whose paths the members' config.yaml keep: a re-run is not refused over them.
sed -e 's|^  train: .*|  train: ""|' -e 's|^  test: .*|  test: ""|' "$work/tiny.yaml" > "$work/default-data.yaml"
grep -qx '  train: ""' "$work/default-data.yaml"
printf 'base: default-data.yaml\nset: {train.epochs: 1}\nseeds: [1]\n' > "$work/default-sweep.yaml"
(cd "$work" && CVAE_DATA_DIR=$work/embedded "$cli" sweep default-sweep.yaml --out default-swept > /dev/null)
(cd "$work" && CVAE_DATA_DIR=$work/embedded "$cli" sweep default-sweep.yaml --out default-swept > again.log)
if grep -q "^started\|^resumed" "$work/again.log"; then exit 1; fi
grep -q "^000-s1,completed," "$work/default-swept/summary.csv"
# Other data (another CVAE_DATA_DIR): the members' folders are refused, by a dry run too.
if (cd "$work" && CVAE_DATA_DIR=$work/other-embedded "$cli" sweep default-sweep.yaml \
  --out default-swept --dry-run > /dev/null 2> dry-err.txt); then exit 1; fi
grep -q "holds a run that is not member 000-s1 of this sweep (data.train: " "$work/dry-err.txt"
# ... and an edited sweep file's dry run is refused as its run is (another sweep's folder).
(echo "# edited"; cat "$work/default-sweep.yaml") > "$work/edited-sweep.yaml"
if (cd "$work" && CVAE_DATA_DIR=$work/embedded "$cli" sweep edited-sweep.yaml \
  --out default-swept --dry-run > /dev/null 2> dry-err.txt); then exit 1; fi
grep -q "default-swept: holds another sweep (its sweep.yaml differs from .*edited-sweep.yaml)" "$work/dry-err.txt"
# Failed members run again when asked, once their cause is fixed.
cp "$work/data/train.txt" "$work/data/missing.txt"
(cd "$work" && "$cli" sweep sweep.yaml --out swept --retry-failed > sweep3.log)
test "$(grep -c '^started' "$work/sweep3.log")" -eq 2
test "$(grep -c ',completed,' "$work/swept/summary.csv")" -eq 4
# Stopped mid-way (SIGTERM as a scheduler sends it), then continued by the same command.
cat > "$work/long-sweep.yaml" <<YAML
base: tiny.yaml
set: {train.epochs: 12}  # long enough for the SIGTERM below to land mid-way
seeds: [1, 2, 3]
YAML
"$cli" sweep "$work/long-sweep.yaml" --out "$work/long" --parallel 2 > "$work/long1.log" &
pid=$!
for _ in $(seq 1 1200); do
  grep -q "^train,1," "$work/long/000-s1/metrics.csv" 2>/dev/null && break
  sleep 0.05
done
kill -TERM "$pid"
status=0; wait "$pid" || status=$?
test "$status" -eq 130
grep -q "^000-s1,stopped,1," "$work/long/summary.csv"
grep -q "^002-s3,pending,3,,,$" "$work/long/summary.csv"
"$cli" sweep "$work/long-sweep.yaml" --out "$work/long" --parallel 2 > "$work/long2.log"
grep -q "^resumed 000-s1" "$work/long2.log"
grep -q "^started 002-s3" "$work/long2.log"
test "$(grep -c ',completed,' "$work/long/summary.csv")" -eq 3
grep -q "^resumes: 1" "$work/long/000-s1/status.yaml"
# A sweep killed with kill -9 stops its members too (they trained on as orphans, each holding
# its folder): the member gets SIGTERM and saves its last.pt, so the same command resumes it.
"$cli" sweep "$work/long-sweep.yaml" --out "$work/orphan" --parallel 1 > "$work/orphan.log" &
pid=$!
for _ in $(seq 1 1200); do
  grep -q "^train,1," "$work/orphan/000-s1/metrics.csv" 2>/dev/null && break
  sleep 0.05
done
kill -KILL "$pid"
wait "$pid" 2> /dev/null || true
for _ in $(seq 1 1200); do
  grep -qx "state: stopped" "$work/orphan/000-s1/status.yaml" 2>/dev/null && break
  sleep 0.05
done
grep -qx "state: stopped" "$work/orphan/000-s1/status.yaml"
test -s "$work/orphan/000-s1/last.pt"
# Slurm array tasks run members side by side; the last to finish writes the whole summary.
"$cli" sweep "$work/long-sweep.yaml" --out "$work/array" --member 0 > /dev/null &
"$cli" sweep "$work/long-sweep.yaml" --out "$work/array" --member 2 > /dev/null
wait
grep -q "^000-s1,completed," "$work/array/summary.csv"
grep -q "^001-s2,pending," "$work/array/summary.csv"
grep -q "^002-s3,completed," "$work/array/summary.csv"
# --member's dry run lists that member alone; --parallel has nothing to do with one member.
"$cli" sweep "$work/long-sweep.yaml" --out "$work/array" --member 1 --dry-run > "$work/dry1.txt"
"$cli" sweep "$work/long-sweep.yaml" --out "$work/array" --member 0 --dry-run |
  grep -q "^member 0 of 3 has completed in $work/array/000-s1: a run leaves it$"
test "$(grep -c '^00[0-9]-s' "$work/dry1.txt")" -eq 1 && grep -q "^001-s2 " "$work/dry1.txt"
if "$cli" sweep "$work/long-sweep.yaml" --member 1 --parallel 2 2> "$work/err"; then exit 1; fi
grep -q -- "--parallel does not apply with --member, which runs one member" "$work/err"
# A forgotten option value is named, not taken as a folder called --dry-run.
if "$cli" sweep "$work/long-sweep.yaml" --out --dry-run 2> "$work/err"; then exit 1; fi
grep -q "option --out needs a value (got the option --dry-run)" "$work/err"
test ! -e ./--dry-run
"$cli" sweep --help | grep -q "usage: cvae-cli sweep SWEEP.yaml"
# A bad sweep file names its line; Slurm gets one array task per member.
printf 'base: tiny.yaml\ngrid:\n  train.epochs: [1, many]\n' > "$work/bad-sweep.yaml"
if "$cli" sweep "$work/bad-sweep.yaml" 2> "$work/err"; then exit 1; fi
grep -q "bad-sweep.yaml:3:21: key 'train.epochs': expected an integer" "$work/err"
"$cli" sweep "$work/long-sweep.yaml" --out "$work/long" --emit-slurm "$work/array.sh" > /dev/null
grep -q "^#SBATCH --array=0-2$" "$work/array.sh"
bash -n "$work/array.sh"
# The script is not replaced without --overwrite, and options of another mode are refused.
if "$cli" sweep "$work/long-sweep.yaml" --out "$work/long" --emit-slurm "$work/array.sh" 2> "$work/err"; then exit 1; fi
grep -q "array.sh: exists already; pass --overwrite" "$work/err"
"$cli" sweep "$work/long-sweep.yaml" --out "$work/long" --emit-slurm "$work/array.sh" --overwrite > /dev/null
if "$cli" sweep "$work/long-sweep.yaml" --emit-slurm "$work/a2.sh" --dry-run 2> "$work/err"; then exit 1; fi
grep -q "^cvae-cli sweep: --dry-run does not apply with --emit-slurm" "$work/err"
test ! -e "$work/a2.sh"
if "$cli" sweep "$work/long-sweep.yaml" --dry-run --cpus-per-task 2 2> "$work/err"; then exit 1; fi
grep -q "cpus-per-task is an option of --emit-slurm FILE" "$work/err"
# Not over the base config the members read, and not into a folder the sweep would refuse.
if "$cli" sweep "$work/long-sweep.yaml" --out "$work/long" --emit-slurm "$work/tiny.yaml" --overwrite 2> "$work/err"; then exit 1; fi
grep -q "tiny.yaml: is the input file" "$work/err"
head -n 1 "$work/tiny.yaml" | grep -q "^experiment: tense"
if "$cli" sweep "$work/long-sweep.yaml" --out "$work/run" --emit-slurm "$work/a3.sh" 2> "$work/err"; then exit 1; fi
grep -q "run: holds a run; a sweep needs its own folder" "$work/err"
test ! -e "$work/a3.sh"
# The script is not written into (or as) the sweep folder, nor under a path through a file.
if "$cli" sweep "$work/long-sweep.yaml" --out "$work/o4" --emit-slurm "$work/o4" 2> "$work/err"; then exit 1; fi
grep -q "inside the sweep folder" "$work/err"
if "$cli" sweep "$work/long-sweep.yaml" --out "$work/o5" --emit-slurm "$work/o5/job.sh" 2> "$work/err"; then exit 1; fi
grep -q "inside the sweep folder" "$work/err"
if "$cli" sweep "$work/long-sweep.yaml" --out "$work/tiny.yaml/sub" --dry-run 2> "$work/err"; then exit 1; fi
grep -q "tiny.yaml is a file, not a folder" "$work/err"
# Importance: a folder given twice (or inside another) counts its runs once.
rc=0
"$cli" importance "$work/long" "$work/long" "$work/long/000-s1" --score bleu 2> "$work/imp.txt" || rc=$?
[ "$rc" -eq 2 ]
grep -q "over 3 runs" "$work/imp.txt"
grep -q "needs at least 5 runs" "$work/imp.txt"
"$cli" importance "$work/long" "$work/swept" --score bleu > "$work/imp.txt" || true
grep -q "over 7 runs" "$work/imp.txt"
if "$cli" importance "$work/long" --score bleu --lower-is-better 2> "$work/err"; then exit 1; fi
grep -q "add --last" "$work/err"
if "$cli" importance "$work/long" --score nothing 2> "$work/err"; then exit 1; fi
grep -q "no run here has the score 'nothing' (they have bleu, gaussian)" "$work/err"

# Bad input: a clear message naming the problem, a non-zero exit, no crash.
if "$cli" train "$work/tiny.yaml" --set train.epochs=0 2> "$work/err"; then exit 1; fi
grep -q "train.epochs" "$work/err"
if "$cli" evaluate "$work/nothing.pt" 2> "$work/err"; then exit 1; fi
grep -q "no such checkpoint" "$work/err"
echo "cli end-to-end: all checks passed"
