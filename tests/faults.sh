#!/usr/bin/env bash
# Faults of the disk, as a user meets them: a run folder on a nearly full filesystem and on a
# read-only one. Each ends with a clear error naming the file and the cause, exit code 1 (not
# an abort), no temporary file left, the checkpoints already written intact, and the run
# marked failed. Needs root for a small tmpfs; exits 77 (ctest: skipped) otherwise.
set -euo pipefail
cli=$1
work=$(mktemp -d)
mnt="$work/mnt"
mkdir -p "$mnt"
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
if ! mount -t tmpfs -o size=1m tmpfs "$mnt" 2>/dev/null; then
  echo "SKIP: cannot mount a small tmpfs here (needs root); the disk-full faults were not tried"
  exit 77
fi

"$cli" make-data tense --out "$work/data" --size 200 > /dev/null
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
  epochs: 3
  batch_size: 64
  device: cpu
evaluation:
  gaussian_samples: 5
YAML

expect_failure() {  # WHAT PATTERN -- command...
  local what=$1 pattern=$2
  shift 3
  set +e
  "$@" > "$work/out.txt" 2> "$work/err.txt"
  local rc=$?
  set -e
  if [ "$rc" -ne 1 ]; then echo "$what: exit code $rc, expected 1"; cat "$work/err.txt"; exit 1; fi
  if ! grep -q "$pattern" "$work/err.txt"; then
    echo "$what: expected '$pattern' in:"; cat "$work/err.txt"; exit 1
  fi
  if ls "$mnt"/run/*.tmp-* > /dev/null 2>&1; then echo "$what: a temporary file was left"; exit 1; fi
}

# A full disk at the first checkpoint (a checkpoint of this model is ~230 kB): best.pt was
# written, last.pt could not be.
head -c 700000 /dev/zero > "$mnt/filler"
expect_failure "full disk" "last.pt: write failed: No space left on device" -- \
  "$cli" train "$work/tiny.yaml" --run-dir "$mnt/run"
grep -q "^state: failed" "$mnt/run/status.yaml"
"$cli" evaluate "$mnt/run/best.pt" | grep -q "^bleu: "

# A full disk before anything could be written.
rm -rf "$mnt/run"
head -c 400000 /dev/zero >> "$mnt/filler" || true
expect_failure "no space at all" "No space left on device" -- \
  "$cli" train "$work/tiny.yaml" --run-dir "$mnt/run"

# A read-only run folder: a finished run cannot be continued there, and stays as it was.
rm -f "$mnt/filler"
rm -rf "$mnt/run"
"$cli" train "$work/tiny.yaml" --run-dir "$mnt/run" > /dev/null
sum=$(cat "$mnt"/run/*.pt | md5sum)
mount -o remount,ro "$mnt"
expect_failure "read-only folder" "Read-only file system" -- \
  "$cli" resume "$mnt/run" --set train.epochs=4
test "$(cat "$mnt"/run/*.pt | md5sum)" = "$sum"
mount -o remount,rw "$mnt"
echo "faults: full disk, no space, read-only folder: each a named error, checkpoints intact"
