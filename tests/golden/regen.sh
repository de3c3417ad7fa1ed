#!/bin/sh
# make golden: re-render every case of tests/golden/cases.txt with the real
# `ledticker render`, every frame of tests/golden/previews.txt with
# `ledticker preview`, and record the versions of the packages that decide
# the pixels in tests/golden/VERSIONS. Run it after a font, FreeType or
# HarfBuzz upgrade, look at the new PNGs, and commit them with VERSIONS.
set -eu
BUILD=${1:-build}
dir=tests/golden
grep -v '^#' "$dir/cases.txt" | while IFS='|' read -r name family size mode text; do
    [ -n "$name" ] || continue
    "$BUILD/ledticker" -q render --font "$family" --size "$size" --mode "$mode" \
        -o "$dir/$name.png" "$text"
    echo "golden: $dir/$name.png ($family, $size px, $mode)"
done
# Golden frames: the engine's zones and clock, through `ledticker preview`.
grep -v '^#' "$dir/previews.txt" | while IFS='|' read -r name board at; do
    [ -n "$name" ] || continue
    TZ=Asia/Shanghai "$BUILD/ledticker" -q preview -c "$dir/clock_lunar.ini" --boards-dir boards \
        --board "$board" --at "$at" -o "$dir/$name.png"
    echo "golden: $dir/$name.png ($board at $at)"
done
sh "$dir/versions.sh" > "$dir/VERSIONS"
echo "golden: versions recorded in $dir/VERSIONS"
