#!/usr/bin/env bash
# Configures and builds the workbench into build/ (Release, Ninja, ccache when present).
# Extra arguments go to cmake's configure step, e.g. -DCVAE_SANITIZE=ON. CVAE_TARGET builds one
# target (and what it needs) instead of everything, e.g. CVAE_TARGET=cvae-workbench.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CVAE_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-Release} "$@"
# Two jobs: each torch-heavy translation unit needs about 1.5 GB and the target machine has 2 cores.
cmake --build "$BUILD_DIR" -j "${CVAE_JOBS:-2}" ${CVAE_TARGET:+--target "$CVAE_TARGET"}
