#!/bin/sh
# Whole-process time of `ledticker render` (mono, PNG included) on the seed
# page as one line, against hb-view (libharfbuzz-bin) drawing the same glyphs
# with the same font at the same size. cairo cannot make an image wider than
# 32,767 px, so hb-view gets the page wrapped into five lines (at the seed's
# own line ends). Goal: ledticker at least 5 times faster.
set -u
: "${BUILD:=build}"
SEED=tests/data/000_158b273b953cb734.txt
SIZE=32
FAMILY="Noto Sans CJK SC"
RUNS=10
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

command -v hb-view >/dev/null || { echo "hb-view missing (libharfbuzz-bin)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (package time)"; exit 1; }
font=$(FONTCONFIG_FILE="$PWD/fonts/fonts.conf" fc-match -f '%{file}' "$FAMILY")
index=$(FONTCONFIG_FILE="$PWD/fonts/fonts.conf" fc-match -f '%{index}' "$FAMILY")

tr -d '\r\n' < "$SEED" > "$T/page.txt"
awk 'NF' "$SEED" > "$T/lines.txt"
n=$(wc -l < "$T/lines.txt")
awk -v per=$(( (n + 4) / 5 )) '{ printf "%s", $0 } NR % per == 0 { printf "\n" }' \
    "$T/lines.txt" > "$T/five.txt"

# Runs "$@" RUNS times in a row under /usr/bin/time; prints the mean
# wall-clock ms and the mean CPU ms (user + system, all threads) per run.
# On a machine shared with other work the CPU figure is the steadier one;
# both are printed. (time's 10 ms grain is why the runs are summed.)
time_ms() {
    /usr/bin/time -f '%e %U %S' -o "$T/one" sh -c '
        n=$1; shift; i=0
        while [ $i -lt $n ]; do "$@" >/dev/null 2>&1 || exit 1; i=$((i + 1)); done
    ' sh "$RUNS" "$@" || { echo "failed: $*" >&2; return 1; }
    awk -v n="$RUNS" '{ printf "%.1f %.1f\n", $1 * 1000 / n, ($2 + $3) * 1000 / n }' "$T/one"
}

png_w() { od -An -tu1 -j16 -N4 "$1" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 }'; }
png_h() { od -An -tu1 -j20 -N4 "$1" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 }'; }

lt=$(time_ms "$BUILD/ledticker" -q render --font "$FAMILY" --size $SIZE --mode mono \
        --file "$T/page.txt" -o "$T/lt.png") || exit 1
hb=$(time_ms hb-view --font-file="$font" --face-index="$index" --font-size=$SIZE \
        --text-file="$T/five.txt" --output-format=png -o "$T/hb.png") || exit 1

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
rss_lt=$(rss "$BUILD/ledticker" -q render --font "$FAMILY" --size $SIZE --mode mono \
        --file "$T/page.txt" -o "$T/lt.png")
rss_hb=$(rss hb-view --font-file="$font" --face-index="$index" --font-size=$SIZE \
        --text-file="$T/five.txt" --output-format=png -o "$T/hb.png")

set -- $lt $hb
echo "font: $FAMILY ($font, face $index), $SIZE px; mean of $RUNS runs; load: $(cut -d' ' -f1 /proc/loadavg)"
echo "ledticker render  wall $1 ms, cpu $2 ms  one line, $(png_w "$T/lt.png") x $(png_h "$T/lt.png") px, 1-bit PNG, peak RSS $((rss_lt / 1024)) MiB"
echo "hb-view           wall $3 ms, cpu $4 ms  five lines, $(png_w "$T/hb.png") x $(png_h "$T/hb.png") px, PNG, peak RSS $((rss_hb / 1024)) MiB"
# The goal is on CPU time, the steadier figure on a shared machine.
echo "$1 $2 $3 $4" | awk '{ ok = $4 / $2 >= 5
    printf "ratio hb-view / ledticker: wall %.1f x, cpu %.1f x   (goal: cpu >= 5 x) %s\n", $3 / $1, $4 / $2, ok ? "ok" : "MISSED"
    exit !ok }'
