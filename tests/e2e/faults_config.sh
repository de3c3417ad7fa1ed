#!/bin/sh
# The config deleted while the ticker runs (issue 14): the last good one
# keeps playing, one warning says so, `status` lists the fault; when the
# file comes back (a restore) it is read again, with one notice. An
# editor's save (write a new file, rename it over) is no fault at all.
# Frames keep flowing at the frame rate throughout (from the recording).
. tests/e2e/tools/common.sh
. tests/e2e/tools/faults.sh
cp -R boards "$T/boards"
mkdir -p "$T/cfg"
faults_config "$T/cfg/t.ini" "$T/play.log"
cp "$T/cfg/t.ini" "$T/saved.ini"
"$LT" -v run -c "$T/cfg/t.ini" --boards-dir "$T/boards" --output "record:$T/rec" \
    --clock-start "2026-03-02 09:00" --clock-rate 5 --seconds 100 --state-file "$T/state" 2>"$T/err" &
pid=$!
wait_for "$T/play.log" "$ID2" 20

rm "$T/cfg/t.ini"
wait_for "$T/err" "$T/cfg/t.ini: warning: the config is gone (deleted or moved away); still playing the last good one (generation 1)" 10
wait_for "$T/state" "fault: config $T/cfg/t.ini: gone" 10
"$LT" status --state-file "$T/state" > "$T/status"
[ $? -eq 4 ] || fail "status while the config is gone: exit not 4: $(cat "$T/status")"
n=$(wc -l < "$T/play.log")
wait_count "$T/play.log" . $((n + 3)) 20          # the last good one plays on
cp "$T/saved.ini" "$T/cfg/t.ini"
wait_for "$T/err" "$T/cfg/t.ini: notice: the config is back; reading it" 10
wait_for "$T/err" "config reloaded (generation 2)" 10
wait_for "$T/state" "fault: none" 10

# An editor's save: a new file renamed over the old one.
sed 's/^headline = 东街施工$/headline = 东街施工（已延期）/' "$T/saved.ini" > "$T/cfg/.t.ini.swp"
mv "$T/cfg/.t.ini.swp" "$T/cfg/t.ini"
wait_for "$T/err" "config reloaded (generation 3)" 10

wait $pid || fail "run exit $?: $(fault_lines "$T/err")"
fault_lines "$T/err" > "$T/faults"
cat "$T/faults"
[ "$(wc -l < "$T/faults")" -eq 2 ] || fail "expected one line at the start and one at the end"
m=$(wc -l < "$T/play.log")
[ "$m" -gt "$((n + 3))" ] || fail "passes stopped"
# Both reloads (the restore and the editor's save) are built off the
# frame loop: no gap is exempt.
check_frames "$T/rec" 1 5
