#!/usr/bin/env bash
# Sets up, builds and starts the GUI on its embedded default experiment.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec "${CVAE_BUILD_DIR:-build}/app/gui/cvae-workbench" "$@"
