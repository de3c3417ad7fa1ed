#!/bin/sh
# Finding the data (boards, fonts) from anywhere: a config kept in a home
# folder that names a board works with check, schedule, preview and
# run --output record:, run from a folder that is neither the source tree
# nor the config's, with no LEDTICKER_* variable. The rule's order
# (src/cli/datadir.h) and its messages are checked on the way.
. tests/e2e/tools/common.sh
ROOT=$(pwd)
LT="$ROOT/$LT"
unset LEDTICKER_BOARDS LEDTICKER_FONTS_DIR LEDTICKER_DATA
export HOME="$T/home"
mkdir -p "$HOME/kiosk" "$T/elsewhere"
cfg=$HOME/kiosk/ticker.ini
printf '[display]\nboard = hub75-128x32\n\n[message a]\nheadline = 区委办：真情帮扶助秋收\n' >"$cfg"
cd "$T/elsewhere"

# The header of a binary PPM: "WIDTH HEIGHT".
ppm_size() { sed -n 2p "$1"; }

out=$("$LT" check -c "$cfg" 2>&1) || fail "check: $out"
echo "$out" | grep -q 'ok, 1 message, 0 warnings' || fail "check: $out"
out=$("$LT" schedule -c "$cfg" --at "2026-11-30 09:00" 2>&1) || fail "schedule: $out"
echo "$out" | grep -q '区委办' || fail "schedule: $out"
"$LT" preview -c "$cfg" --at "2026-11-30 09:00" -o still.ppm || fail "preview to PPM"
[ "$(ppm_size still.ppm)" = "128 32" ] || fail "preview: not the 128x32 board: $(ppm_size still.ppm)"
"$LT" preview -c "$cfg" --at "2026-11-30 09:00" --seconds 1 -o anim.gif || fail "preview to GIF"
"$LT" run -c "$cfg" --output record:e.bin --clock-start "2026-11-30 09:00" --clock-rate max \
    --seconds 2 || fail "run --output record:"
[ -s e.bin ] || fail "run --output record: wrote nothing"
if [ -x "$ROOT/$SIM" ]; then
    "$ROOT/$SIM" --board hub75-128x32 --strict --snapshot sim.png < e.bin >/dev/null 2>&1 \
        || fail "ledsim refuses the recorded stream for hub75-128x32"
fi

# 4. A boards/ folder beside the config wins over the shipped boards, so a
# district can keep its own board files; check uses the same rule.
mkdir "$HOME/kiosk/boards"
printf '[board]\ninterface = hub75\nwidth = 96\nheight = 16\n' >"$HOME/kiosk/boards/hub75-128x32.ini"
"$LT" preview -c "$cfg" --at "2026-11-30 09:00" -o own.ppm || fail "preview with the district's boards"
[ "$(ppm_size own.ppm)" = "96 16" ] || fail "the boards/ beside the config is not used: $(ppm_size own.ppm)"
printf '[board]\ninterface = hub75\nwidth = 64\nheight = 32\n' >"$HOME/kiosk/boards/only-here.ini"
sed -i 's/^board = .*/board = only-here/' "$cfg"
"$LT" check -c "$cfg" >/dev/null || fail "check does not see the boards beside the config"
rm -r "$HOME/kiosk/boards"
out=$("$LT" check -c "$cfg" 2>&1) && fail "check passes a board that run would not find"
echo "$out" | grep -q "ticker.ini:2: error: unknown board 'only-here'" || fail "check: $out"
out=$("$LT" preview -c "$cfg" -o x.ppm 2>&1) && fail "preview plays an unknown board"
echo "$out" | grep -q "ticker.ini:2: error: unknown board 'only-here'" || fail "preview: $out"
sed -i 's/^board = .*/board = hub75-64x32/' "$cfg"

# 3. $LEDTICKER_DATA, the data root, comes before the shipped data; 2. the
# kind's own variable before that; 1. the flag before everything.
mkdir -p "$T/data/boards" "$T/own"
printf '[board]\ninterface = hub75\nwidth = 32\nheight = 16\n' >"$T/data/boards/hub75-64x32.ini"
printf '[board]\ninterface = hub75\nwidth = 48\nheight = 16\n' >"$T/own/hub75-64x32.ini"
LEDTICKER_DATA="$T/data" "$LT" preview -c "$cfg" -o d.ppm || fail "preview with LEDTICKER_DATA"
[ "$(ppm_size d.ppm)" = "32 16" ] || fail "LEDTICKER_DATA not used: $(ppm_size d.ppm)"
LEDTICKER_DATA="$T/data" LEDTICKER_BOARDS="$T/own" "$LT" preview -c "$cfg" -o b.ppm || fail "LEDTICKER_BOARDS"
[ "$(ppm_size b.ppm)" = "48 16" ] || fail "LEDTICKER_BOARDS does not come first: $(ppm_size b.ppm)"
LEDTICKER_BOARDS="$T/data/boards" "$LT" preview -c "$cfg" --boards-dir "$T/own" -o f.ppm || fail "--boards-dir"
[ "$(ppm_size f.ppm)" = "48 16" ] || fail "--boards-dir does not come first: $(ppm_size f.ppm)"
"$LT" check -c "$cfg" --boards "$T/own" >/dev/null || fail "check --boards (the older spelling)"

# One spelling for the flag on every command; a flag naming no folder is
# a usage error that names it.
for cmd in "check" "preview -o x.ppm" "run --output record:x.bin"; do
    out=$("$LT" $cmd -c "$cfg" --boards-dir "$T/none" 2>&1)
    rc=$?
    [ $rc -eq 2 ] || fail "$cmd --boards-dir to nowhere: exit $rc: $out"
    echo "$out" | grep -q -- "--boards-dir $T/none: no such directory" || fail "$cmd: $out"
done
out=$("$LT" preview -c "$cfg" --fonts-dir "$T/none" -o x.ppm 2>&1) && fail "--fonts-dir to nowhere"
echo "$out" | grep -qF "$T/none (--fonts-dir)" || fail "preview --fonts-dir: $out"

# A program with no data beside it: the error lists every place searched.
mkdir -p "$T/bare/bin"
cp "$LT" "$T/bare/bin/ledticker"
out=$(LEDTICKER_FONTS_DIR="$ROOT/fonts" "$T/bare/bin/ledticker" check -c "$cfg" 2>&1) \
    && fail "check passes a board with no boards directory anywhere"
for want in "ticker.ini:2: error: board 'hub75-64x32': no boards directory found" \
            '$LEDTICKER_BOARDS unset' '$LEDTICKER_DATA unset' "$HOME/kiosk/boards (beside the config)" \
            "$T/bare/share/ledticker/boards (beside the executable)"; do
    echo "$out" | grep -qF "$want" || fail "the message lacks '$want': $out"
done

# Outputs are checked by check as run opens them: a typo is an error at its line.
printf '[display]\nboard = hub75-64x32\noutput = hdmi\n[message a]\nheadline = x\n' >bad.ini
out=$("$LT" check -c bad.ini 2>&1) && fail "check passes output = hdmi"
echo "$out" | grep -q "bad.ini:3: error: output 'hdmi': unknown" || fail "check: $out"
printf '[display]\nboard = hub75-64x32\noutput = record:\n[message a]\nheadline = x\n' >bad.ini
out=$("$LT" check -c bad.ini 2>&1) && fail "check passes output = record:"
echo "$out" | grep -q "bad.ini:3: error: output 'record:': say where, as record:PATH" || fail "check: $out"
echo "datadir: ok"
