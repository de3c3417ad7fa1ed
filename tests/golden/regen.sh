#!/bin/sh
# make golden: re-render every case of tests/golden/cases.txt with the real
# `ledticker render`, and record the versions of the packages that decide
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
sh "$dir/versions.sh" > "$dir/VERSIONS"
echo "golden: versions recorded in $dir/VERSIONS"
