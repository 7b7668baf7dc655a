#!/usr/bin/env bash
# Builds the Qt libraries the GUI tests load (Core, Gui, Widgets, Test, PrintSupport and the
# offscreen platform plugin) with ThreadSanitizer, from Debian's own source of the installed Qt,
# so that a -DCVAE_SANITIZE=thread build can run test_gui and test_runs_table with Qt's locks,
# queued signals and posted events visible to TSan (docs/TESTING.md, "ThreadSanitizer").
#
# Why: Debian's Qt is not instrumented. Its QMutex is a futex and its event queue hands objects
# from one thread to another through it, so every queued signal looks like a data race to TSan.
# Qt built with -DFEATURE_sanitize_thread=ON annotates QMutex for TSan (qtsan_impl.h).
#
# Usage: scripts/build-qt-tsan.sh [DIR]      (default DIR: build-qt-tsan; about 60 min on 2 cores)
# Then:  cmake ... -DCVAE_SANITIZE=thread -DCVAE_TSAN_QT_DIR=$PWD/DIR/build
#
# The tests link against Debian's Qt as usual and run with LD_LIBRARY_PATH and QT_PLUGIN_PATH
# pointing at DIR/build: the same version from the same source with Debian's patches, so the
# libraries are interchangeable. Needs dpkg-dev (dpkg-source) and curl; fetches the source from
# deb.debian.org, the archive the Qt packages came from.
set -euo pipefail

dir=${1:-build-qt-tsan}
version=$(dpkg-query -W -f '${Version}' libqt6core6)
upstream=${version%-*}
pool=http://deb.debian.org/debian/pool/main/q/qt6-base
mkdir -p "$dir"
cd "$dir"

if [[ ! -d src ]]; then
  for file in "qt6-base_${version}.dsc" "qt6-base_${upstream}.orig.tar.xz" \
    "qt6-base_${version}.debian.tar.xz"; do
    [[ -f $file ]] || curl -fsS -o "$file" "$pool/$file"
  done
  # Checks the tarballs against the checksums in the .dsc and applies Debian's patches.
  dpkg-source -x "qt6-base_${version}.dsc" src
fi

# Only what the tests load; no D-Bus, SQL, network or X11. Release: Qt's own code at -O2, so the
# GUI tests run at a usable speed under TSan.
cmake -S src -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$PWD/install" -DFEATURE_sanitize_thread=ON \
  -DQT_BUILD_EXAMPLES=OFF -DQT_BUILD_TESTS=OFF \
  -DFEATURE_sql=OFF -DFEATURE_network=OFF -DFEATURE_dbus=OFF -DFEATURE_xcb=OFF \
  -DFEATURE_vulkan=OFF -DFEATURE_concurrent=OFF -DFEATURE_glib=OFF -DFEATURE_icu=OFF \
  -DFEATURE_eglfs=OFF -DFEATURE_gtk3=OFF -DFEATURE_cups=OFF -DFEATURE_linuxfb=OFF \
  -DFEATURE_vnc=OFF -DFEATURE_evdev=OFF -DFEATURE_libinput=OFF -DFEATURE_tslib=OFF \
  -DFEATURE_mtdev=OFF >/dev/null
cmake --build build --target Core Gui Widgets Test PrintSupport QOffscreenIntegrationPlugin

echo "Qt with TSan: $PWD/build/lib (plugins: $PWD/build/plugins)"
echo "configure with: -DCVAE_SANITIZE=thread -DCVAE_TSAN_QT_DIR=$PWD/build"
