#!/bin/sh
# ledticker run end to end, on the record: output with the testing clock.
# The recorded wire bytes are replayed through the firmware core (ledsim)
# and compared, pixel for pixel, with `ledticker preview` at the same clock
# time: what the panel shows depends on the config and the time only.
. tests/e2e/tools/common.sh
# The project's own board files (hub75-256x32: four 64x32 HUB75 panels).
cp -R boards "$T/boards"
[ -x "$SIM" ] || { echo "no $SIM" >&2; exit 77; }
build_png2ppm
B="--boards-dir $T/boards"


cat > "$T/t.ini" <<INI
[display]
board = hub75-256x32
size = 16
rows = 1
speed = 48
off = 02:00-05:00
play_log = $T/play.log
[message news]
headline = 区委办：真情帮扶助秋收 田间地头践初心
summary = 区委办干部职工到田间地头帮助群众抢收玉米。
color = #00FF00
days = mon-fri
hours = 08:00-18:00
[message pension]
headline = 离石区多措并举提升城乡居民养老保险经办服务
color = #FFFF00
days = mon-fri
hours = 09:00-18:00
[message alarm]
headline = 紧急通知：请配合疫情防控检查
color = #FF0000
emergency = yes
from = 2026-03-02 10:00
until = 2026-03-02 10:01
INI

# Runs the ticker into record:$1.bin from $2 for $3 clock seconds at rate $4,
# replays it through ledsim, and checks its last frame against preview at $5.
run_and_compare() {
    "$LT" -v run -c "$T/t.ini" $B --output "record:$T/$1.bin" --clock-start "$2" \
        --clock-rate "$4" --seconds "$3" 2>"$T/$1.err" || fail "$1: run exit $? $(cat "$T/$1.err")"
    "$SIM" --board hub75-256x32 --raw --snapshot "$T/$1.sim.png" --strict < "$T/$1.bin" \
        || fail "$1: ledsim exit $?"
    "$LT" preview -c "$T/t.ini" $B --at "$5" -o "$T/$1.prev.png" || fail "$1: preview exit $?"
    "$T/png2ppm" "$T/$1.sim.png" "$T/$1.sim.ppm" && "$T/png2ppm" "$T/$1.prev.png" "$T/$1.prev.ppm" \
        || fail "$1: png2ppm"
    cmp -s "$T/$1.sim.ppm" "$T/$1.prev.ppm" || fail "$1: the replayed frame differs from preview at $5"
}

# 1. The recorded stream, replayed, ends on the frame preview shows.
run_and_compare a "2026-03-02 09:30:00" 20 max "2026-03-02 09:30:20"
[ "$(count_rgb "$T/a.sim.ppm" "00 ff 00")" -gt 0 ] || [ "$(count_rgb "$T/a.sim.ppm" "ff ff 00")" -gt 0 ] \
    || fail "nothing scrolling at 09:30:20"

# 2. The same with frames dropped: at 1000x real time the loop would need
#    60,000 frames a second, far more than it can do, so it drops frames;
#    the scroll position still follows the clock, not the frame count.
run_and_compare b "2026-03-02 09:30:00" 20 1000 "2026-03-02 09:30:20"
stats=$(grep "stopped after" "$T/b.err") || fail "no frame statistics: $(cat "$T/b.err")"
frames=$(echo "$stats" | sed -n 's/.*stopped after \([0-9]*\) frames.*/\1/p')
dropped=$(echo "$stats" | sed -n 's/.*(\([0-9]*\) dropped.*/\1/p')
[ -n "$frames" ] && [ -n "$dropped" ] || fail "cannot read the frame statistics: $stats"
[ "$dropped" -gt 0 ] || fail "no frame dropped at 1000x: $stats"
[ "$frames" -gt 0 ] || fail "no frame shown at 1000x: $stats"
echo "at 1000x: $frames frames shown, $dropped dropped"

# 3. Two runs started at different times show the same frame at the same time.
run_and_compare c "2026-03-02 09:31:00" 19 max "2026-03-02 09:31:19"
run_and_compare d "2026-03-02 09:30:30" 49 max "2026-03-02 09:31:19"
cmp -s "$T/c.sim.ppm" "$T/d.sim.ppm" || fail "runs started at 09:31:00 and 09:30:30 differ at 09:31:19"

# 4. An emergency interrupts within a frame, and the news comes back after.
run_and_compare e "2026-03-02 09:59:50" 10 max "2026-03-02 10:00:00"
run_and_compare f "2026-03-02 09:59:50" 11 max "2026-03-02 10:00:01"
[ "$(count_rgb "$T/f.sim.ppm" "00 ff 00")" = 0 ] && [ "$(count_rgb "$T/f.sim.ppm" "ff ff 00")" = 0 ] \
    || fail "the playlist still shows 1 s into the emergency"
[ "$(count_rgb "$T/f.sim.ppm" "ff 00 00")" -gt 0 ] || fail "the emergency does not show"
run_and_compare g "2026-03-02 09:59:50" 190 max "2026-03-02 10:03:00"
[ "$(count_rgb "$T/g.sim.ppm" "ff 00 00")" = 0 ] || fail "the emergency outlived its window"
grep -q "emergency: pre-empting" "$T/g.err" || fail "no log line for the emergency"
grep -q "emergency over" "$T/g.err" || fail "no log line for the end of the emergency"

# 5. The play log: one line per completed pass, IDs of the schedule, and
#    the emergency pass that ran (and the passes before and after it).
[ -s "$T/play.log" ] || fail "no play log"
bad=$(grep -cvE '^2026-03-02T[0-9:]{8}\+08:00 (news|pension|alarm) [0-9]+\.[0-9]{3}$' "$T/play.log")
[ "$bad" = 0 ] || fail "malformed play log lines: $(grep -vE '^2026' "$T/play.log" | head -3)"
grep -q " alarm " "$T/play.log" || fail "the emergency's pass is not in the play log"
grep -q "^2026-03-02T10:0[1-2]:[0-9:]*+08:00 news " "$T/play.log" \
    || grep -q "^2026-03-02T10:0[1-2]:[0-9:]*+08:00 pension " "$T/play.log" || fail "no pass after the emergency"
# The pass the emergency interrupted resumed where it was: it was still
# under way when the emergency's last pass ended (a restarted pass would
# start at or after that moment).
awk '
    function secs(t,  p) { sub(/T/, " ", t); sub(/\+.*/, "", t); split(t, p, /[- :]/); return p[4] * 3600 + p[5] * 60 + p[6] }
    $2 == "alarm" { e = secs($1) + $3; if (e > alarm_end) alarm_end = e; next }
    { start[NR] = secs($1); dur[NR] = $3 }
    END { for (i in start) if (start[i] < alarm_end && start[i] + dur[i] > alarm_end) ok = 1
          if (!ok) print "no pass resumed across the end of the emergency at " alarm_end; exit !ok }' \
    "$T/play.log" || fail "the interrupted pass did not resume: $(cat "$T/play.log")"
echo "play log: $(wc -l < "$T/play.log") passes"

# 6. Nothing active: the idle clock shows.
run_and_compare i "2026-03-02 19:59:58" 4 max "2026-03-02 20:00:02"
[ "$(pixels "$T/i.sim.ppm" | grep -vc '^ 00 00 00$')" -gt 20 ] || fail "no idle content"

# 6b. The off hours put the controller in STANDBY (dark) on the wire, and
#     wake it after.
"$LT" run -c "$T/t.ini" $B --output "record:$T/off.bin" --clock-start "2026-03-02 01:59:58" \
    --clock-rate max --seconds 4 || fail "off run exit $?"
od -An -tx1 -v "$T/off.bin" | tr -s ' \n' ' ' > "$T/off.hex"
# One STANDBY at 02:00, one more when the run ends (on_stop = standby).
n=$(grep -Eo '4c ed 06 00 [0-9a-f]{2} [0-9a-f]{2} 01 00 ([0-9a-f]{2} ){4}01' "$T/off.hex" | wc -l)
[ "$n" -ge 2 ] || fail "no STANDBY at 02:00 ($n dark STANDBY commands)"
"$LT" run -c "$T/t.ini" $B --output "record:$T/on.bin" --clock-start "2026-03-02 04:59:58" \
    --clock-rate max --seconds 4 || fail "on run exit $?"
od -An -tx1 -v "$T/on.bin" | tr -s ' \n' ' ' > "$T/on.hex"
grep -Eq '4c ed 06 00 [0-9a-f]{2} [0-9a-f]{2} 01 00 ([0-9a-f]{2} ){4}00' "$T/on.hex" \
    || fail "no wake-up (STANDBY 0) at 05:00"

# 7. SIGHUP mid-run: a good config is reloaded and the pass under way
#    finishes (its play log line spans the reload, as long as any other);
#    a broken one is refused with its line, and the ticker goes on; SIGTERM
#    stops it cleanly (exit 0) and leaves the panel in STANDBY.
sed "s|^play_log = .*|play_log = $T/live.log|" "$T/t.ini" > "$T/live.ini"
"$LT" -v run -c "$T/live.ini" $B --output "record:$T/live.bin" --clock-start "2026-03-02 09:30:00" \
    --clock-rate 10 2>"$T/live.err" &
pid=$!
sleep 2
sed -i 's/#00FF00/#00FFFF/' "$T/live.ini"
kill -HUP $pid
sleep 2
printf '[message broken]\nheadline = x\ncolor = notacolour\n' >> "$T/live.ini"
kill -HUP $pid
sleep 3
kill -TERM $pid
wait $pid || fail "SIGTERM did not stop cleanly (exit $?)"
grep -q "reloaded" "$T/live.err" || fail "no reload: $(cat "$T/live.err")"
grep -q "live.ini:$(wc -l < "$T/live.ini"): error: color 'notacolour'" "$T/live.err" \
    || fail "broken reload not reported by line: $(cat "$T/live.err")"
grep -q "reload refused; the last good config keeps playing" "$T/live.err" || fail "no refusal"
"$SIM" --board hub75-256x32 --strict < "$T/live.bin" >/dev/null || fail "live stream has errors"
at=$(sed -n 's/.*reloaded .* at \([0-9-]* [0-9:]*\);.*/\1/p' "$T/live.err" | head -1)
[ -n "$at" ] || fail "no reload time logged"
# Passes of one message all last the same (no holds, same strip): a pass
# cut or restarted by the reload would stand out. One of them spans it.
awk -v at="$at" '
    { when = $1; sub(/T/, " ", when); sub(/\+.*/, "", when)
      if (!($2 in d)) d[$2] = $3; else if (d[$2] != $3) { print "pass of " $2 " lasted " $3 " not " d[$2]; bad = 1 }
      split(when, p, /[- :]/); split(at, q, /[- :]/)
      s = p[4] * 3600 + p[5] * 60 + p[6]; r = q[4] * 3600 + q[5] * 60 + q[6]
      if (s <= r && s + $3 >= r) spans = 1 }
    END { if (!spans) print "no pass spans the reload at " at; exit bad || !spans }' "$T/live.log" \
    || fail "the reload cut a pass: $(cat "$T/live.log")"
# The last command on the wire: STANDBY (opcode 6) with payload 1 (dark).
tail -c 13 "$T/live.bin" | od -An -tx1 | grep -q '^ 4c ed 06 ' || fail "the stream does not end in STANDBY"
[ "$(tail -c 1 "$T/live.bin" | od -An -tu1 | tr -d ' ')" = 1 ] || fail "STANDBY is not dark"
# 8. An editor saving the file (write a new one, rename it over) reloads it
#    without any signal.
cp "$T/t.ini" "$T/ed.ini"
"$LT" -v run -c "$T/ed.ini" $B --output "record:$T/ed.bin" --clock-start "2026-03-02 09:30:00" \
    --clock-rate 10 2>"$T/ed.err" &
pid=$!
sleep 1
sed 's/#FFFF00/#FF8000/' "$T/ed.ini" > "$T/ed.ini.new" && mv "$T/ed.ini.new" "$T/ed.ini"
sleep 2
kill -TERM $pid
wait $pid || fail "SIGTERM did not stop cleanly (exit $?)"
grep -q "reloaded .*ed.ini" "$T/ed.err" || fail "a saved file was not reloaded: $(cat "$T/ed.err")"
echo "run: ok"
