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
RUNS=5
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

command -v hb-view >/dev/null || { echo "hb-view missing (libharfbuzz-bin)"; exit 1; }
font=$(FONTCONFIG_FILE="$PWD/fonts/fonts.conf" fc-match -f '%{file}' "$FAMILY")
index=$(FONTCONFIG_FILE="$PWD/fonts/fonts.conf" fc-match -f '%{index}' "$FAMILY")

tr -d '\r\n' < "$SEED" > "$T/page.txt"
awk 'NF' "$SEED" > "$T/lines.txt"
n=$(wc -l < "$T/lines.txt")
awk -v per=$(( (n + 4) / 5 )) '{ printf "%s", $0 } NR % per == 0 { printf "\n" }' \
    "$T/lines.txt" > "$T/five.txt"

now_ms() { date +%s%N | awk '{ printf "%.3f", $1 / 1e6 }'; }

# Median wall-clock ms of RUNS runs of "$@".
time_ms() {
    i=0
    : > "$T/times"
    while [ $i -lt $RUNS ]; do
        t0=$(now_ms)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
        t1=$(now_ms)
        echo "$t1 $t0" | awk '{ printf "%.3f\n", $1 - $2 }' >> "$T/times"
        i=$((i + 1))
    done
    sort -n "$T/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

png_w() { od -An -tu1 -j16 -N4 "$1" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 }'; }
png_h() { od -An -tu1 -j20 -N4 "$1" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 }'; }

lt=$(time_ms "$BUILD/ledticker" -q render --font "$FAMILY" --size $SIZE --mode mono \
        --file "$T/page.txt" -o "$T/lt.png") || exit 1
hb=$(time_ms hb-view --font-file="$font" --face-index="$index" --font-size=$SIZE \
        --text-file="$T/five.txt" --output-format=png -o "$T/hb.png") || exit 1

rss_lt=""
if [ -x /usr/bin/time ]; then
    rss_lt=$(/usr/bin/time -f '%M' "$BUILD/ledticker" -q render --font "$FAMILY" --size $SIZE \
        --mode mono --file "$T/page.txt" -o "$T/lt.png" 2>&1 >/dev/null | tail -1)
    rss_hb=$(/usr/bin/time -f '%M' hb-view --font-file="$font" --face-index="$index" \
        --font-size=$SIZE --text-file="$T/five.txt" --output-format=png -o "$T/hb.png" 2>&1 \
        >/dev/null | tail -1)
fi

echo "font: $FAMILY ($font, face $index), $SIZE px; median of $RUNS runs"
echo "ledticker render  $lt ms  one line, $(png_w "$T/lt.png") x $(png_h "$T/lt.png") px, 1-bit PNG${rss_lt:+, peak RSS $((rss_lt / 1024)) MiB}"
echo "hb-view           $hb ms  five lines, $(png_w "$T/hb.png") x $(png_h "$T/hb.png") px, PNG${rss_hb:+, peak RSS $((rss_hb / 1024)) MiB}"
echo "$hb $lt" | awk '{ printf "ratio hb-view / ledticker: %.1f x   (goal: >= 5 x)\n", $1 / $2 }'
