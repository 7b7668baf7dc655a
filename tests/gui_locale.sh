#!/usr/bin/env bash
# The GUI on desktops whose locale writes decimals with a comma (de_DE, fr_FR): it starts on a
# config with fractional values, trains a few steps, and its files keep '.' decimals.
# Exits 77 (reported by ctest as skipped) when the locales are not installed.
set -euo pipefail
gui=$1
cli=$2
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

for loc in de_DE fr_FR; do
  if ! locale -a 2>/dev/null | grep -qi "^${loc}\.utf-\?8$"; then
    echo "SKIP: the locale $loc.UTF-8 is not installed (scripts/setup.sh makes it with localedef)"
    exit 77
  fi
done

# The GUI saves its window state and recent files on quit: here, not in the user's settings.
export XDG_CONFIG_HOME=$work/config

"$cli" make-data tense --out "$work/data" --size 60 > /dev/null
cat > "$work/tiny.yaml" <<YAML
experiment: tense
name: tiny
data:
  train: data/train.txt
  test: data/test.txt
model:
  embedding_size: 8
  hidden_size: 16
  latent_size: 4
  condition_size: 4
optimizer:
  learning_rate: 0.003
  lr_min: 0.0001
train:
  epochs: 200
  batch_size: 16
  device: cpu
kl_annealing:
  max_beta: 0.75
  free_bits: 0.25
evaluation:
  gaussian_samples: 5
output:
  dir: $work/runs
YAML

for loc in de_DE.UTF-8 fr_FR.UTF-8; do
  rm -rf "$work/runs"
  LC_ALL=$loc LANG=$loc QT_QPA_PLATFORM=offscreen "$gui" "$work/tiny.yaml" --start \
    > "$work/gui.log" 2>&1 &
  pid=$!
  rows=0
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { echo "the GUI ended under $loc:"; cat "$work/gui.log"; exit 1; }
    metrics=$(ls "$work"/runs/*/metrics.csv 2>/dev/null | head -n 1 || true)
    [ -n "$metrics" ] && rows=$(grep -c '^train,' "$metrics" || true)
    [ "$rows" -ge 5 ] && break
    sleep 0.2
  done
  # SIGTERM (a logout, `kill`) quits as a confirmed close: the run stops with a checkpoint.
  kill -TERM "$pid"
  status=0
  wait "$pid" 2>/dev/null || status=$?
  pid=""
  if [ "$rows" -lt 5 ]; then echo "no training steps under $loc"; cat "$work/gui.log"; exit 1; fi
  run=$(dirname "$metrics")
  [ "$status" -eq 0 ] || { echo "the GUI exited $status on SIGTERM under $loc"; cat "$work/gui.log"; exit 1; }
  grep -qx "state: stopped" "$run/status.yaml" || { cat "$run/status.yaml"; exit 1; }
  test -s "$run/last.pt"
  # The saved config and the metrics use '.' decimals: a comma would add columns to the CSV.
  grep -q "learning_rate: 0.003$" "$run/config.yaml"
  grep -q "max_beta: 0.75$" "$run/config.yaml"
  header_columns=$(head -n 1 "$metrics" | awk -F, '{print NF}')
  awk -F, -v n="$header_columns" 'NR > 1 && NF != n { print "bad row: " $0; bad = 1 } END { exit bad }' "$metrics"
  grep -q '^train,0,1,[0-9.e+-]*,[0-9]*\.[0-9]' "$metrics"
  ls "$work"/config/cvae-workbench/*.conf > /dev/null  # the settings went where we said
  echo "$loc: $rows steps, files with '.' decimals"
done
