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
pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2> /dev/null; rm -rf "$work"' EXIT
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

# run_gui NAME ARGS...: starts the GUI, lets it settle, ends it with SIGTERM; stderr in NAME.err.
run_gui() {
  local name=$1
  shift
  "$gui" "$@" > "$work/$name.out" 2> "$work/$name.err" &
  pid=$!
  sleep "${GUI_SETTLE:-3}"
  kill -0 "$pid" || { echo "FAIL: the GUI ended by itself ($name):" >&2; cat "$work/$name.err" >&2; exit 1; }
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  pid=""
  [ "$rc" -eq 0 ] || { echo "FAIL: exit $rc on SIGTERM ($name):" >&2; cat "$work/$name.err" >&2; exit 1; }
}
# said NAME PATTERN / silent NAME: what the GUI told stderr (Qt's own offscreen notes aside).
said() { grep -q -- "$2" "$work/$1.err" || { echo "FAIL: $1 did not say '$2':" >&2; cat "$work/$1.err" >&2; exit 1; }; }
silent() {
  if grep "^cvae-workbench:" "$work/$1.err"; then echo "FAIL: $1 complained" >&2; exit 1; fi
}

run_gui compare --runs "$work/runs" --group-seeds --select-all --hparams --importance bleu \
  --curves beta,kl
# Too few runs for the importance is shown in its view, not as a wrong score.
silent compare
run_gui follow "$work/runs/seed1" --follow --overlay "$work/runs/seed2"
silent follow
run_gui config "$work/tiny.yaml"
silent config

run_gui typo --bogus "$work/tiny.yaml"
said typo "cvae-workbench: --bogus is not an option of cvae-workbench; it was ignored."
run_gui novalue "$work/tiny.yaml" --overlay
said novalue "cvae-workbench: --overlay needs a value; ignored."
run_gui curves --runs "$work/runs" --select-all --curves beta
said curves "cvae-workbench: --curves beta: give two series of the listed runs as X,Y"
run_gui score --runs "$work/runs" --select-all --importance nope
said score "cvae-workbench: --importance nope: no listed run has the score 'nope'."
run_gui missing "$work/none.yaml" --overlay "$work/none"
said missing "$work/none.yaml"
said missing "$work/none"
echo "gui_options: all passed"
