#!/bin/sh
# Golden frames: `ledticker preview` of tests/golden/clock_lunar.ini at the
# moments of tests/golden/previews.txt, pixel for pixel against the PNGs
# `make golden` wrote (the label, scrolling and clock zones; the lunar
# date, the solar term on its day, and the narrower clock a small board
# falls back to). Any difference fails, loudly, naming the recorded and
# installed package versions (tests/golden/VERSIONS).
. tests/e2e/tools/common.sh
build_png2ppm
dir=tests/golden
differ=0
cases=0
while IFS='|' read -r name board at; do
    case $name in ''|'#'*) continue ;; esac
    cases=$((cases + 1))
    "$LT" -q preview -c "$dir/clock_lunar.ini" --boards-dir boards --board "$board" --at "$at" \
        -o "$T/$name.png" 2>"$T/err" || fail "$name: preview exit $? $(cat "$T/err")"
    "$T/png2ppm" "$T/$name.png" "$T/new.ppm" || fail "$name: cannot read the new frame"
    "$T/png2ppm" "$dir/$name.png" "$T/gold.ppm" || fail "$name: cannot read $dir/$name.png"
    if ! cmp -s "$T/new.ppm" "$T/gold.ppm"; then
        n=$(cmp -l "$T/new.ppm" "$T/gold.ppm" 2>/dev/null | wc -l)
        echo "golden frame $name ($board at $at): $n bytes differ"
        differ=$((differ + 1))
    fi
done < "$dir/previews.txt"
[ "$cases" -ge 3 ] || fail "only $cases golden frames in $dir/previews.txt"
if [ "$differ" -gt 0 ]; then
    echo "Packages when the goldens were made ($dir/VERSIONS):"
    cat "$dir/VERSIONS"
    echo "Installed now:"
    sh "$dir/versions.sh"
    fail "$differ of $cases golden frames differ. If the new pixels look right, run \`make golden\` and commit the PNGs with VERSIONS."
fi
echo "golden frames: $cases match"
