#!/bin/sh
# Soak with faults (make bench; issue 14): the soak's 24 clock hours (see
# soak.sh: the example schedule on a Friday at 1 fps, record:/dev/null, the
# testing clock at full speed), twice: once on a healthy disk, once with the
# play log on a 1 MiB tmpfs in a private mount namespace (unshare -m, root)
# that is full from 08:00 to 10:00, read-only from 13:00 to 14:00, and
# whose play log is deleted at 16:00. A watcher follows the clock through
# the state file (rewritten every clock minute). Goals:
#   - the play log ends complete: the faulty run's log files, in order, are
#     the healthy run's play log line for line
#   - RSS at the end within 1 MiB of the healthy run's
#   - no frame deadline missed because of a fault: the longest real time a
#     frame's work took (compose, send, play log, state file; not the turn
#     that builds a reloaded show) fits in a 60 fps period (16.7 ms), or is
#     within twice the healthy run's (on a machine shared by many builds the
#     longest turn is a scheduling stall, hundreds of ms in either run)
#   - each fault logged once at its start and once at its end
. tests/e2e/tools/common.sh    # $BUILD, $LT, scratch $T, TZ=Asia/Shanghai
fail() { echo "soak_faults: FAIL: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (unshare -m, mount)"
DAY=2026-03-06
adapt() {   # adapt LOG OUT: soak.sh's config with the play log at LOG
    sed -e 's/^size = 16$/size = 16\nfps = 1/' -e 's/^speed = 32$/speed = 4/' -e "s|^idle = clock$|idle = clock\nplay_log = $1|" \
        examples/lishi.ini > "$2"
    grep -q '^fps = 1' "$2" && grep -q '^play_log' "$2" || fail "cannot adapt examples/lishi.ini"
}
RUN="run --output record:/dev/null --clock-start $DAY\ 00:00 --clock-rate max --seconds 86400"
soak() {    # soak CONFIG ERR [STATE]
    eval "\"$LT\" -vv $RUN -c \"\$1\" --state-file \"\$3\"" 2>"$2"
}

# The healthy day.
adapt "$T/healthy.log" "$T/healthy.ini"
start=$(date +%s)
soak "$T/healthy.ini" "$T/healthy.err" "$T/healthy.state" || fail "healthy soak: exit $?: $(tail -3 "$T/healthy.err")"
echo "healthy: 24 clock hours in $(( $(date +%s) - start )) s"

# The faulty day, in a private mount namespace (rotated at 08:00 by
# logrotate, with SIGHUP, then full; the deleted file is kept by a hard
# link so that the whole day can be compared).
cat > "$T/inner.sh" <<'SH'
set -u
T=$1 LT=$2 DAY=$3
D="$T/disk"
mkdir -p "$D"
mount -t tmpfs -o size=1m tmpfs "$D" || exit 2
sed "s|^play_log = .*|play_log = $D/play.log|" "$T/healthy.ini" > "$T/faulty.ini"
"$LT" -vv run --output record:/dev/null --clock-start "$DAY 00:00" --clock-rate max --seconds 86400 \
    -c "$T/faulty.ini" --state-file "$T/faulty.state" 2>"$T/faulty.err" &
pid=$!
clock() { sed -n 's/^updated: [0-9-]* \([0-9][0-9]\):\([0-9][0-9]\).*/\1\2/p' "$T/faulty.state" 2>/dev/null; }
until_clock() {     # until the ticker's clock reaches HHMM
    while kill -0 $pid 2>/dev/null; do
        c=$(clock); [ -n "$c" ] && [ "$c" -ge "$1" ] && return 0
        sleep 0.02
    done
    echo "the run ended before $1" >&2; exit 3
}
# logrotate moves the log away (SIGHUP, as its postrotate does), then the
# disk fills: the next line needs a new page (a full disk still takes
# lines into the last page it gave a file, up to 4 KiB).
until_clock 0800; mv "$D/play.log" "$D/rotated.log"; kill -HUP $pid
dd if=/dev/zero of="$D/fill" bs=64k 2>/dev/null; echo "rotated and full at $(clock)"
until_clock 1000; rm "$D/fill"; echo "space again at $(clock)"
until_clock 1300
n=0; until mount -o remount,ro "$D" 2>/dev/null; do n=$((n + 1)); [ $n -lt 200 ] || exit 4; sleep 0.01; done
echo "read-only at $(clock)"
until_clock 1400; mount -o remount,rw "$D" || exit 5; echo "read-write at $(clock)"
until_clock 1600; ln "$D/play.log" "$D/deleted.log" && rm "$D/play.log"; echo "play log deleted at $(clock)"
wait $pid || { echo "faulty soak: exit $?" >&2; exit 6; }
cat "$D/rotated.log" "$D/deleted.log" "$D/play.log" > "$T/faulty.log"
SH
start=$(date +%s)
unshare -m sh "$T/inner.sh" "$T" "$LT" "$DAY" || fail "faulty soak: $(grep -v 'pass done\|debug: rss' "$T/faulty.err" | tail -5)"
echo "faulty: 24 clock hours in $(( $(date +%s) - start )) s"

# Each fault once at its start and once at its end.
grep -E ': (warning|error|notice): ' "$T/faulty.err" | grep -v 'has expired' > "$T/faults"
sed 's/^/  /' "$T/faults"
[ "$(wc -l < "$T/faults")" -eq 5 ] || fail "expected 5 fault lines (full: 2, read-only: 2, deleted: 1)"
# The ro fault may show as EROFS, or the full disk's ENOSPC if the remount
# came while lines still waited; either way one line each.
[ "$(grep -c 'passes are kept in memory' "$T/faults")" -eq 2 ] || fail "not two fault starts"
[ "$(grep -c 'written again; [0-9]* lines recovered, none lost' "$T/faults")" -eq 2 ] || fail "not two recoveries"

# The play log is complete.
cmp -s "$T/healthy.log" "$T/faulty.log" || { diff "$T/healthy.log" "$T/faulty.log" | head; fail "the play log differs from the healthy day's"; }
echo "play log: $(wc -l < "$T/faulty.log") passes, the healthy day's line for line (goal: complete)"

# Memory and frame time.
figures() { sed -n 's/.*stopped after \([0-9]*\) frames (\([0-9]*\) dropped.*, \([0-9]*\) KiB at the end; longest frame \([0-9.]*\) ms.*/\1 \2 \3 \4/p' "$1"; }
set -- $(figures "$T/healthy.err") $(figures "$T/faulty.err")
[ $# -eq 8 ] || fail "no summary lines"
echo "frames: healthy $1 ($2 dropped), faulty $5 ($6 dropped) (goal: the same)"
[ "$1" = "$5" ] && [ "$6" = 0 ] || fail "frames differ"
echo "RSS at the end: healthy $3 KiB, faulty $7 KiB, difference $(( $7 - $3 )) KiB (goal: within 1024 KiB)"
[ $(( $7 - $3 )) -le 1024 ] && [ $(( $3 - $7 )) -le 1024 ] || fail "RSS differs by more than 1 MiB"
echo "longest frame: healthy $4 ms, faulty $8 ms (goal: under 16.7 ms, a 60 fps period, or within 2x healthy)"
awk -v h="$4" -v f="$8" 'BEGIN { exit !(f < 16.7 || f <= 2 * h) }' || fail "a frame took $8 ms with faults"
