#!/usr/bin/env bash
# The Debian package as `cpack -G DEB` makes it from this build: its files, its declared runtime
# dependencies, its desktop entry, and both programs run from the unpacked tree with no source
# tree and no build folder behind them (presets compiled in, icons as Qt resources).
# Usage: package_contents.sh BUILD_DIR.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$work"/out/cvae-workbench_*_amd64.deb)
version=$(sed -n 's/^project(cvae_workbench VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../CMakeLists.txt")
[ "$(basename "$deb")" = "cvae-workbench_${version}_amd64.deb" ]

dpkg-deb -c "$deb" | awk '{ print $6 }' > "$work/files.txt"
for f in ./usr/bin/cvae-cli ./usr/bin/cvae-workbench \
  ./usr/share/applications/cvae-workbench.desktop \
  ./usr/share/icons/hicolor/scalable/apps/cvae-workbench.svg \
  ./usr/share/bash-completion/completions/cvae-cli \
  ./usr/share/cvae-workbench/configs/tense_cvae.yaml \
  ./usr/share/cvae-workbench/configs/spelling_seq2seq.yaml \
  ./usr/share/cvae-workbench/configs/video_svg_cpu.yaml \
  ./usr/share/cvae-workbench/configs/video_svg_diverse.yaml \
  ./usr/share/cvae-workbench/configs/video_svg_gpu.yaml; do
  grep -qx "$f" "$work/files.txt" || { echo "FAIL: $f is not in the package" >&2; exit 1; }
done
# Nothing from the build or the source tree beyond that.
if grep -E '\.(o|a|h|cpp)$|/tests?/|CMake' "$work/files.txt"; then exit 1; fi

depends=$(dpkg-deb -f "$deb" Depends)
for p in libtorch1.13 libopenblas0-pthread libqt6widgets6 libqt6svg6 libqcustomplot2.1-qt6 \
  libyaml-cpp0.7 libdlib19.1 libgif7 wordnet-base wamerican; do
  echo "$depends" | tr ',' '\n' | sed 's/^ *//' | grep -qx "$p" ||
    { echo "FAIL: $p is not declared in Depends: $depends" >&2; exit 1; }
done
dpkg-deb -x "$deb" "$work/root"
# Every file a packaged preset reads from the system (the spelling preset's word lists) comes
# from a declared package, so the presets run on a machine that has only what apt installed.
for path in $(grep -ohE '/usr/share/[^ #"]+' "$work"/root/usr/share/cvae-workbench/configs/*.yaml |
  sort -u); do
  owner=$(dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1) ||
    { echo "FAIL: a preset reads $path, which no installed package provides" >&2; exit 1; }
  [ -n "$owner" ] || { echo "FAIL: a preset reads $path, which no installed package provides" >&2; exit 1; }
  echo "$depends" | tr ',' '\n' | sed 's/^ *//' | grep -qx "$owner" ||
    { echo "FAIL: a preset reads $path from $owner, which is not in Depends: $depends" >&2; exit 1; }
done
# Every shared library the programs need comes from a declared package (or libc/libgcc).
for program in cvae-cli cvae-workbench; do
  objdump -p "$work/root/usr/bin/$program" | awk -v p=$program '/NEEDED/ { print p, $2 }'
done > "$work/needed.txt"
# One dpkg -S for all of them: each pattern makes it read every package's file list (10 s apart).
dpkg -S $(awk '{ print "*/" $2 }' "$work/needed.txt" | sort -u) 2> /dev/null |
  sed -n 's/^\([^:,]*\)[^ ]* \(.*\)$/\1 \2/p' > "$work/owners.txt" || true
while read -r program lib; do
  owner=$(awk -v lib="$lib" '{ n = split($2, part, "/"); if (part[n] == lib) { print $1; exit } }' \
    "$work/owners.txt")
  case "$owner" in
    libc6 | libc6-i386 | libgcc-s1 | libstdc++6 | zlib1g | libpng16-16 | libqt6core6 | libqt6gui6) ;;
    *) echo "$depends" | grep -q "$owner" ||
      { echo "FAIL: $program needs $lib from '$owner', not declared" >&2; exit 1; } ;;
  esac
done < "$work/needed.txt"

grep -qx "Exec=cvae-workbench" "$work/root/usr/share/applications/cvae-workbench.desktop"
grep -qx "Icon=cvae-workbench" "$work/root/usr/share/applications/cvae-workbench.desktop"
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$work/root/usr/share/applications/cvae-workbench.desktop"
fi

# The unpacked programs, run from elsewhere: versions, and a preset resolved from the binary.
cd "$work"
"$work/root/usr/bin/cvae-cli" --version | grep -q "^cvae-cli $version "
QT_QPA_PLATFORM=offscreen "$work/root/usr/bin/cvae-workbench" --version | grep -q "$version"
"$work/root/usr/bin/cvae-cli" config "$work/root/usr/share/cvae-workbench/configs/tense_cvae.yaml" |
  grep -q "^experiment: tense"
bash -c "source '$work/root/usr/share/bash-completion/completions/cvae-cli'; complete -p cvae-cli" |
  grep -q "_cvae_cli"
echo "package_contents: $(basename "$deb"), $(wc -l < "$work/files.txt") entries, $(du -k "$deb" | cut -f1) KiB"
