#!/bin/sh
# The panel fitted to the terminal (firmware-host/core/termdraw.c), in a
# pseudo-terminal as a user has one: the example's 256x32 panel with its
# 16-px text drawn by `run --output term`, decoded back into pixels and
# compared with `preview`'s frame for the same moment.
#   300 columns: half blocks, every pixel exact
#   128 columns: quadrant blocks within 128 columns (the figure printed
#                says how legible 16-px text stays); 128x12: braille
#   80 columns:  the left part, and one line saying 128 columns are needed
#   a resize (SIGWINCH) is followed: the screen is cleared and refitted
# Also: with no terminal on stdout, `run` says so in one line and draws
# nothing; `make run`'s first line says where the show plays.
. tests/e2e/tools/common.sh
command -v python3 >/dev/null || fail "python3 is missing (packaging/deps.sh test installs it)"
pty=tests/e2e/tools/ptyterm.py
cfg=examples/lishi.ini
at="2026-03-02 09:30"
"$LT" preview -c "$cfg" --at "$at" -o "$T/ref.ppm" || fail "preview"
term() {        # COLS ROWS OUT [ARGS...]: run --output term in a terminal of that size
    c=$1 r=$2 o=$3
    shift 3
    python3 "$pty" "$c" "$r" "$o" "$LT" run -c "$cfg" --output term --clock-start "$at" \
        --clock-rate max --seconds 0.2 "$@" || fail "run --output term in $c x $r"
}
decode() { python3 "$pty" --decode "$1" "$T/ref.ppm" ${2:-}; }

term 300 40 "$T/wide"
set -- $(decode "$T/wide")
[ "$1" = half ] && [ "$2" = 256 ] && [ "$4" = "$5" ] || fail "300 columns: not every pixel in half blocks: $*"

term 128 40 "$T/q"
set -- $(decode "$T/q")
[ "$1" = quadrant ] || fail "128 columns: not quadrant blocks: $*"
[ "$2" = 256 ] && [ "$8" -le 128 ] && [ "$9" -eq 16 ] || fail "128 columns: not 256 px in 128 columns, 16 lines: $*"
echo "term_fit: 16-px text in quadrant blocks at 128 columns: $4 of $5 pixels exact," \
     "$6 of $7 lit pixels ($(( 100 * $6 / $7 ))%)"
[ $(( 100 * $4 / $5 )) -ge 99 ] || fail "quadrant blocks lose more than 1% of the pixels: $*"

term 128 12 "$T/b"
set -- $(decode "$T/b")
[ "$1" = braille ] && [ "$8" -le 128 ] && [ "$9" -eq 8 ] || fail "128x12: not braille in 8 lines: $*"
echo "term_fit: braille at 128x12: $6 of $7 lit pixels shown lit"

term 80 40 "$T/narrow"
set -- $(decode "$T/narrow")
[ "$8" -le 80 ] || fail "80 columns: a line is $8 cells wide"
n=$(grep -ac 'the whole panel needs 128 columns' "$T/narrow")
[ "$n" -eq 1 ] || fail "80 columns: $n lines about the columns needed, not 1: $(grep -a 'columns' "$T/narrow")"
grep -a 'needs 128 columns' "$T/narrow" | tr -d '\r' | sed 's/^/term_fit: at 80 columns: /'

# A resize is followed: the screen is cleared and the panel refitted.
python3 "$pty" 300 40,128,40 "$T/resize" "$LT" run -c "$cfg" --output term --clock-start "$at" \
    --seconds 1.5 || fail "run across a resize"
set -- $(decode "$T/resize" 1)
[ "$1" = quadrant ] && [ "$8" -le 128 ] || fail "after a resize to 128 columns: $*"

# The simulated panel (make run's) in a terminal: where it plays, one line.
python3 "$pty" 80 40 "$T/sim" "$LT" run -c "$cfg" --output sim --clock-start "$at" \
    --clock-rate max --seconds 0.5 || fail "run --output sim in a terminal"
grep -aq 'ledticker: playing on a simulated 256x32 panel in this terminal (Ctrl-C stops)' "$T/sim" ||
    fail "no line saying where the show plays: $(tr -d '\033' <"$T/sim" | head -c 300)"
[ "$(grep -ac 'the whole panel needs 128 columns' "$T/sim")" -eq 1 ] || fail "sim at 80 columns: not one line"

# No terminal: one line says so, and no escape codes land in the file.
for out in sim term; do
    "$LT" run -c "$cfg" --output $out --clock-start "$at" --clock-rate max --seconds 0.2 \
        >"$T/stdout" 2>"$T/stderr" || fail "run --output $out without a terminal"
    [ ! -s "$T/stdout" ] || fail "--output $out wrote to a stdout that is no terminal"
    [ "$(grep -c 'stdout is not a terminal' "$T/stderr")" -eq 1 ] || fail "--output $out: $(cat "$T/stderr")"
    grep -q -- '--output record:FILE, or ledticker preview' "$T/stderr" || fail "no suggestion: $(cat "$T/stderr")"
done
echo "term_fit: ok"
