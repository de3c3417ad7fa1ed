#!/bin/sh
# Placeholders in message text, end to end: {date}, {weekday}, {lunar} (the
# lunar date, on a solar term's day too) and {countdown:YYYY-MM-DD} show on the panel
# exactly as the same text typed out for that day would; a countdown's
# message expires at the end of its day, and `schedule --at` knows; a text
# in braces that looks like a misspelt placeholder passes `check` with a
# "did you mean" on its line, and a countdown without a date is an error;
# and across midnight `run` (recorded, replayed through the firmware core)
# still shows what `preview` shows, with the new day's text.
. tests/e2e/tools/common.sh
cp -R boards "$T/boards"
[ -x "$SIM" ] || { echo "no $SIM" >&2; exit 77; }
build_png2ppm
B="--boards-dir $T/boards"

# A one-message config: $1 the file, $2 the headline, $3 more message keys.
config() {
    cat > "$1" <<INI
[display]
board = hub75-256x32
font = WenQuanYi Zen Hei Sharp
size = 16
rows = 1
speed = 48
[message m]
headline = $2
color = #00FF00
${3:-}
INI
}

# 1. check: a misspelt placeholder warns with its line and a suggestion;
#    text in braces that is no placeholder, and the escapes, pass quietly.
config "$T/typo.ini" "距截止还有{countdwn:2026-12-05}天 {{date}} {x}"
"$LT" check -c "$T/typo.ini" $B --now "2026-12-01 09:00" >"$T/out" 2>"$T/err" ||
    fail "check refused a config with a misspelt placeholder: $(cat "$T/err")"
grep -q "ok, 1 message, 1 warning" "$T/out" || fail "not 1 warning: $(cat "$T/out") $(cat "$T/err")"
grep -q "typo.ini:8: warning: message 'm' headline: '{countdwn:2026-12-05}' is no placeholder and shows as written; did you mean {countdown:2026-12-05}?" "$T/err" ||
    fail "no did-you-mean on the headline's line: $(cat "$T/err")"
config "$T/bad.ini" "还有{countdown:2026-02-30}天"
"$LT" check -c "$T/bad.ini" $B --now "2026-12-01 09:00" >"$T/out" 2>"$T/err" &&
    fail "check passed a countdown to 2026-02-30"
grep -q "bad.ini:8: error: message 'm' headline: '{countdown:2026-02-30}' has no date: write {countdown:YYYY-MM-DD}" "$T/err" ||
    fail "no error on the countdown's line: $(cat "$T/err")"

# 2. A countdown's message plays through the end of its day, then expires.
config "$T/fee.ini" "距医保缴费截止还有{countdown:2026-12-05}天"
for at in "2026-12-05 23:59" "2026-12-06 00:00"; do
    "$LT" schedule -c "$T/fee.ini" --at "$at" --json > "$T/s.json" || fail "schedule exit $?"
    case $at in
        *05*) grep -q '"playlist":\["m"\]' "$T/s.json" || fail "not active at $at: $(cat "$T/s.json")" ;;
        *) grep -q '"playlist":\[\]' "$T/s.json" || fail "still active at $at: $(cat "$T/s.json")" ;;
    esac
done
"$LT" schedule -c "$T/fee.ini" --at "2026-12-01 10:00" > "$T/s.txt" || fail "schedule exit $?"
grep -q " m  *距医保缴费截止还有4天$" "$T/s.txt" || fail "schedule --at does not show the day's text: $(cat "$T/s.txt")"
"$LT" check -c "$T/fee.ini" $B --now "2026-12-07 09:00" 2>"$T/err" >/dev/null
grep -q "fee.ini:8: warning: message 'm' has expired (its countdown ended with 2026-12-05)" "$T/err" ||
    fail "check does not say the countdown ended: $(cat "$T/err")"

# 3. On the panel the placeholders are the day's text, pixel for pixel.
#    Both messages start at 09:00, so both tapes start there.
expands_as() {
    config "$T/dated.ini" "$1" "hours = 09:00-18:00"
    config "$T/typed.ini" "$2" "hours = 09:00-18:00"
    "$LT" preview -c "$T/dated.ini" $B --at "$3" -o "$T/dated.png" 2>"$T/err" ||
        fail "preview exit $? $(cat "$T/err")"
    "$LT" preview -c "$T/typed.ini" $B --at "$3" -o "$T/typed.png" 2>"$T/err" ||
        fail "preview exit $? $(cat "$T/err")"
    "$T/png2ppm" "$T/dated.png" "$T/dated.ppm" && "$T/png2ppm" "$T/typed.png" "$T/typed.ppm" ||
        fail "png2ppm"
    [ "$(count_rgb "$T/dated.ppm" "00 ff 00")" -gt 50 ] || fail "'$1' at $3: nothing on the panel"
    cmp -s "$T/dated.ppm" "$T/typed.ppm" || fail "'$1' at $3 does not show as '$2'"
}
expands_as "距医保缴费截止还有{countdown:2026-12-05}天" "距医保缴费截止还有4天" "2026-12-01 09:30:05"
expands_as "距医保缴费截止还有{countdown:2026-12-05}天" "距医保缴费截止还有0天" "2026-12-05 09:30:05"
expands_as "今天{date}{weekday} 农历{lunar}" "今天12月1日星期二 农历十月廿三" "2026-12-01 09:30:05"
# 冬至 is the clock's business; in text {lunar} stays the lunar date.
expands_as "今天{date}{weekday} 农历{lunar}" "今天12月22日星期二 农历冬月十四" "2026-12-22 09:30:05"

# 4. Across midnight: run equals preview, and shows the new day's text.
#    (The typed configs start at the same midnight as the dated one's day.)
config "$T/t.ini" "今天{date}{weekday} 农历{lunar}"
config "$T/dec1.ini" "今天12月1日星期二 农历十月廿三" "from = 2026-12-01"
config "$T/dec2.ini" "今天12月2日星期三 农历十月廿四" "from = 2026-12-02"
run_and_compare() {     # NAME START SECONDS AT TYPED
    "$LT" run -c "$T/t.ini" $B --output "record:$T/$1.bin" --clock-start "$2" \
        --clock-rate max --seconds "$3" 2>"$T/$1.err" || fail "$1: run exit $? $(cat "$T/$1.err")"
    "$SIM" --board hub75-256x32 --raw --snapshot "$T/$1.sim.png" --strict < "$T/$1.bin" ||
        fail "$1: ledsim exit $?"
    "$LT" preview -c "$T/t.ini" $B --at "$4" -o "$T/$1.prev.png" || fail "$1: preview exit $?"
    "$LT" preview -c "$5" $B --at "$4" -o "$T/$1.typed.png" || fail "$1: preview exit $?"
    for f in sim prev typed; do "$T/png2ppm" "$T/$1.$f.png" "$T/$1.$f.ppm" || fail "png2ppm"; done
    [ "$(count_rgb "$T/$1.prev.ppm" "00 ff 00")" -gt 50 ] || fail "$1: nothing on the panel at $4"
    cmp -s "$T/$1.sim.ppm" "$T/$1.prev.ppm" || fail "$1: run differs from preview at $4"
    cmp -s "$T/$1.prev.ppm" "$T/$1.typed.ppm" || fail "$1: at $4 the panel does not show $5's text"
}
run_and_compare before "2026-12-01 23:59:40" 15 "2026-12-01 23:59:55" "$T/dec1.ini"
run_and_compare after "2026-12-01 23:59:50" 20 "2026-12-02 00:00:10" "$T/dec2.ini"
# 5. A reload keeps the day's text and the lunar clock going (run keeps one
#    lunar object for all its configs): the new config's colour shows.
config "$T/live.ini" "今天{date}{weekday} 农历{lunar}"
sed -i 's/^rows = 1/rows = 1\nclock = date_lunar/' "$T/live.ini"
"$LT" -v run -c "$T/live.ini" $B --output "record:$T/live.bin" --clock-start "2026-12-01 23:59:50" \
    --clock-rate 10 2>"$T/live.err" &
pid=$!
sleep 1
sed -i 's/#00FF00/#00FFFF/' "$T/live.ini"
kill -HUP $pid
sleep 2
kill -TERM $pid
wait $pid || fail "SIGTERM did not stop cleanly (exit $?): $(cat "$T/live.err")"
grep -q "reloaded" "$T/live.err" || fail "no reload: $(cat "$T/live.err")"
"$SIM" --board hub75-256x32 --raw --snapshot "$T/live.png" --strict < "$T/live.bin" ||
    fail "the stream across the reload has errors"
"$T/png2ppm" "$T/live.png" "$T/live.ppm" || fail "png2ppm"
[ "$(count_rgb "$T/live.ppm" "00 ff ff")" -gt 0 ] || fail "the reloaded colour does not show"
[ "$(count_rgb "$T/live.ppm" "ff b0 00")" -gt 50 ] || fail "no clock after the reload"

# 5. check --keys lists them.
"$LT" check --keys | grep -q "^{countdown:YYYY-MM-DD} .*days left" || fail "check --keys: countdown"
"$LT" check --keys | grep -q "^{lunar} " || fail "check --keys: lunar"
"$LT" check --keys | grep -q "^clock .*none|time|date|lunar|date_lunar" || fail "check --keys: clock"
echo "placeholders: the day's text on the panel, in run as in preview, across midnight"
