#!/bin/sh
# A full and a read-only disk under the play log, and the log moved away,
# while `ledticker run` plays (issue 14). The play log lives on a small
# tmpfs in a private mount namespace (unshare -m, as root: CI is root);
# the recording (record:) is on the healthy disk and shows that frames keep
# flowing at the frame rate through every fault.
#   1. fill the tmpfs: one error; lines wait in memory; `status` names it
#   2. free it: one notice, "N lines recovered"; every pass is in the log
#   3. remount it read-only (the config is on it too, and still reloads on
#      SIGHUP), then read-write: one error, one notice
#   4. move the play log away (no SIGHUP): one warning, a new file
# Then: every pass the run reported is in the log files, in order.
. tests/e2e/tools/common.sh
. tests/e2e/tools/faults.sh
[ "$(id -u)" -eq 0 ] || { echo "needs root for unshare -m and mount (CI runs as root)" >&2; exit 77; }
cp -R boards "$T/boards"
D="$T/disk"
mkdir -p "$D"
cat > "$T/inner.sh" <<'SH'
set -u
. tests/e2e/tools/common.sh
T=$1 D=$2
trap - EXIT
. tests/e2e/tools/faults.sh
mount -t tmpfs -o size=256k,mode=0755 tmpfs "$D" || fail "cannot mount a tmpfs"
faults_config "$D/t.ini" "$D/play.log"
"$LT" -vv run -c "$D/t.ini" --boards-dir "$T/boards" --output "record:$T/rec" \
    --clock-start "2026-03-02 09:00" --clock-rate 5 --seconds 900 \
    --state-file "$T/state" 2>"$T/err" &
pid=$!
wait_for "$D/play.log" "$ID2" 20

# 1. Full.
dd if=/dev/zero of="$D/fill" bs=4k 2>/dev/null
wait_for "$T/err" "play log $D/play.log: No space left on device; passes are kept in memory" 60
wait_for "$T/state" "fault: play log $D/play.log: No space left on device" 5
"$LT" status --state-file "$T/state" > "$T/status.full"
[ $? -eq 4 ] || fail "status during the fault: exit not 4: $(cat "$T/status.full")"
grep -q "playing: $ID1, $ID2" "$T/status.full" || fail "status: what plays: $(cat "$T/status.full")"
sleep 3                                     # a few passes wait in memory
# 2. Space again.
rm "$D/fill"
wait_for "$T/err" "play log $D/play.log: written again; [1-9][0-9]* lines recovered, none lost" 10
wait_for "$T/state" "fault: none" 5
"$LT" status --state-file "$T/state" > "$T/status.ok" || fail "status after the fault: exit $?"

# 3. Read-only, then read-write. A file open for writing makes remount
#    refuse (EBUSY): the log is open only while a line is written.
n=0
until mount -o remount,ro "$D" 2>/dev/null; do
    n=$((n + 1)); [ $n -lt 50 ] || fail "cannot remount read-only"; sleep 0.05
done
wait_for "$T/err" "play log $D/play.log: Read-only file system; passes are kept in memory" 60
kill -HUP $pid                              # reading works: the config reloads
wait_for "$T/err" "reloaded $D/t.ini" 10
sleep 2
mount -o remount,rw "$D" || fail "cannot remount read-write"
wait_count "$T/err" "play log $D/play.log: written again; [1-9][0-9]* lines recovered, none lost" 2 10

# 4. Moved away without SIGHUP.
mv "$D/play.log" "$D/play.log.old"
wait_for "$T/err" "play log $D/play.log: the file was deleted or moved away" 20
wait_for "$D/play.log" "$ID1" 20

kill -TERM $pid
wait $pid || fail "run exit $?: $(fault_lines "$T/err")"
cp "$D/play.log.old" "$T/log.1" && cp "$D/play.log" "$T/log.2" || fail "cannot copy the logs"
SH
unshare -m sh "$T/inner.sh" "$T" "$D" || { grep -v "pass done" "$T/err" | tail -20; exit 1; }

# Exactly one line at the start and one at the end of each fault.
fault_lines "$T/err" > "$T/faults"
cat "$T/faults"
[ "$(wc -l < "$T/faults")" -eq 5 ] || fail "expected 5 fault lines (2 starts, 2 ends, 1 moved), got $(wc -l < "$T/faults")"
grep -q "error: play log .*: No space left on device; passes are kept" "$T/faults" || fail "no ENOSPC line"
grep -q "error: play log .*: Read-only file system; passes are kept" "$T/faults" || fail "no EROFS line"
[ "$(grep -c 'notice: play log .*: written again; [0-9]* lines recovered, none lost' "$T/faults")" -eq 2 ] \
    || fail "not two 'written again' notices"
grep -q "warning: play log .*: the file was deleted or moved away" "$T/faults" || fail "no 'moved away' line"
check_passes "$T/err" "$T/log.1" "$T/log.2"
check_frames "$T/rec" 1 5
