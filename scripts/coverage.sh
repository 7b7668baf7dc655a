#!/usr/bin/env bash
# Line and branch coverage of core/, ui/ and app/ by the whole test suite.
#
# Builds a Debug tree with gcov counters (CVAE_COVERAGE=ON) into build-cov/ (or $CVAE_BUILD_DIR),
# runs every ctest test, and summarises with gcovr (Debian's gcovr package; installed here when
# missing). Branch figures are given twice: all branches, and without the branches the compiler
# adds for exceptions (--exclude-throw-branches), which is the figure the targets in
# docs/TESTING.md refer to. tests/ and generated files (moc, rcc) are not counted.
#
# Output: build-cov/coverage/coverage.json and coverage-nothrow.json (gcovr JSON, for --add-tracefile),
# build-cov/coverage/index.html (per-file detail), and a summary per folder on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CVAE_BUILD_DIR:-build-cov}
if ! command -v gcovr >/dev/null; then
  apt-get install -y -q gcovr >/dev/null
fi
CVAE_BUILD_DIR=$BUILD_DIR CMAKE_BUILD_TYPE=Debug scripts/build.sh -DCVAE_COVERAGE=ON \
  -DCVAE_BUILD_BENCH=OFF "$@"
# Counters from an earlier run would be added to this one's.
find "$BUILD_DIR" -name '*.gcda' -delete
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${CVAE_JOBS:-2}" || echo "coverage: some tests failed; figures are still written" >&2
OUT="$BUILD_DIR/coverage"
mkdir -p "$OUT"
common=(--root . --object-directory "$BUILD_DIR" --filter 'core/' --filter 'ui/' --filter 'app/'
  --exclude-unreachable-branches --gcov-ignore-parse-errors -j "${CVAE_JOBS:-2}")
# Exception branches are marked by gcov when it reads the counters, so each figure needs its own pass.
gcovr "${common[@]}" --json "$OUT/coverage.json" --html-details "$OUT/index.html" >/dev/null
gcovr "${common[@]}" --exclude-throw-branches --json "$OUT/coverage-nothrow.json" >/dev/null
summary() { gcovr --add-tracefile "$1" --filter "$2/" --print-summary -o /dev/null; }
for folder in core ui app; do
  echo "$folder/"
  summary "$OUT/coverage.json" "$folder" | sed 's/^/  /'
  echo "  without exception branches: $(summary "$OUT/coverage-nothrow.json" "$folder" | grep '^branches')"
done
