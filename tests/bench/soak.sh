#!/bin/sh
# Soak (make bench, not make test): 24 clock hours of the example schedule
# on a Friday (weekday notices, evening notice across midnight, off hours,
# idle), through `ledticker run` on record:/dev/null with the testing clock
# at full speed. Shows: exit 0 and no error or warning, resident memory at
# the first frame and at the end (no growth), and a play log whose passes
# all belong to the playlist in force when they started, with every
# scheduled message played and no unscheduled one.
# The soak runs the config at 1 fps and 4 px/s (4 px a frame, as 60 fps at
# 240 px/s): a day at 60 fps is 5 million frames, about 15 minutes of CPU
# with today's encoder; memory and the schedule do not depend on the rate.
. tests/e2e/tools/common.sh    # $BUILD, $LT, scratch $T, TZ=Asia/Shanghai
fail() { echo "soak: FAIL: $*"; exit 1; }
DAY=2026-03-06
sed "s|@PLAY_LOG@|$T/play.log|" tests/bench/soak.ini > "$T/soak.ini"
start=$(date +%s)
"$LT" -vv run -c "$T/soak.ini" --output record:/dev/null --clock-start "$DAY 00:00" \
    --clock-rate max --seconds 86400 2>"$T/err" || fail "exit $?: $(tail -3 "$T/err")"
end=$(date +%s)
grep -E 'error|warning' "$T/err" && fail "errors or warnings in a day's run"
rss=$(sed -n 's/.*RSS \([0-9]*\) KiB after the first frame, \([0-9]*\) KiB at the end.*/\1 \2/p' "$T/err")
set -- $rss
echo "24 clock hours in $((end - start)) s; RSS $1 KiB after the first frame, $2 KiB at the end (goal: no growth)"
[ "$2" -le $(( $1 + 1024 )) ] || fail "RSS grew from $1 to $2 KiB"
# Hourly: after the first hours have rendered every clock digit and notice,
# memory stays flat to the end of the day.
hourly=$(sed -n 's/.*debug: rss \([0-9]*\) KiB$/\1/p' "$T/err" | tr '\n' ' ')
echo "RSS each clock hour (KiB): $hourly"
set -- $hourly
[ $# -ge 15 ] || fail "no hourly RSS lines"
h2=$2; shift $(( $# - 1 )); h24=$1
growth=$(( h24 - h2 ))
echo "RSS growth from hour 2 to hour 24: $growth KiB   (goal <= 1024 KiB)"
[ "$growth" -le 1024 ] || fail "RSS grew by $growth KiB after hour 2 (from $h2 to $h24 KiB)"

# The schedule's playlists over the day, then each pass against them. The
# off hours play nothing (idle for this purpose); the night note is dropped.
plan() {
    "$LT" schedule -c "$T/soak.ini" --from "$1" --to "$2" |
        sed -e 's/  (night: brightness [0-9]*%)$//' -e 's/  off (standby until [0-9:]*)$/  idle (clock)/'
}
plan "$DAY 00:00" "$DAY 23:59" > "$T/plan"
plan "$(date -d "$DAY -1 day" +%F) 23:59" "$DAY 00:00" | tail -1 > "$T/before"
awk -v before="$(cat "$T/before")" '
    FNR == NR { t[n] = $1 " " $2; pl[n] = ""; for (i = 3; i <= NF; i++) pl[n] = pl[n] " " $i " "; n++; next }
    {
        when = $1; sub(/T/, " ", when); sub(/\+.*/, "", when)
        k = -1
        for (i = 0; i < n; i++) if (t[i] <= when) k = i
        ok = k >= 0 ? index(pl[k], " " $2 " ") : index(" " before " ", " " $2 " ")
        if (!ok) { print "pass of " $2 " at " when " outside its playlist"; bad++ }
        count[$2]++
    }
    END {
        for (i = 0; i < n; i++) { m = split(pl[i], ids, " "); for (j = 1; j <= m; j++) if (ids[j] != "(clock)" && ids[j] != "idle") want[ids[j]] = 1 }
        for (id in want) if (!count[id]) { print "scheduled " id " never played"; bad++ }
        for (id in count) printf "  %-22s %5d passes\n", id, count[id]
        exit bad > 0
    }' "$T/plan" "$T/play.log" || fail "the play log does not match the schedule"
echo "play log: $(wc -l < "$T/play.log") passes, every one inside its playlist"
