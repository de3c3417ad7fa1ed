#!/bin/sh
# Every command reads a local time the same way (docs/config.md, "Local time
# and daylight saving"): in New York's skipped hour on 8 March 2026,
# 02:30 means the moment the clocks jump, shown as 03:00, for
# `schedule --at`, `preview --at` and `run --clock-start` alike; and the
# full-width digits Chinese input methods type work for all three.
. tests/e2e/tools/common.sh
cp -R boards "$T/boards"
[ -x "$SIM" ] || { echo "no $SIM" >&2; exit 77; }
build_png2ppm
B="--boards-dir $T/boards"
export TZ=America/New_York

# Nothing to play: the idle clock shows the wall time, minute by minute.
cat > "$T/t.ini" <<INI
[display]
board = hub75-128x32
size = 16
idle = clock
[message early]
headline = 早间新闻
days = sun
hours = 01:00-01:30
INI

# --- schedule -------------------------------------------------------------
got=$("$LT" schedule -c "$T/t.ini" --at "2026-03-08 02:30" --json)
[ "$got" = '{"at":"2026-03-08 03:00","emergency":false,"off":false,"brightness":80,"playlist":[]}' ] || fail "schedule in the gap: $got"
got=$("$LT" schedule -c "$T/t.ini" --at "２０２６－０３－０８ ０２：３０" --json)
[ "$got" = '{"at":"2026-03-08 03:00","emergency":false,"off":false,"brightness":80,"playlist":[]}' ] || fail "schedule, full-width: $got"

# --- preview --------------------------------------------------------------
still() {   # $1 name, $2 time: the PPM frame preview shows at that time
    "$LT" preview -c "$T/t.ini" $B --at "$2" -o "$T/$1.ppm" 2>"$T/$1.err" || fail "preview $2: exit $? $(cat "$T/$1.err")"
}
still at0300 "2026-03-08 03:00:05"
still at0330 "2026-03-08 03:30:05"
cmp -s "$T/at0300.ppm" "$T/at0330.ppm" && fail "the clock shows the same at 03:00 and 03:30"
still gap "2026-03-08 02:30:05"
cmp -s "$T/gap.ppm" "$T/at0300.ppm" || fail "preview --at 02:30:05 is not the frame at 03:00 (the jump)"
still fullwidth "２０２６－０３－０８　０２：３０：０５"
cmp -s "$T/fullwidth.ppm" "$T/at0300.ppm" || fail "preview with full-width digits differs"

# --- run ------------------------------------------------------------------
# Five clock seconds from the start, replayed through the firmware core: the
# last frame is the one preview shows five seconds after the jump.
run_from() {   # $1 name, $2 --clock-start
    "$LT" run -c "$T/t.ini" $B --output "record:$T/$1.bin" --clock-start "$2" --clock-rate max \
        --seconds 5 2>"$T/$1.err" || fail "run from $2: exit $? $(cat "$T/$1.err")"
    "$SIM" --board hub75-128x32 --raw --snapshot "$T/$1.png" --strict < "$T/$1.bin" || fail "ledsim exit $?"
    "$T/png2ppm" "$T/$1.png" "$T/$1.run.ppm" || fail "png2ppm"
}
run_from rgap "2026-03-08 02:30"
cmp -s "$T/rgap.run.ppm" "$T/at0300.ppm" || fail "run --clock-start 02:30 does not start at the jump (03:00)"
run_from rfull "２０２６－０３－０８ ０２：３０"
cmp -s "$T/rfull.run.ppm" "$T/at0300.ppm" || fail "run --clock-start with full-width digits differs"
exit 0
