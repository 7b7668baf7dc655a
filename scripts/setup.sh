#!/usr/bin/env bash
# Installs every Debian package the workbench needs to build, test and run.
# Idempotent: when everything is already present it only checks and exits.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-pthread
  qt6-base-dev qt6-base-dev-tools libqt6svg6 qt6-svg-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libyaml-cpp-dev nlohmann-json3-dev libpng-dev libgif-dev
  libdlib-dev libjpeg62-turbo-dev libblas-dev liblapack-dev libsqlite3-dev
  libgloo-dev
  wordnet-base wamerican wamerican-small jq
  xvfb x11-apps imagemagick
  locales
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Comma-decimal locales for the tests that check files do not depend on the desktop's locale.
for loc in de_DE fr_FR; do
  if ! locale -a 2>/dev/null | grep -qi "^${loc}\.utf-\?8$"; then
    $SUDO localedef -i "$loc" -f UTF-8 "$loc.UTF-8" || echo "setup: could not make $loc.UTF-8"
  fi
done
