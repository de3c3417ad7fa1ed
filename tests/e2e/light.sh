#!/bin/sh
# Light on the wire: the ticker on the record: output (a controller that
# applies gamma and brightness, as the firmware's GET_INFO says) with the
# testing clock; the stream is decoded with the firmware's decoder
# (tests/tools/wirecmds). It must show:
#   - BRIGHTNESS `brightness` (80 % = 204) before the first frame by day,
#     `brightness_night` (20 % = 51) before the first frame of the night
#     window at 22:00, and 204 again before the first frame at 06:00;
#   - a run started in the night window begins at 51;
#   - the off hours' wake-up (STANDBY 0 at 05:00, still in the night window)
#     is followed by BRIGHTNESS 51 before the first frame;
#   - the pixels reach the controller as composed (#808080 stays 0x80 on the
#     replayed panel): the host does not apply gamma a second time.
# STANDBY 1/0 at the start and end of the off hours is tested in run.sh.
. tests/e2e/tools/common.sh
WC="$BUILD/tests/tools/wirecmds"
for x in "$SIM" "$WC"; do
    [ -x "$x" ] || { echo "no $x (make e2e builds it)" >&2; exit 77; }
done
build_png2ppm
B="--board hub75-256x32"

cat > "$T/t.ini" <<INI
[display]
board = hub75-256x32
size = 16
rows = 1
speed = 48
brightness = 80
brightness_night = 20
night = 22:00-06:00
off = 02:00-05:00
on_stop = standby
[message news]
headline = 区委办：真情帮扶助秋收 田间地头践初心
color = #808080
INI

# cmds NAME START SECONDS: the light commands and frames of a run.
cmds() {
    "$LT" run -c "$T/t.ini" $B --output "record:$T/$1.bin" --clock-start "$2" \
        --clock-rate max --seconds "$3" 2>"$T/$1.err" || fail "$1: run exit $? $(cat "$T/$1.err")"
    "$WC" "$T/$1.bin" > "$T/$1.cmds" || fail "$1: wirecmds"
    ! grep -q '^bad' "$T/$1.cmds" || fail "$1: the stream has broken frames"
}
# The light commands, each with the clock ms of the frame that follows it:
# "brightness 204 @0", "standby 0 @2000".
light() {
    awk '$1 == "present" { for (i = 0; i < n; i++) print cmd[i] " @" $3; n = 0; next }
         { cmd[n++] = $1 " " $2 }
         END { for (i = 0; i < n; i++) print cmd[i] " @end" }' "$T/$1.cmds" | tr '\n' ' ' | sed 's/ $//'
}
expect() {
    got=$(light "$1")
    [ "$got" = "$2" ] || fail "$1: light commands '$got', expected '$2'"
}

# Evening into the night window; morning out of it. The run ends in
# STANDBY (on_stop).
cmds evening "2026-03-02 21:59:58" 4
expect evening "brightness 204 @0 brightness 51 @2000 standby 1 @end"
cmds morning "2026-03-03 05:59:58" 4
expect morning "brightness 51 @0 brightness 204 @2000 standby 1 @end"
# Started at night: dim from the first frame, and no more commands.
cmds night "2026-03-02 23:30:00" 3
expect night "brightness 51 @0 standby 1 @end"
# Woken from the off hours at 05:00, inside the night window: dim.
cmds wake "2026-03-03 04:59:58" 4
expect wake "standby 1 @2000 standby 0 @2000 brightness 51 @2000 standby 1 @end"

# The pixels are not gamma-mapped by the host: the panel replayed from
# the stream holds the config's #808080 (fully covered glyph pixels).
"$SIM" $B --raw --snapshot "$T/night.png" --strict < "$T/night.bin" || fail "ledsim exit $?"
"$T/png2ppm" "$T/night.png" "$T/night.ppm" || fail png2ppm
max=$(tail -c +"$(( $(sed -n '1,3p' "$T/night.ppm" | wc -c) + 1 ))" "$T/night.ppm" | od -An -v -tu1 -w1 | sort -n | tail -1 | tr -d ' ')
[ "$max" = 128 ] || fail "the brightest channel on the panel is $max, not 128 (#808080 as composed)"
echo "light: ok"
