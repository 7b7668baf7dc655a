#!/usr/bin/env bash
# Sets up, builds and runs every test. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh "$@"
BUILD_DIR=${CVAE_BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2
