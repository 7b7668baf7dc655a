#!/usr/bin/env bash
# The README's promises about cvae-cli that cli_end_to_end.sh does not walk through: `score bleu`
# against nltk's values, `config`, `bench` on the embedded default data, the data makers' stated
# sizes, the data-parallel options and scripts/launch-local.sh, Ctrl-C saving a checkpoint, and
# the unknown-verb message. Usage: cli_commands.sh CVAE_CLI SHARED_DIR.
# Parts that need the course files in SHARED_DIR are skipped without them (exit 77 at the end, so
# ctest shows the test as skipped), or fail when CVAE_REQUIRE_SHARED_DATA=1.
set -euo pipefail
cli=$1
shared=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
skipped=0
need_shared() {  # need_shared FILE WHAT: 0 when FILE exists; otherwise skip WHAT (or fail in CI)
  [ -f "$1" ] && return 0
  if [ "${CVAE_REQUIRE_SHARED_DATA:-0}" = 1 ]; then
    echo "FAIL: $1 is missing (CVAE_REQUIRE_SHARED_DATA=1)" >&2
    exit 1
  fi
  echo "SKIP: $2: $1 is missing"
  skipped=1
  return 1
}
fails() {  # fails RC PATTERN CMD...: CMD exits with RC and says PATTERN on stderr
  local want=$1 pattern=$2 rc=0
  shift 2
  "$@" > "$work/out.txt" 2> "$work/err.txt" || rc=$?
  if [ "$rc" != "$want" ] || ! grep -q -- "$pattern" "$work/err.txt"; then
    echo "FAIL: '$*' exited $rc (expected $want), stderr:" >&2
    cat "$work/err.txt" >&2
    exit 1
  fi
}

# --- Unknown verbs and metrics name themselves.
fails 2 "unknown verb 'nonsense' (see cvae-cli --help)" "$cli" nonsense
fails 2 "unknown metric 'rouge' (bleu)" "$cli" score rouge "$work/none.tsv"

# --- Every option a verb reads is in its usage line (`--help VERB`, which bash completion
# reads too): an unknown option's message lists the options the verb parses.
verbs=$("$cli" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(echo "$verbs" | wc -l)" -ge 15 ] || { echo "FAIL: cvae-cli --help lists too few verbs" >&2; exit 1; }
for verb in $verbs; do
  args=("$verb")
  case $verb in  # verbs that read their first word before the options
    score) args+=(bleu) ;;
    make-data) args+=(tense) ;;
  esac
  "$cli" "${args[@]}" --zz-not-an-option > /dev/null 2> "$work/err.txt" && true
  grep -q "unknown option --zz-not-an-option" "$work/err.txt" || {
    echo "FAIL: cvae-cli ${args[*]} --zz-not-an-option did not name the unknown option:" >&2
    cat "$work/err.txt" >&2
    exit 1
  }
  usage=$("$cli" --help "$verb" | head -n 1)
  for option in $(sed -n 's/.*(options: \(.*\))$/\1/p' "$work/err.txt"); do
    case " $usage " in
      *[\ \[\|]"$option"[]\ =\|]*) ;;
      *) echo "FAIL: cvae-cli $verb reads $option, but its usage line lacks it: $usage" >&2; exit 1 ;;
    esac
  done
  # ... and every option of the usage line is explained below it (--help VERB gave the usage
  # line alone: `--steps N` or `-n` left the user to guess its meaning and default).
  "$cli" --help "$verb" | tail -n +3 > "$work/options.txt"
  for option in $(echo "$usage" | grep -oE -- '(^|[ [|])--?[a-z][a-z-]*' | sed 's/^[ [|]//' | sort -u); do
    grep -qE -- "(^  |, )$option([ ,]|$)" "$work/options.txt" ||
      { echo "FAIL: cvae-cli --help $verb does not explain $option" >&2; exit 1; }
  done
done
fails 2 "unexpected argument 'extra' after --help train" "$cli" --help train extra
"$cli" train --help extra | grep -q "^  --from RUN_DIR|CHECKPOINT"

# --- score bleu: every row of the nltk reference vectors, printed to the reference's 12 decimals.
reference=$shared/reference/bleu4_nltk_method1.tsv
if need_shared "$reference" "score bleu against nltk"; then
  # The reference's own lines are prediction<TAB>reference<TAB>bleu; score takes the first two
  # columns, and lines starting with '#' are comments to it too.
  cut -f1,2 "$reference" > "$work/pairs.tsv"
  "$cli" score bleu "$work/pairs.tsv" > "$work/scored.txt"
  grep -v '^#' "$reference" > "$work/expected.txt"
  head -n -1 "$work/scored.txt" > "$work/rows.txt"
  rows=$(wc -l < "$work/expected.txt")
  [ "$rows" -ge 100 ]
  diff "$work/expected.txt" "$work/rows.txt"
  mean=$(awk -F'\t' '{ s += $3 } END { printf "%.6f", s / NR }' "$work/expected.txt")
  tail -n 1 "$work/scored.txt" | grep -qx "mean BLEU-4 over $rows pairs: $mean"
fi
printf 'abet abets\n' > "$work/spaces.tsv"
fails 2 "spaces.tsv:1: expected 'prediction<TAB>reference'" "$cli" score bleu "$work/spaces.tsv"
fails 2 "nothere.tsv: no such prediction file" "$cli" score bleu "$work/nothere.tsv"
# A byte-order mark is no character of the first prediction (it scored abet/abet 0.67).
printf '\xef\xbb\xbfabet\tabet\r\nabide\tabode\r\n' > "$work/bom.tsv"
"$cli" score bleu "$work/bom.tsv" | head -n 1 | grep -qx "abet	abet	1.000000000000"
printf 'abet\tabet\rabide\tabode\r' > "$work/mac.tsv"
fails 2 "mac.tsv:1: .*CR" "$cli" score bleu "$work/mac.tsv"
printf 'abet\tabet\nab\xffet\tabet\n' > "$work/latin.tsv"
fails 2 "latin.tsv:2: character 3: byte \\\\xFF is not UTF-8" "$cli" score bleu "$work/latin.tsv"
test ! -s "$work/out.txt"  # nothing printed before the bad line was found
fails 2 "is a folder" "$cli" score bleu "$work"
# UTF-16 (Windows "Unicode") is read as the text it is: it was "byte \xFF is not UTF-8".
printf 'abet\tabet\nabide\tabode\n' | iconv -t UTF-16 > "$work/utf16.tsv"
"$cli" score bleu "$work/utf16.tsv" | head -n 1 | grep -qx "abet	abet	1.000000000000"

# --- The data makers' sizes as the README states them.
"$cli" make-data tense --out "$work/data" | grep -qx "wrote 2000 training rows and 50 test pairs to $work/data"
test "$(wc -l < "$work/data/train.txt")" -eq 2000
"$cli" make-data spelling --out "$work/spelling" > "$work/spelling.txt"
pairs=$(sed -n 's/^wrote \([0-9]*\) training pairs and 50 test pairs to .*/\1/p' "$work/spelling.txt")
[ -n "$pairs" ] && [ "$pairs" -ge 11500 ] && [ "$pairs" -le 12100 ]  # "about 11,800 pairs"
real=$shared/data/tense/train.txt
if need_shared "$real" "the made tense rows found in the course's train.txt"; then
  # README: the made train.txt holds 854 of the course's distinct rows word for word.
  found=$(tr -d '\r' < "$real" | sort -u | grep -Fxc -f "$work/data/train.txt")
  [ "$found" -eq 854 ] || { echo "FAIL: $found course rows in the made data, README says 854" >&2; exit 1; }
fi
# --- unseen-verbs: a dev set of verbs a training file lacks, in test.txt's format.
"$cli" unseen-verbs "$work/data/train.txt" --out "$work/unseen.txt" -n 30 > "$work/unseen.log"
grep -Eq "^wrote $work/unseen.txt: 30 pairs of verbs none of whose forms is in $work/data/train.txt \([0-9]+ of them irregular\)" "$work/unseen.log"
test "$(wc -l < "$work/unseen.txt")" -eq 30
# Not one word of the dev set is a word of the training file (-w: whole words only).
if tr ' ' '\n' < "$work/unseen.txt" | grep -Fxq -f - <(tr ' ' '\n' < "$work/data/train.txt"); then
  echo "FAIL: a word of unseen.txt is in train.txt" >&2; exit 1
fi
fails 2 "unseen.txt: exists already; pass --overwrite" "$cli" unseen-verbs "$work/data/train.txt" --out "$work/unseen.txt"
fails 2 "missing --out FILE" "$cli" unseen-verbs "$work/data/train.txt"
fails 2 "nothere.txt: cannot open" "$cli" unseen-verbs "$work/nothere.txt" --out "$work/u2.txt"
# Its input is never its output (with --overwrite it became 30 test rows), nor a test file.
fails 2 "--out $work/data/../data/train.txt: is the input file $work/data/train.txt; writing it would destroy it" "$cli" unseen-verbs "$work/data/train.txt" --out "$work/data/../data/train.txt" --overwrite
fails 2 "unseen.txt:1: '.*' is a test row (SOURCE TARGET FROM TO), not four forms of a verb" "$cli" unseen-verbs "$work/unseen.txt" --out "$work/u3.txt"
fails 2 "--out $work: is a folder; name a file" "$cli" unseen-verbs "$work/data/train.txt" --out "$work" --overwrite

# --- held-out-words: a spelling dev set of target words the training part lacks.
"$cli" held-out-words "$work/spelling/train.json" --train-out "$work/rest.json" \
  --dev-out "$work/dev.json" --share 0.1 --keep "$work/spelling/test.json" > "$work/held.log"
grep -Eq "^wrote $work/dev.json: [0-9]+ entries \([0-9]+ pairs\) of words $work/rest.json lacks; $work/rest.json: the other [0-9]+ entries \([0-9]+ pairs\), with every --keep target$" "$work/held.log"
targets() { grep -o '"target": *"[a-z]*"' "$1" | sed 's/.*"\([a-z]*\)"$/\1/' | sort -u; }
all=$(targets "$work/spelling/train.json" | wc -l)
dev=$(targets "$work/dev.json" | wc -l)
[ $((dev * 10 - all)) -le 10 ] && [ $((all - dev * 10)) -le 10 ]  # 10 % of the words, rounded
[ -z "$(comm -12 <(targets "$work/dev.json") <(targets "$work/rest.json"))" ]
[ -z "$(comm -12 <(targets "$work/dev.json") <(targets "$work/spelling/test.json"))" ]
fails 2 "dev.json: exists already; pass --overwrite" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json" --dev-out "$work/dev.json"
fails 2 "option --share: expected a number between 0 and 1 (exclusive), got '1.5'" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json" --dev-out "$work/d2.json" --share 1.5
fails 2 "option --share: expected a number between 0 and 1 (exclusive), got '0,1'" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json" --dev-out "$work/d2.json" --share 0,1
fails 2 "a share of 1e-05 of the [0-9]* target words holds out none of them; give a larger share" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json" --dev-out "$work/d2.json" --share 0.00001
fails 2 "missing --dev-out FILE" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json"
fails 2 "nothere.json: cannot open" "$cli" held-out-words "$work/nothere.json" --train-out "$work/r2.json" --dev-out "$work/d2.json"
fails 2 "--train-out and --dev-out are one file" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json" --dev-out "$work/r2.json"
fails 2 "--train-out and --dev-out are one file" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json" --dev-out "$work/./r2.json"
# ... also when one is relative and the other absolute (the dev set overwrote the training part).
(cd "$work" && fails 2 "--train-out and --dev-out are one file" "$cli" held-out-words spelling/train.json --train-out r5.json --dev-out "$work/r5.json")
test ! -e "$work/r5.json"
# A trailing slash or a path through a file is refused before either output is written.
fails 2 "--dev-out $work/r6.json/: is a folder; name a file" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r6.json" --dev-out "$work/r6.json/"
fails 2 "--dev-out $work/spelling/test.json/x: .*spelling/test.json is a file, not a folder" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r6.json" --dev-out "$work/spelling/test.json/x"
test ! -e "$work/r6.json"
# Neither output is the input or a folder; both are checked before either is written.
fails 2 "--train-out $work/spelling/train.json: is the input file" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/spelling/train.json" --dev-out "$work/d2.json" --overwrite
fails 2 "--dev-out $work/spelling/test.json: is the input file" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r2.json" --dev-out "$work/spelling/test.json" --keep "$work/spelling/test.json" --overwrite
fails 2 "--dev-out $work/spelling: is a folder; name a file" "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r3.json" --dev-out "$work/spelling" --overwrite
test ! -e "$work/r3.json"

# --- config: resolved, overridable, a fixed point, and bad keys named.
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
train:
  epochs: 1
  batch_size: 256
  device: cpu
evaluation:
  gaussian_samples: 5
YAML
"$cli" config "$work/tiny.yaml" --set train.epochs=7 > "$work/resolved.yaml"
grep -qx "  epochs: 7" "$work/resolved.yaml"
grep -qx "  train: \"$work/data/train.txt\"" "$work/resolved.yaml"  # relative to the config
grep -qx "  max_length: 32" "$work/resolved.yaml"                   # a default filled in
"$cli" config "$work/resolved.yaml" > "$work/again.yaml"
cmp "$work/resolved.yaml" "$work/again.yaml"
fails 2 "unknown key 'train.nope'" "$cli" config "$work/tiny.yaml" --set train.nope=3
fails 2 "key 'train.epochs': expected an integer in \[1, 1000000\], got 'abc'" \
  "$cli" config "$work/tiny.yaml" --set train.epochs=abc
# A relation between keys the file breaks: named at its line, and mended by --set (the values
# said are the resolved ones).
printf 'experiment: tense\nteacher_forcing:\n  initial: 0.5\n  decay: 0.1\n  floor: 0.8\n' > "$work/floor.yaml"
fails 2 "$work/floor.yaml:5:3: key 'teacher_forcing.floor': the floor (0.8) is above the initial ratio (0.5)" \
  "$cli" config "$work/floor.yaml"
"$cli" config "$work/floor.yaml" --set teacher_forcing.floor=0.1 | grep -qx "  floor: 0.1"
"$cli" config "$work/floor.yaml" --set teacher_forcing.decay=0 > /dev/null
fails 2 "^cvae-cli config: --set teacher_forcing.floor=0.7: key 'teacher_forcing.floor': the floor (0.7) is above" \
  "$cli" config "$work/floor.yaml" --set teacher_forcing.floor=0.1 --set teacher_forcing.floor=0.7
fails 2 "$work/floor.yaml:5:3: key 'teacher_forcing.floor'" "$cli" config "$work/floor.yaml" \
  --set train.epochs=3

# --- bench on the embedded default: the data set is made in CVAE_DATA_DIR when no path is given.
fails 2 "nosuch: neither an experiment (tense, spelling, video) nor a config file" "$cli" bench nosuch
CVAE_DATA_DIR=$work/cache "$cli" bench tense --seconds 1 > "$work/bench.txt" 2> "$work/bench.err"
grep -q "bench: wrote 2000 training rows and 50 test pairs to $work/cache/tense" "$work/bench.err"
test -s "$work/cache/tense/train.txt"
for figure in "tense.train.items_per_s [0-9.e+]+ words/s" "tense.eval.items_per_s [0-9.e+]+ words/s" \
  "tense.peak_rss [0-9.e+]+ MiB" "tense.batch_size [0-9]+ items"; do
  grep -Eqx "$figure" "$work/bench.txt" || { echo "FAIL: no '$figure' in:" >&2; cat "$work/bench.txt" >&2; exit 1; }
done
# The second time the cached data set is used, not made again.
CVAE_DATA_DIR=$work/cache "$cli" bench tense --seconds 1 > /dev/null 2> "$work/bench.err"
if grep -q "making the tense data set" "$work/bench.err"; then exit 1; fi
fails 2 "nope.yaml: no such config file" "$cli" bench nope.yaml

# --- Data-parallel options are checked before anything starts.
fails 2 "rank 2 is outside \[0, 2)" "$cli" train "$work/tiny.yaml" --world-size 2 --rank 2 \
  --master 127.0.0.1:29999 --run-dir "$work/r"
fails 2 "master 'nohost': expected HOST:PORT" "$cli" train "$work/tiny.yaml" --world-size 2 \
  --rank 0 --master nohost --run-dir "$work/r"
fails 2 "option --timeout: expected an integer in \[1, 86400\], got '0'" "$cli" train \
  "$work/tiny.yaml" --world-size 2 --rank 0 --master 127.0.0.1:29999 --timeout 0 --run-dir "$work/r"
# A master that never comes up: a named failure within the timeout, not a hang.
# 10000-19999 (+7): apart from test_distributed's ports (20000 + pid % 20000, + up to 4), which
# ctest -j may run beside this script with a neighbouring pid, and below the ephemeral range.
port=$((10000 + $$ % 9980))
start=$SECONDS
fails 1 "cannot join the group at 127.0.0.1:$port" timeout 60 "$cli" train "$work/tiny.yaml" \
  --world-size 2 --rank 1 --master "127.0.0.1:$port" --timeout 2 --run-dir "$work/r"
[ $((SECONDS - start)) -lt 30 ]
test ! -e "$work/r/best.pt"
# Ctrl-C or SIGTERM while a rank waits for the others ends it at once as stopped, with nothing
# to save (it held until --timeout): a rank 0 whose peers never come, a rank 1 without rank 0.
for rank in 0 1; do
  "$cli" train "$work/tiny.yaml" --world-size 2 --rank $rank --master "127.0.0.1:$port" \
    --timeout 120 --run-dir "$work/r-alone" > "$work/alone.log" 2>&1 &
  alone=$!
  for _ in $(seq 1 300); do
    grep -q "joining the group" "$work/alone.log" && break
    sleep 0.1
  done
  sleep 0.5
  start=$SECONDS
  kill -TERM "$alone"
  rc=0
  wait "$alone" || rc=$?
  [ "$rc" -eq 130 ] && [ $((SECONDS - start)) -lt 10 ] &&
    grep -q "^stopped: stopped while waiting for .*; nothing was trained" "$work/alone.log" ||
    { echo "FAIL: rank $rank alone, exit $rc" >&2; cat "$work/alone.log" >&2; exit 1; }
  test ! -e "$work/r-alone"
done
# A master port another process holds (here a rank 0 waiting for its peers): named at once.
"$cli" train "$work/tiny.yaml" --world-size 2 --rank 0 --master "127.0.0.1:$((port + 2))" \
  --timeout 60 --run-dir "$work/holder" > "$work/holder.log" 2>&1 &
holder=$!
# Wait until the holder listens on the port (state 0A in /proc/net/tcp), not for a fixed time:
# on a loaded machine (ctest -j) it may bind later than its log line, and a second rank 0 that
# binds first would wait for peers and fail differently.
listening() {
  grep -Eqi ":$(printf '%04X' "$1") [0-9A-F]+:0000 0A " /proc/net/tcp /proc/net/tcp6 2> /dev/null
}
for _ in $(seq 1 300); do
  listening $((port + 2)) && break
  sleep 0.1
done
listening $((port + 2)) || { echo "FAIL: the holder never listened" >&2; cat "$work/holder.log" >&2; exit 1; }
start=$SECONDS
fails 1 "Address already in use" "$cli" train "$work/tiny.yaml" --world-size 2 --rank 0 \
  --master "127.0.0.1:$((port + 2))" --timeout 5 --run-dir "$work/second"
[ $((SECONDS - start)) -lt 15 ]
kill -9 "$holder"
wait "$holder" 2> /dev/null || true

# --- scripts/launch-local.sh: two ranks over loopback train one run.
CVAE_CLI=$cli MASTER_PORT=$((port + 1)) RUN_LOGS=$work/ranks "$here/../scripts/launch-local.sh" 2 \
  "$work/tiny.yaml" --run-dir "$work/two" > "$work/two.log" 2>&1 ||
  { cat "$work/two.log" "$work/ranks/rank-1.log" >&2; exit 1; }
grep -qx "state: completed" "$work/two/status.yaml"
# Only rank 0 evaluates: another rank needs no test file (it may not see rank 0's disk).
"$cli" train "$work/tiny.yaml" --world-size 2 --rank 0 --master "127.0.0.1:$((port + 3))" \
  --run-dir "$work/ranks-test" > "$work/rank0.log" 2>&1 &
rank0=$!
"$cli" train "$work/tiny.yaml" --world-size 2 --rank 1 --master "127.0.0.1:$((port + 3))" \
  --set data.test="$work/none.txt" > "$work/rank1.log" 2>&1 || { cat "$work/rank1.log" >&2; exit 1; }
wait "$rank0" || { cat "$work/rank0.log" >&2; exit 1; }
grep -q "^run directory: none on this rank, rank 0 writes the run" "$work/rank1.log"
# A rank whose input is refused still joins and says so: the others stop at once (they waited
# out --timeout, printing the socket library's own log lines).
"$cli" train "$work/tiny.yaml" --world-size 2 --rank 0 --master "127.0.0.1:$((port + 6))" \
  --set data.train="$work/none.txt" --run-dir "$work/ranks-refused" > "$work/rank0.log" 2>&1 &
rank0=$!
start=$SECONDS
fails 2 "rank 1: rank 0 could not start (its output says why), so no rank trains" \
  "$cli" train "$work/tiny.yaml" --world-size 2 --rank 1 --master "127.0.0.1:$((port + 6))" \
  --timeout 120
[ $((SECONDS - start)) -lt 60 ]
rc=0
wait "$rank0" || rc=$?
[ "$rc" -eq 2 ] && grep -q "cvae-cli train: data.train: $work/none.txt: cannot open" "$work/rank0.log" ||
  { echo "FAIL: rank 0 exit $rc" >&2; cat "$work/rank0.log" >&2; exit 1; }
test ! -e "$work/ranks-refused"
# The same for a rank whose command line is refused before it reaches the trainer (a bad
# --set): it joins only to say so (rank 0 waited, past --timeout, with a backtrace).
"$cli" train "$work/tiny.yaml" --world-size 2 --rank 0 --master "127.0.0.1:$((port + 7))" \
  --timeout 120 --run-dir "$work/ranks-refused" > "$work/rank0.log" 2>&1 &
rank0=$!
start=$SECONDS
fails 2 "train.epochs" "$cli" train "$work/tiny.yaml" --world-size 2 --rank 1 \
  --master "127.0.0.1:$((port + 7))" --set train.epochs=many
rc=0
wait "$rank0" || rc=$?
[ $((SECONDS - start)) -lt 60 ]
[ "$rc" -eq 2 ] && grep -q "rank 0: rank 1 could not start (its output says why), so no rank trains" "$work/rank0.log" ||
  { echo "FAIL: rank 0 exit $rc" >&2; cat "$work/rank0.log" >&2; exit 1; }
test ! -e "$work/ranks-refused"
# Ranks started with other model sizes are refused by name on every rank (Gloo aborted rank 0
# on the gradients' other shape).
"$cli" train "$work/tiny.yaml" --world-size 2 --rank 0 --master "127.0.0.1:$((port + 4))" \
  --run-dir "$work/ranks-differ" > "$work/rank0.log" 2>&1 &
rank0=$!
fails 2 "rank 1: the config differs from rank 0's (model.hidden_size 32 on rank 0, 48 here" \
  "$cli" train "$work/tiny.yaml" --world-size 2 --rank 1 --master "127.0.0.1:$((port + 4))" \
  --set model.hidden_size=48
rc=0
wait "$rank0" || rc=$?
[ "$rc" -eq 2 ] && grep -q "rank 0: 1 of the other ranks was started with another config than rank 0's (model.hidden_size; each names its values)" "$work/rank0.log" ||
  { echo "FAIL: rank 0 exit $rc" >&2; cat "$work/rank0.log" >&2; exit 1; }
# Training data of another size on one node (data paths may differ): refused on every rank
# (rank 0 recorded a finished run while the other failed).
head -n 100 "$work/data/train.txt" > "$work/short-train.txt"
"$cli" train "$work/tiny.yaml" --world-size 2 --rank 0 --master "127.0.0.1:$((port + 5))" \
  --run-dir "$work/ranks-data" > "$work/rank0.log" 2>&1 &
rank0=$!
fails 2 "rank 1: training batches per epoch: [0-9]* batches an epoch here, [0-9]* batches an epoch on rank 0" \
  "$cli" train "$work/tiny.yaml" --world-size 2 --rank 1 --master "127.0.0.1:$((port + 5))" \
  --set data.train="$work/short-train.txt"
rc=0
wait "$rank0" || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: rank 0 exit $rc" >&2; cat "$work/rank0.log" >&2; exit 1; }
grep -qx "state: completed" "$work/ranks-test/status.yaml"
grep -q "done: rank 1 finished 1 epochs (rank 0 wrote the run)" "$work/ranks/rank-1.log"
test -s "$work/two/best.pt"

# --- Ctrl-C: the current step finishes, last.pt is saved, exit 130, and the run resumes.
train_in_background() {  # train_in_background NAME SET...: a long run; $pid once it has stepped
  local name=$1
  shift
  "$cli" train "$work/tiny.yaml" --run-dir "$work/$name" --set train.epochs=1000 "$@" \
    > "$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q "^train," "$work/$name/metrics.csv" 2> /dev/null && return 0
    sleep 0.1
  done
  echo "FAIL: $name made no training step" >&2
  exit 1
}
train_in_background sig
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || { echo "FAIL: Ctrl-C exit $rc" >&2; cat "$work/sig.log" >&2; exit 1; }
grep -q "interrupted: finishing the current step and saving a checkpoint" "$work/sig.log"
grep -qx "state: stopped" "$work/sig/status.yaml"
test -s "$work/sig/last.pt"
steps=$(awk '/^steps_done:/ { print $2 }' "$work/sig/status.yaml")
[ "$steps" -gt 0 ]
done_epochs=$(awk '/^epochs_done:/ { print $2 }' "$work/sig/status.yaml")
"$cli" resume "$work/sig" --set train.epochs=$((done_epochs + 1)) > "$work/resume.log"
grep -qx "state: completed" "$work/sig/status.yaml"
grep -qx "resumes: 1" "$work/sig/status.yaml"

# --- Bad arguments are named by every verb, with exit 2 (1: ran, but had nothing to report).
fails 2 "missing CONFIG" "$cli" train
fails 2 "unknown option --bogus" "$cli" train "$work/tiny.yaml" --bogus
fails 2 "$work/none: no such run folder" "$cli" resume "$work/none"
fails 2 "missing CHECKPOINT" "$cli" convert
# One argument too many is named, never dropped: `convert CKPT abet going` is not `convert CKPT abet`.
fails 2 "unexpected argument 'going' after CHECKPOINT WORD" "$cli" convert "$work/two/best.pt" abet going
fails 2 "unexpected argument 'extra.yaml' after CONFIG" "$cli" train "$work/tiny.yaml" extra.yaml
fails 2 "unexpected argument 'b' after METRIC FILE" "$cli" score bleu "$work/spaces.tsv" b
fails 2 "unexpected argument 'x' after CHECKPOINT|RUN_DIR WORD_A WORD_B" "$cli" interpolate \
  "$work/two/best.pt" abet go x
fails 2 "unexpected argument 'again' after RUN_DIR" "$cli" resume "$work/two" again
# A resume may name the run's own values in other words: an encoder size of 0 is the hidden size.
cp -r "$work/two" "$work/two-more"
fails 2 "to change 'model.encoder_hidden_size', fork it" "$cli" resume "$work/two-more" \
  --set train.epochs=2 --set model.encoder_hidden_size=16
"$cli" resume "$work/two-more" --set train.epochs=2 --set model.encoder_hidden_size=32 \
  --set model.attention=False > /dev/null 2>&1
grep -qx "epochs_done: 2" "$work/two-more/status.yaml"
# A key with no effect in the run (copy without attention) is said, not refused.
"$cli" resume "$work/two-more" --set train.epochs=3 --set model.copy=true > /dev/null 2> "$work/note.txt"
grep -q "note: --set model.copy=true has no effect here" "$work/note.txt"
grep -qx "epochs_done: 3" "$work/two-more/status.yaml"
grep -qx "  epochs: 3" "$work/two-more/config.yaml"  # the run's config says what it ran
# config.yaml edited by hand: diff says it differs from the checkpoint, resume that it is not
# used (and rewrites it); a file cut short is refused, and diff then shows the checkpoint's.
sed -i 's/^  hidden_size: 32$/  hidden_size: 64/' "$work/two-more/config.yaml"
"$cli" diff "$work/two-more" "$work/two" > "$work/diff.txt" 2> "$work/note.txt"
grep -q "^note: $work/two-more/config.yaml differs from $work/two-more/last.pt (model.hidden_size 64 in the file, 32 in the checkpoint): the file was edited after the run wrote it; diff shows the file's" "$work/note.txt"
"$cli" resume "$work/two-more" --set train.epochs=4 > /dev/null 2> "$work/note.txt"
grep -q "^note: .*two-more/config.yaml differs from .*resume continues the checkpoint's config" "$work/note.txt"
grep -qx "  hidden_size: 32" "$work/two-more/config.yaml"
head -n 12 "$work/two-more/config.yaml" > "$work/cut.yaml" && mv "$work/cut.yaml" "$work/two-more/config.yaml"
"$cli" diff "$work/two-more" "$work/two" > "$work/diff.txt" 2> "$work/note.txt"
grep -q "config.yaml: ends before output.dir, the last key a run writes: the file was cut short .*; diff shows the config of $work/two-more/last.pt" "$work/note.txt"
grep -Eq "^train.epochs +4 +1$" "$work/diff.txt" || { cat "$work/diff.txt"; exit 1; }
# Without config.yaml (deleted, or a folder of checkpoints copied alone) diff reads the checkpoint.
rm "$work/two-more/config.yaml"
"$cli" diff "$work/two-more" "$work/two" > "$work/diff.txt" 2> "$work/note.txt"
grep -qx "note: $work/two-more has no config.yaml; diff shows the config of $work/two-more/last.pt" "$work/note.txt"
grep -Eq "^train.epochs +4 +1$" "$work/diff.txt" || { cat "$work/diff.txt"; exit 1; }
# ... and a damaged last.pt gives way to best.pt, said; with both damaged, both are named.
head -c 2000 "$work/two-more/last.pt" > "$work/cut.pt" && mv "$work/cut.pt" "$work/two-more/last.pt"
"$cli" diff "$work/two-more" "$work/two" > "$work/diff.txt" 2> "$work/note.txt"
grep -q "^note: $work/two-more/last.pt: " "$work/note.txt"
grep -qx "note: $work/two-more has no config.yaml; diff shows the config of $work/two-more/best.pt" "$work/note.txt"
head -c 2000 "$work/two-more/best.pt" > "$work/cut.pt" && mv "$work/cut.pt" "$work/two-more/best.pt"
fails 2 "$work/two-more: has no config.yaml and no readable checkpoint ($work/two-more/last.pt: " \
  "$cli" diff "$work/two-more" "$work/two"
# A broken link or a folder where a checkpoint should be is named as what it is, not passed over
# nor called missing.
cp "$work/two/best.pt" "$work/two-more/best.pt" && rm "$work/two-more/last.pt"
ln -s "$work/gone.pt" "$work/two-more/last.pt"
"$cli" diff "$work/two-more" "$work/two" > "$work/diff.txt" 2> "$work/note.txt"
grep -q "^note: $work/two-more/last.pt: is a symbolic link to $work/gone.pt, which does not exist; expected a checkpoint" "$work/note.txt"
rm "$work/two-more/last.pt" && mkdir "$work/two-more/last.pt"
"$cli" diff "$work/two-more" "$work/two" > "$work/diff.txt" 2> "$work/note.txt"
grep -q "^note: $work/two-more/last.pt: is a folder, not a file; expected a checkpoint" "$work/note.txt"
fails 2 "$work/two-more/last.pt: not a run folder (no config.yaml, best.pt or last.pt) and not a checkpoint file" \
  "$cli" evaluate "$work/two-more/last.pt"
fails 2 "$work/gone.pt: no such checkpoint" "$cli" evaluate "$work/gone.pt"
# resume: a broken link is not "no last.pt" (whose advice, --overwrite, would wipe the run); a
# folder where the run writes a file is refused before anything is written.
rm -rf "$work/refill" && cp -r "$work/two" "$work/refill"
rm "$work/refill/last.pt" && ln -s "$work/gone.pt" "$work/refill/last.pt"
fails 2 "$work/refill/last.pt: is a symbolic link to $work/gone.pt, which does not exist, not the checkpoint to continue from" \
  "$cli" resume "$work/refill"
rm "$work/refill/last.pt" && cp "$work/two/last.pt" "$work/refill/last.pt"
rm "$work/refill/best.pt" && mkdir "$work/refill/best.pt"
cp "$work/refill/metrics.csv" "$work/metrics-before.csv"
fails 2 "$work/refill/best.pt: is a folder, not a file; the run writes this file, so move it away" \
  "$cli" resume "$work/refill" --set train.epochs=2
cmp "$work/refill/metrics.csv" "$work/metrics-before.csv"
grep -qx "state: completed" "$work/refill/status.yaml"
# Passed over, said why; probe names a broken last.pt (it took best.pt unsaid); a run folder
# that is a broken link is named as one.
"$cli" evaluate "$work/refill" 2>&1 > /dev/null | grep -qx "note: $work/refill: using its last.pt (its best.pt is a folder, not a file)"
rmdir "$work/refill/best.pt" && cp "$work/two/best.pt" "$work/refill/best.pt"
rm "$work/refill/last.pt" && ln -s "$work/gone.pt" "$work/refill/last.pt"
fails 2 "$work/refill/last.pt: is a symbolic link to $work/gone.pt, which does not exist; expected a checkpoint" \
  "$cli" probe "$work/refill" "$work/two" --word abet
ln -s "$work/gone-run" "$work/run-link"
fails 2 "$work/run-link: is a symbolic link to $work/gone-run, which does not exist, not a config file" \
  "$cli" diff "$work/run-link" "$work/two"
fails 2 "$work/run-link: is a symbolic link to $work/gone-run, which does not exist, not a run folder" \
  "$cli" resume "$work/run-link"
# A pipe or a folder as data: named, not waited on for good (a FIFO blocked the open).
mkfifo "$work/fifo.txt"
fails 2 "data.train: $work/fifo.txt: not a regular file (a pipe, socket or device)" \
  timeout 60 "$cli" train "$work/tiny.yaml" --set data.train="$work/fifo.txt" --run-dir "$work/r-fifo"
fails 2 "data.train: $work/data: a folder, not a file" \
  "$cli" train "$work/tiny.yaml" --set data.train="$work/data" --run-dir "$work/r-dir"
printf 'experiment: spelling\nname: sp\ntrain:\n  epochs: 1\n  device: cpu\n' > "$work/sp.yaml"
fails 2 "data.train: $work/spelling: a folder, not a file" "$cli" train "$work/sp.yaml" \
  --set data.train="$work/spelling" --set data.test="$work/spelling/test.json" --run-dir "$work/r-dir"
# evaluate --save-previews: never into a run folder (its previews.tsv is the run's record);
# earlier previews replaced only with --overwrite.
fails 2 "--save-previews $work/two: holds a run (its config.yaml), whose previews.tsv is its own" \
  "$cli" evaluate "$work/two" --save-previews "$work/two"
# Any of a run's files marks one: its notes alone (a run folder emptied but for them).
mkdir -p "$work/notes-only" && printf 'tags: [a]\n' > "$work/notes-only/notes.yaml"
fails 2 "--save-previews $work/notes-only: holds a run (its notes.yaml)" \
  "$cli" evaluate "$work/two" --save-previews "$work/notes-only"
"$cli" evaluate "$work/two" --save-previews "$work/saved" > "$work/saved.txt"
# With the scores evaluate printed, in scores.yaml beside them.
bleu=$(sed -n 's/^bleu: //p' "$work/saved.txt")
grep -qx "  bleu: $bleu[0-9]*" "$work/saved/scores.yaml" && grep -qx "step: [0-9]*" "$work/saved/scores.yaml" ||
  { echo "FAIL: scores.yaml lacks bleu $bleu" >&2; cat "$work/saved/scores.yaml" >&2; exit 1; }
fails 2 "$work/saved/previews.tsv: exists already; pass --overwrite" \
  "$cli" evaluate "$work/two" --save-previews "$work/saved"
"$cli" evaluate "$work/two" --save-previews "$work/saved" --overwrite > /dev/null
# scores.yaml alone (previews.tsv moved away) is not replaced unasked either.
mkdir "$work/saved-scores" && echo precious > "$work/saved-scores/scores.yaml"
fails 2 "$work/saved-scores/scores.yaml: exists already; pass --overwrite" \
  "$cli" evaluate "$work/two" --save-previews "$work/saved-scores"
grep -qx precious "$work/saved-scores/scores.yaml"
fails 2 "--overwrite is an option of --save-previews DIR" "$cli" evaluate "$work/two" --overwrite
# bench measures an evaluation too: a missing test file fails before the training pass.
fails 2 "data.test: $work/none.txt: cannot open" timeout 20 "$cli" bench "$work/tiny.yaml" \
  --seconds 60 --set data.test="$work/none.txt"
fails 2 "$work/none.pt: no such checkpoint" "$cli" convert "$work/none.pt" abet
fails 2 "'Abet' is not a lower-case a-z word ('A' (U+0041))" "$cli" convert "$work/two/best.pt" Abet
# An invisible character is shown escaped, not printed raw.
fails 2 "'abU+200Bet' is not a lower-case a-z word ('U+200B' (U+200B))" "$cli" convert "$work/two/best.pt" "$(printf 'ab\xe2\x80\x8bet')"
fails 2 "unknown tense 'xx' (sp, tp, pg or p)" "$cli" convert "$work/two/best.pt" abet --from xx --to p
# A run folder's checkpoint that is not of the run's model (copied in, or config.yaml edited)
# is refused by name (evaluate scored the other model without a word); the file itself is taken.
cp -r "$work/two" "$work/two-edited"
rm -f "$work/two-edited/.lock"
sed -i 's/^  hidden_size: 32$/  hidden_size: 48/' "$work/two-edited/config.yaml"
for verb in evaluate generate interpolate; do
  extra=""
  [ $verb = interpolate ] && extra="abet abide"
  fails 2 "$work/two-edited/best.pt: not the model of the run in $work/two-edited (model.hidden_size 48 in config.yaml, 32 in best.pt)" \
    "$cli" $verb "$work/two-edited" $extra
done
fails 2 "$work/two-edited/last.pt: not the model of the run" "$cli" probe "$work/two-edited" "$work/two"
"$cli" evaluate "$work/two-edited/best.pt" > /dev/null
# Without a readable config.yaml, best.pt and last.pt are compared (it passed without a word).
"$cli" train "$work/tiny.yaml" --run-dir "$work/wide" --set model.hidden_size=48 > /dev/null
cp -r "$work/two" "$work/two-mixed"
rm -f "$work/two-mixed/.lock"
cp "$work/wide/best.pt" "$work/two-mixed/best.pt"
echo 'name: "open' > "$work/two-mixed/config.yaml"
fails 2 "$work/two-mixed/best.pt: not of the model of $work/two-mixed/last.pt (model.hidden_size 32 in last.pt, 48 in best.pt), and the run's config.yaml cannot tell which is the run's ($work/two-mixed/config.yaml:1:7: " \
  "$cli" evaluate "$work/two-mixed"
rm "$work/two-mixed/config.yaml"
fails 2 "and the run has no config.yaml to tell which is the run's" "$cli" evaluate "$work/two-mixed"
rm "$work/two-mixed/last.pt"
"$cli" evaluate "$work/two-mixed" > /dev/null 2>&1
# A run folder stands for its best.pt (probe takes the checkpoint nearest --step instead).
"$cli" evaluate "$work/two" > "$work/by-folder.txt" 2> "$work/note.txt"
grep -qx "note: $work/two: using its best.pt" "$work/note.txt"
"$cli" evaluate "$work/two/best.pt" | diff - "$work/by-folder.txt"
# interpolate too (it took last.pt without a word, so the folder answered from two checkpoints).
"$cli" interpolate "$work/two" abet abide --steps 2 > "$work/by-folder.txt" 2> "$work/note.txt"
grep -qx "note: $work/two: using its best.pt" "$work/note.txt"
"$cli" interpolate "$work/two/best.pt" abet abide --steps 2 | diff - "$work/by-folder.txt"
mkdir -p "$work/no-checkpoint"
fails 2 "$work/no-checkpoint: not a run folder (no config.yaml, best.pt or last.pt)" "$cli" convert "$work/no-checkpoint" abet
cp "$work/two/config.yaml" "$work/no-checkpoint/"
fails 2 "$work/no-checkpoint: holds no checkpoint (best.pt or last.pt)" "$cli" convert "$work/no-checkpoint" abet
fails 2 "data.test: $work/none.txt: cannot open" "$cli" evaluate "$work/two/best.pt" --test "$work/none.txt"
# Only evaluate (and training, before its first step) reads the test file.
"$cli" convert "$work/two/best.pt" abet --set data.test="$work/none.txt" > /dev/null
"$cli" generate "$work/two/best.pt" -n 2 --set data.test="$work/none.txt" > /dev/null
fails 2 "data.test: $work/none.txt: cannot open" "$cli" probe "$work/two" "$work/two" -n 2 \
  --set data.test="$work/none.txt"
"$cli" probe "$work/two" "$work/two" -n 2 --word abet --set data.test="$work/none.txt" > /dev/null 2> "$work/note.txt"
grep -qx "note: A and B are the same checkpoint ($work/two/last.pt): every row agrees" "$work/note.txt"
fails 2 "^cvae-cli train: data.test: $work/none.txt: cannot open" "$cli" train "$work/tiny.yaml" \
  --set data.test="$work/none.txt" --run-dir "$work/no-test"
# A test word longer than model.max_length is refused by evaluate as by convert (it was scored
# as a miss the model could never avoid), naming the file and line.
printf 'abandon abandoned sp p\nabet abcdefghijklmnopqrstuvwxyzabcdefghijkl sp p\n' > "$work/long.txt"
fails 2 "data.test: $work/long.txt:2: word 'abcdefghijklmnopqrstuvwxyzabcdefghijkl' has 38 letters; this model writes words of at most 32 (model.max_length)" \
  "$cli" evaluate "$work/two/best.pt" --test "$work/long.txt"
# An emptied data path is the embedded default (made above in $work/cache), as in training.
CVAE_DATA_DIR=$work/cache "$cli" evaluate "$work/two/best.pt" --set data.test= > "$work/eval-default.txt"
grep -q "^bleu: " "$work/eval-default.txt"
grep -q "test file $work/cache/tense/test.txt" "$work/eval-default.txt"
# --set reaches convert, generate, probe and interpolate (model.max_length bounds what is
# written), and a key that has no effect given the others is said, not ignored.
"$cli" convert "$work/two/best.pt" abet --to pg --set model.max_length=4 > "$work/short.txt" \
  2> "$work/note.txt"
[ "$(wc -c < "$work/short.txt")" -le 5 ]
# A word stopped at the bound, not ended by the model, is noted as maybe cut short.
if [ "$(wc -c < "$work/short.txt")" -eq 5 ]; then
  grep -qx "note: the output reached model.max_length (4 letters) and may be cut short" "$work/note.txt"
else
  ! grep -q "model.max_length" "$work/note.txt"
fi
"$cli" convert "$work/two/best.pt" abet --to p --set model.max_length=32 > "$work/short.txt" \
  2> "$work/note.txt"
if [ "$(wc -c < "$work/short.txt")" -le 32 ]; then ! grep -q "model.max_length" "$work/note.txt"
else grep -q "model.max_length (32 letters)" "$work/note.txt"; fi
"$cli" generate "$work/two/best.pt" -n 3 --set model.max_length=2 > "$work/short.txt"
! head -n 3 "$work/short.txt" | sed 's/(not in the training set)//' | grep -Eq "[a-z]{3}"
"$cli" interpolate "$work/two/best.pt" abet go --steps 2 --set model.max_length=4 > "$work/short.txt"
! tail -n +2 "$work/short.txt" | grep -Eq "[a-z]{5}"
"$cli" convert "$work/two/best.pt" abet --to p --set model.copy=true \
  --set train.epochs=9 > /dev/null 2> "$work/note.txt"
grep -qx "note: --set model.copy=true has no effect here: it applies when model.attention is true" "$work/note.txt"
grep -qx "note: --set train.epochs=9 has no effect on a trained checkpoint: it is read only in training" "$work/note.txt"
# A key that shapes the model cannot change on a trained checkpoint (LibTorch would load what
# fits and leave the rest untrained).
fails 2 "best.pt: --set cannot change the shape of a trained model" "$cli" convert "$work/two/best.pt" \
  abet --set model.attention=true
grep -q "model.attention: false vs true (checkpoint vs --set)" "$work/err.txt"
# A flag reads as YAML writes it, in any of its cases, or as 1 and 0.
fails 2 "best.pt: --set cannot change the shape of a trained model" "$cli" convert "$work/two/best.pt" \
  abet --set model.attention=TRUE
fails 2 "best.pt: --set cannot change the shape of a trained model" "$cli" convert "$work/two/best.pt" \
  abet --set model.attention=1
"$cli" convert "$work/two/best.pt" abet --set model.attention=False --set model.bidirectional=0 > /dev/null
fails 2 "key 'model.attention': expected true or false, got 'maybe'" "$cli" convert "$work/two/best.pt" \
  abet --set model.attention=maybe
# An encoder size of 0 means the hidden size (32): naming it builds the same model.
"$cli" convert "$work/two/best.pt" abet --set model.encoder_hidden_size=32 > /dev/null
fails 2 "model.encoder_hidden_size: 0 (the hidden size, 32) vs 16 (checkpoint vs --set)" "$cli" convert \
  "$work/two/best.pt" abet --set model.encoder_hidden_size=16
# Keys only an evaluation or training reads are said on the verbs that do neither.
"$cli" generate "$work/two/best.pt" -n 2 --set evaluation.gaussian_samples=50 \
  --set train.batch_size=3 > /dev/null 2> "$work/note.txt"
grep -qx "note: --set evaluation.gaussian_samples=50 has no effect on generate: it is read only by evaluate and in training" "$work/note.txt"
grep -qx "note: --set train.batch_size=3 has no effect on a trained checkpoint: it is read only in training" "$work/note.txt"
"$cli" evaluate "$work/two/best.pt" --all --set evaluation.preview_count=2 > /dev/null 2> "$work/note.txt"
grep -qx "note: --set evaluation.preview_count=2 has no effect with --all: every row is shown" "$work/note.txt"
"$cli" convert "$work/two/best.pt" abet --set train.seed=5 > /dev/null 2> "$work/note.txt"
grep -qx "note: --set train.seed=5 has no effect on convert: it is read only by evaluate and in training" "$work/note.txt"
"$cli" evaluate "$work/two/best.pt" --set evaluation.gaussian_samples=6 > /dev/null 2> "$work/note.txt"
[ ! -s "$work/note.txt" ] || { cat "$work/note.txt" >&2; exit 1; }
"$cli" train "$work/tiny.yaml" --run-dir "$work/idle" --set optimizer.learning_rate=0.003 \
  --set optimizer.momentum=0.5 > /dev/null 2> "$work/note.txt"
grep -qx "note: --set optimizer.momentum=0.5 has no effect here: it applies when optimizer.name is sgd" "$work/note.txt"
# probe: --set applies to both; configs that differ are named beside the steps.
"$cli" probe "$work/two" "$work/idle" -n 2 --set model.max_length=16 > "$work/probe.txt"
grep -q "note: the configs differ in optimizer.learning_rate (A [0-9.e-]*, B 0.003): part of" \
  "$work/probe.txt" ||
  { cat "$work/probe.txt" >&2; exit 1; }
fails 2 "option -n: expected an integer in \[1, 1000000\], got '0'" "$cli" generate "$work/two/best.pt" -n 0
fails 2 "option --seed: expected an integer" "$cli" generate "$work/two/best.pt" --seed abc
# A value option given twice is refused (the last one won silently); --set and --word gather.
fails 2 "option -n given twice ('2' and '3'); give it once" "$cli" generate "$work/two/best.pt" -n 2 -n 3
fails 2 "option --from given twice ('sp' and 'pg')" "$cli" convert "$work/two/best.pt" abet --from sp --from=pg
fails 2 "missing WORD_B" "$cli" interpolate "$work/two/best.pt" abet
fails 2 "option --steps: expected an integer in \[2, 1000\], got '1'" "$cli" interpolate \
  "$work/two/best.pt" abet go --steps 1
fails 2 "missing A" "$cli" probe
fails 2 "'ABC' is not a lower-case a-z word" "$cli" probe "$work/two" "$work/two" --word ABC
fails 2 "give two or more runs, checkpoints or configs to compare" "$cli" diff "$work/tiny.yaml"
fails 2 "missing --out DIR" "$cli" make-data tense
fails 2 "no data maker for 'nope' (known: tense, spelling, pushing)" "$cli" make-data nope --out "$work/x"
fails 2 "option --size: expected an integer in \[1, 10000000\], got '0'" "$cli" make-data tense \
  --out "$work/x" --size 0
# Each maker's own size option, taken as asked: the other is refused, not taken for it.
fails 2 "--sequences: tense data is sized with --size (training rows)" "$cli" make-data tense \
  --out "$work/x" --sequences 5
fails 2 "--size: pushing data is sized with --sequences (training sequences)" "$cli" make-data \
  pushing --out "$work/x" --size 5
"$cli" make-data tense --out "$work/five" --size 5 | grep -qx "wrote 5 training rows and 50 test pairs to $work/five"
fails 2 "usable verbs, 10000050 are needed (10000000 training rows and 50 test pairs)" \
  "$cli" make-data tense --out "$work/x" --size 10000000
# A run folder where a file is: a path in the way, refused as input (exit 2).
echo x > "$work/afile"
# A folder of other files is not a run folder, with or without --overwrite (its files stay).
mkdir -p "$work/mine" && echo keep > "$work/mine/notes.txt"
fails 2 "$work/mine: holds other files (notes.txt), not a run; choose a new or empty folder" \
  "$cli" train "$work/tiny.yaml" --run-dir "$work/mine" --overwrite
test "$(cat "$work/mine/notes.txt")" = keep && test ! -e "$work/mine/config.yaml"
test "$(ls -A "$work/mine")" = notes.txt  # left as found: no lock either
fails 2 "cvae-cli train: $work/afile/sub: cannot create the run folder: $work/afile is a file, not a folder" \
  "$cli" train "$work/tiny.yaml" --run-dir "$work/afile/sub"
# A symbolic link to nothing on the way is named, not a bare "File exists" (exit 1).
ln -s "$work/nowhere" "$work/broken-link"
fails 2 "cvae-cli train: $work/broken-link: cannot create the run folder: $work/broken-link is a symbolic link to $work/nowhere, which does not exist" \
  "$cli" train "$work/tiny.yaml" --run-dir "$work/broken-link"
fails 2 "cvae-cli train: output.dir $work/broken-link/runs: cannot create the run folder: $work/broken-link is a symbolic link" \
  "$cli" train "$work/tiny.yaml" --set output.dir="$work/broken-link/runs"
fails 2 "output.dir $work/afile: cannot create the run folder: $work/afile is a file, not a folder" \
  "$cli" train "$work/tiny.yaml" --set output.dir="$work/afile"
fails 2 "--dev-out $work/broken-link/dev.json: $work/broken-link is a symbolic link" \
  "$cli" held-out-words "$work/spelling/train.json" --train-out "$work/r7.json" --dev-out "$work/broken-link/dev.json"
test ! -e "$work/nowhere" && test ! -e "$work/r7.json"
fails 2 "--out $work/broken-link: $work/broken-link is a symbolic link to $work/nowhere, which does not exist" \
  "$cli" make-data tense --out "$work/broken-link" --size 10
fails 2 "--out $work/afile/d: $work/afile is a file, not a folder" "$cli" make-data tense --out "$work/afile/d" --size 10
fails 2 "$work/broken-link: exists already (a symbolic link to $work/nowhere, which does not exist); pass --overwrite" \
  "$cli" unseen-verbs "$work/data/train.txt" --out "$work/broken-link" -n 3
ln -s "$work/loop-b" "$work/loop-a" && ln -s "$work/loop-a" "$work/loop-b"
fails 2 "$work/loop-a is a symbolic link loop (it leads back to itself)" \
  "$cli" train "$work/tiny.yaml" --run-dir "$work/loop-a/run"
test ! -e "$work/nowhere" && test -L "$work/broken-link"
fails 2 "missing SWEEP.yaml" "$cli" sweep
fails 2 "$work/none.yaml: no such sweep file" "$cli" sweep "$work/none.yaml"
fails 2 "tiny.yaml:1:1: unknown key 'experiment' (a sweep file has name, base" "$cli" sweep "$work/tiny.yaml"
printf 'name: s\nbase: tiny.yaml\ngrid:\n  train.seed: [1, 2]\n' > "$work/sweep.yaml"
fails 2 "$work/broken-link: $work/broken-link is a symbolic link to $work/nowhere, which does not exist (choose another --out)" \
  "$cli" sweep "$work/sweep.yaml" --out "$work/broken-link"
fails 2 "$work/loop-a: $work/loop-a is a symbolic link loop (it leads back to itself) (choose another --out)" \
  "$cli" sweep "$work/sweep.yaml" --out "$work/loop-a" --dry-run
fails 2 "option --parallel: expected an integer in \[1, 1024\], got '0'" "$cli" sweep "$work/sweep.yaml" --parallel 0
"$cli" sweep "$work/sweep.yaml" --dry-run | grep -q "^000-1 *1$"
fails 2 "give one or more folders of runs" "$cli" importance
fails 2 "--score NAME is needed" "$cli" importance "$work"
fails 2 "--lower-is-better reads each run's last value: add --last" "$cli" importance "$work" --score bleu --lower-is-better
mkdir -p "$work/nothing"
fails 2 "$work/nothing: no run folders found there" "$cli" importance "$work/nothing" --score bleu
fails 2 "$work/nowhere: no such folder" "$cli" importance "$work/nowhere" --score bleu
fails 2 "no run here has the score 'nope' (they have bleu, gaussian)" "$cli" importance "$work" --score nope
fails 2 "option --schedule-at: expected an integer in \[0, 1000000000\], got '-3'" "$cli" importance \
  "$work" --score bleu --schedule-at -3
fails 2 "cvae-cli importance: no importance for best bleu over 2 runs: needs at least 5 runs with the score; 2 have it" \
  "$cli" importance "$work/two" "$work/sig" --score bleu

# A second signal does not wait for the step: the process ends by the signal at once (143).
# The step is made slow (a wide model) so that both signals land inside it.
train_in_background sig2 --set model.hidden_size=1024
kill -TERM "$pid"
sleep 0.05  # signals pending together merge into one
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 143 ] || { echo "FAIL: two SIGTERMs gave exit $rc" >&2; cat "$work/sig2.log" >&2; exit 1; }

[ "$skipped" = 0 ] || exit 77
echo "cli_commands: all passed"
