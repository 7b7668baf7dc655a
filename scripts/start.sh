#!/usr/bin/env bash
# Sets up, builds and starts the GUI on its embedded default experiment.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Only the GUI and what it links (core, ui): the tests and benchmarks wait for the test command.
# Ninja shows its progress as one [done/total] line in a terminal.
CVAE_TARGET=cvae-workbench scripts/build.sh
exec "${CVAE_BUILD_DIR:-build}/app/gui/cvae-workbench" "$@"
