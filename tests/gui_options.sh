#!/usr/bin/env bash
# cvae-workbench's command line as the README shows it: --help and --version without a display,
# a folder of runs compared in one command (--runs --group-seeds --select-all --hparams
# --importance --curves), an opened and followed run with an overlay, and each kind of mistake
# said on stderr (and in a box that does not block the window). Each start ends with SIGTERM,
# which must quit cleanly (exit 0).
# Usage: gui_options.sh CVAE_WORKBENCH CVAE_CLI.
set -euo pipefail
gui=$1
cli=$2
work=$(mktemp -d)
trap 'for p in $(jobs -p); do kill -9 "$p" 2> /dev/null; done; rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen CVAE_DATA_DIR=$work/data XDG_CONFIG_HOME=$work/config

"$gui" --help | grep -q "^usage: cvae-workbench \[CONFIG.yaml | RUN_DIR \[--follow\]\]"
"$gui" --version | grep -Eq "^cvae-workbench [0-9]+\.[0-9]+\.[0-9]+ \(Qt 6"

"$cli" make-data tense --out "$work/tense" --size 200 > /dev/null
cat > "$work/tiny.yaml" << YAML
experiment: tense
data:
  train: tense/train.txt
  test: tense/test.txt
model:
  embedding_size: 8
  hidden_size: 16
  latent_size: 2
train:
  epochs: 1
  batch_size: 128
  device: cpu
evaluation:
  gaussian_samples: 2
YAML
for seed in 1 2; do
  "$cli" train "$work/tiny.yaml" --run-dir "$work/runs/seed$seed" --set train.seed=$seed > /dev/null
done

# start_gui NAME ARGS...: starts the GUI in the background, stdout and stderr in NAME.out/.err.
# All of them start at once and settle together instead of one after the other (3 s each): the
# wait was most of the test's time.
declare -A pids=()
start_gui() {
  local name=$1
  shift
  "$gui" "$@" > "$work/$name.out" 2> "$work/$name.err" &
  pids[$name]=$!
}
# wait_for NAME PATTERN: until NAME.err says PATTERN (60 s at most; `said` reports a miss).
wait_for() {
  for _ in $(seq 1 600); do
    grep -q -- "$2" "$work/$1.err" && return 0
    sleep 0.1
  done
}
# catches_term PID: the process has its SIGTERM handler (QuitOnSignal) in place. Before that,
# a SIGTERM ends it by the default action (143): ten GUIs starting at once on two loaded cores
# may take longer than the settling time to get there.
catches_term() {
  local mask
  mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2> /dev/null)
  [ -n "$mask" ] && (((16#$mask >> 14) & 1))
}
# Each must still run after the others have said their piece, and quit with 0 on SIGTERM.
stop_all() {
  local name rc
  for name in "${!pids[@]}"; do
    for _ in $(seq 1 600); do
      catches_term "${pids[$name]}" && break
      sleep 0.1
    done
    kill -0 "${pids[$name]}" ||
      { echo "FAIL: the GUI ended by itself ($name):" >&2; cat "$work/$name.err" >&2; exit 1; }
  done
  kill -TERM "${pids[@]}"
  for name in "${!pids[@]}"; do
    rc=0
    wait "${pids[$name]}" || rc=$?
    [ "$rc" -eq 0 ] || { echo "FAIL: exit $rc on SIGTERM ($name):" >&2; cat "$work/$name.err" >&2; exit 1; }
  done
  pids=()
}
# said NAME PATTERN / silent NAME: what the GUI told stderr (Qt's own offscreen notes aside).
said() { grep -q -- "$2" "$work/$1.err" || { echo "FAIL: $1 did not say '$2':" >&2; cat "$work/$1.err" >&2; exit 1; }; }
silent() {
  if grep "^cvae-workbench:" "$work/$1.err"; then echo "FAIL: $1 complained" >&2; exit 1; fi
}

start_gui compare --runs "$work/runs" --group-seeds --select-all --hparams --importance bleu \
  --curves beta,kl
start_gui follow "$work/runs/seed1" --follow --overlay "$work/runs/seed2"
start_gui config "$work/tiny.yaml"
start_gui typo --bogus "$work/tiny.yaml"
start_gui novalue "$work/tiny.yaml" --overlay
start_gui curves --runs "$work/runs" --select-all --curves beta
start_gui curves3 --runs "$work/runs" --select-all --curves step,loss,kl
start_gui score --runs "$work/runs" --select-all --importance nope
start_gui missing "$work/none.yaml" --overlay "$work/none"
# A mistake on the command line starts no run with --start (it trained the config as is).
start_gui nostart "$work/tiny.yaml" --start --set model.hidden_size=8
# The GUIs that complain show that the batch has started; the quiet ones get 2 s more to speak.
wait_for typo "is not an option"
wait_for novalue "needs a value"
wait_for curves "give two series"
wait_for curves3 "give two series"
wait_for score "no listed run has the score"
wait_for missing "$work/none"
wait_for nostart "no run started"
sleep "${GUI_SETTLE:-2}"
stop_all

# Too few runs for the importance is shown in its view, not as a wrong score.
silent compare
silent follow
silent config
said typo "cvae-workbench: --bogus is not an option of cvae-workbench; it was ignored."
said novalue "cvae-workbench: --overlay needs a value; ignored."
said curves "cvae-workbench: --curves beta: give two series of the listed runs as X,Y"
said curves3 "cvae-workbench: --curves step,loss,kl: give two series of the listed runs as X,Y"
said score "cvae-workbench: --importance nope: no listed run has the score 'nope'."
said missing "$work/none.yaml"
said missing "$work/none"
said nostart "cvae-workbench: --set is not an option of cvae-workbench; it was ignored."
said nostart "cvae-workbench: model.hidden_size=8: only one config or run folder is opened ($work/tiny.yaml); the rest was ignored."
said nostart "cvae-workbench: --start: no run started, since the command line has the mistakes said above"
[ "$(ls "$work/runs" | wc -l)" -eq 2 ] || { echo "FAIL: a run started:" >&2; ls "$work/runs" >&2; exit 1; }
echo "gui_options: all passed"
