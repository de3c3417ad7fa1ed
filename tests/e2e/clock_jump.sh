#!/bin/sh
# A step of the wall clock (NTP, a clock set by hand) mid-run, injected
# with the testing clock's --clock-jump. It must show: the frame at the
# step already shows what the schedule says at the new wall time (the
# recorded stream, replayed, ends on the frame `ledticker preview` shows
# then), an emergency starts or ends in that very frame, the frames go on
# on the same monotonic grid (no burst of catch-up frames), the scroll goes
# on from the new time at its speed, and one warning line is logged.
. tests/e2e/tools/common.sh
WH="$BUILD/tests/tools/wirehash"
for x in "$SIM" "$WH"; do
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
[message news]
headline = 区委办：真情帮扶助秋收 田间地头践初心
summary = 区委办干部职工到田间地头帮助群众抢收玉米。
color = #00FF00
days = mon-fri
hours = 08:00-18:00
[message alarm]
headline = 紧急通知：请配合疫情防控检查
color = #FF0000
emergency = yes
from = 2026-03-02 10:00
until = 2026-03-02 10:01
INI

# jumped NAME START JUMP SECONDS AT: runs from START with --clock-jump JUMP
# for SECONDS clock seconds, and checks that the last frame, replayed, is
# the frame preview shows at AT (the wall time after the step).
jumped() {
    "$LT" -v run -c "$T/t.ini" $B --output "record:$T/$1.bin" --clock-start "$2" --clock-jump "$3" \
        --clock-rate max --seconds "$4" 2>"$T/$1.err" || fail "$1: run exit $? $(cat "$T/$1.err")"
    "$SIM" $B --raw --snapshot "$T/$1.sim.png" --strict < "$T/$1.bin" || fail "$1: ledsim exit $?"
    "$LT" preview -c "$T/t.ini" $B --at "$5" -o "$T/$1.prev.png" || fail "$1: preview exit $?"
    "$T/png2ppm" "$T/$1.sim.png" "$T/$1.sim.ppm" && "$T/png2ppm" "$T/$1.prev.png" "$T/$1.prev.ppm" \
        || fail "$1: png2ppm"
    cmp -s "$T/$1.sim.ppm" "$T/$1.prev.ppm" || fail "$1: the frame after the jump differs from preview at $5"
    [ "$(grep -c 'warning: the wall clock jumped by' "$T/$1.err")" = 1 ] \
        || fail "$1: expected one warning line: $(cat "$T/$1.err")"
    # 60 fps on one grid from clock time 0: SECONDS * 60 + 1 frames (the last
    # at exactly SECONDS), their PRESENT times 16 or 17 ms apart, none extra.
    "$WH" $B "$T/$1.bin" > "$T/$1.hash" || fail "$1: wirehash"
    awk -v want="$(($4 * 60 + 1))" -v who="$1" '
        $1 != "present" { next }
        n++ && ($3 - last < 16 || $3 - last > 17) { print who ": PRESENT " $3 " ms after " last " ms"; bad = 1 }
        { last = $3 }
        END { if (n != want) { print who ": " n " frames, not " want; bad = 1 } exit bad }' "$T/$1.hash" \
        || fail "$1: frames off the 60 fps grid"
}

# 1. Forward by half an hour at clock second 5, into the emergency: the
#    frame at the step is preview's at 10:00:05, red, and so is the one a
#    second later (the scroll went on from there at its speed).
jumped fwd "2026-03-02 09:30:00" 5:1800 5 "2026-03-02 10:00:05"
grep -q "jumped by +1800.0 s" "$T/fwd.err" || fail "the warning does not say the step: $(cat "$T/fwd.err")"
[ "$(count_rgb "$T/fwd.sim.ppm" "ff 00 00")" -gt 0 ] || fail "the emergency does not show in the frame of the jump"
[ "$(count_rgb "$T/fwd.sim.ppm" "00 ff 00")" = 0 ] || fail "the news still shows in the frame of the jump"
jumped fwd1 "2026-03-02 09:30:00" 5:1800 6 "2026-03-02 10:00:06"
grep -q "emergency: pre-empting" "$T/fwd1.err" || fail "no log line for the emergency"

# 2. Back by half an hour during the emergency: out of it in that frame.
jumped back "2026-03-02 10:00:20" 5:-1800 5 "2026-03-02 09:30:25"
grep -q "jumped by -1800.0 s" "$T/back.err" || fail "the warning does not say the step: $(cat "$T/back.err")"
[ "$(count_rgb "$T/back.sim.ppm" "ff 00 00")" = 0 ] || fail "the emergency still shows after the clock went back"
jumped back1 "2026-03-02 10:00:20" 5:-1800 7 "2026-03-02 09:30:27"
[ "$(count_rgb "$T/back1.sim.ppm" "00 ff 00")" -gt 0 ] || fail "the news does not play after the clock went back"

# 3. A small step (forward 3 s at 2 s) mid-scroll: the text is where the
#    new time puts it, not where the old one would have.
jumped small "2026-03-02 09:30:00" 2:3 4 "2026-03-02 09:30:07"

# 4. Proof of play: a pass cut off by the step, or under way at the new
#    time, was not on screen whole and is not logged; whole ones are.
sed "s|^speed = 48|speed = 48\nplay_log = $T/play.log|" "$T/t.ini" > "$T/p.ini"
"$LT" run -c "$T/p.ini" $B --output "record:$T/p.bin" --clock-start "2026-03-02 09:30:00" \
    --clock-jump 5:1800 --clock-rate max --seconds 40 2>/dev/null || fail "play log run exit $?"
awk '
    function secs(t,  p) { sub(/T/, " ", t); sub(/\+.*/, "", t); split(t, p, /[- :]/); return p[4] * 3600 + p[5] * 60 + p[6] }
    { s = secs($1); e = s + $3; n++
      # stepped at 09:30:05 (34205 s) to 10:00:05 (36005 s)
      if (s < 36005 && e > 34205) { print "logged across the step: " $0; bad = 1 } }
    END { if (n < 3) { print n " passes logged after the step"; bad = 1 } exit bad }' "$T/play.log" \
    || fail "play log across the step: $(cat "$T/play.log")"

# 5. Usage: a jump needs a number, a colon and a non-zero step.
for bad in 5 5:0 x:1 5:1s; do
    "$LT" run -c "$T/t.ini" $B --output "record:$T/u.bin" --clock-jump "$bad" --seconds 1 2>/dev/null
    [ $? = 2 ] || fail "--clock-jump '$bad' is not refused as usage"
done
echo "clock jump: ok"
