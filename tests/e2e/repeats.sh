#!/bin/sh
# repeat = N through the real commands (docs/config.md, "Repeats"): the
# lowest message's copies are kept apart too, the wrap included; a copy that
# cannot be kept apart is dropped with a warning naming the message, by
# `schedule --at` for that moment, and by `check` and `run` once per
# message for the week ahead.
. tests/e2e/tools/common.sh
tmp=$T

# --- the last message in play order plays twice, apart --------------------
cat >"$tmp/caf.ini" <<'INI'
[message c]
headline = 第一条
priority = 90
[message a]
headline = 第二条
priority = 80
[message f]
headline = 第三条
priority = 10
repeat = 2
INI
got=$("$LT" schedule -c "$tmp/caf.ini" --at "2026-11-30 09:00" --json 2>"$tmp/err")
[ "$got" = '{"at":"2026-11-30 09:00","emergency":false,"off":false,"brightness":80,"playlist":["c","f","a","f"]}' ] || fail "c a f: $got"
[ -s "$tmp/err" ] && fail "a warning where every copy fits: $(cat "$tmp/err")"
"$LT" check -c "$tmp/caf.ini" >"$tmp/out" 2>"$tmp/err" || fail "check exit $?"
grep -q "ok, 3 messages, 0 warnings" "$tmp/out" || fail "check: $(cat "$tmp/out" "$tmp/err")"

# --- a message wanting more than the others leave room for ------------------
# On weekdays flood (repeat 6) has c, a and f (4 copies) to keep its copies
# apart: 4 of 6 play. At the weekend only c is there with it: 1 of 6.
sed '/^priority = [18]0$/a days = mon-fri' "$tmp/caf.ini" >"$tmp/flood.ini"
printf '\n[message flood]\nheadline = 暴雨预警\npriority = 50\nrepeat = 6\n' >>"$tmp/flood.ini"
got=$("$LT" schedule -c "$tmp/flood.ini" --at "2026-11-30 09:00" --json 2>"$tmp/err")
[ "$(echo "$got" | grep -o '"flood"' | wc -l)" -eq 4 ] || fail "flood on Monday: $got"
grep -Eq "^$tmp/flood.ini:14: warning: message 'flood' has repeat = 6, but at 2026-11-30 09:00 only 4 copies fit.*: 2 dropped" "$tmp/err" ||
    fail "no warning naming flood at its line: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "more than one warning: $(cat "$tmp/err")"
got=$("$LT" schedule -c "$tmp/flood.ini" --at "2026-11-29 09:00" --json 2>"$tmp/err")
[ "$got" = '{"at":"2026-11-29 09:00","emergency":false,"off":false,"brightness":80,"playlist":["c","flood"]}' ] || fail "flood on Sunday: $got"
grep -q "at 2026-11-29 09:00 only 1 copy fits.*: 5 dropped" "$tmp/err" || fail "Sunday warning: $(cat "$tmp/err")"

# --- --from/--to and check: once per message, however often it is short --
"$LT" schedule -c "$tmp/flood.ini" --from "2026-11-27 00:00" --to "2026-12-04 00:00" >"$tmp/out" 2>"$tmp/err" ||
    fail "timeline exit $?"
[ "$(grep -c "message 'flood'" "$tmp/err")" -eq 1 ] || fail "timeline warnings: $(cat "$tmp/err")"
"$LT" check -c "$tmp/flood.ini" >"$tmp/out" 2>"$tmp/err" || fail "check exit $? (a dropped copy is a warning)"
grep -q "ok, 4 messages, 1 warning$" "$tmp/out" || fail "check: $(cat "$tmp/out" "$tmp/err")"
grep -Eq "^$tmp/flood.ini:14: warning: message 'flood' has repeat = 6" "$tmp/err" || fail "check warning: $(cat "$tmp/err")"

# --- run says it in its log, once, for the week from its start -----------
cp -R boards "$tmp/boards"
"$LT" run -c "$tmp/flood.ini" --board hub75-64x32 --boards-dir "$tmp/boards" --output "record:$tmp/r.bin" \
    --clock-start "2026-11-30 09:00" --clock-rate max --seconds 2 2>"$tmp/err" || fail "run exit $? $(cat "$tmp/err")"
[ "$(grep -c "^$tmp/flood.ini:14: warning: message 'flood' has repeat = 6" "$tmp/err")" -eq 1 ] ||
    fail "run's warning: $(cat "$tmp/err")"

# --- alone, a message plays its copies back to back, without a warning ----
printf '[message solo]\nheadline = 独\nrepeat = 3\n' >"$tmp/solo.ini"
got=$("$LT" schedule -c "$tmp/solo.ini" --at "2026-11-30 09:00" --json 2>"$tmp/err")
[ "$got" = '{"at":"2026-11-30 09:00","emergency":false,"off":false,"brightness":80,"playlist":["solo","solo","solo"]}' ] || fail "solo: $got"
[ -s "$tmp/err" ] && fail "a warning for a message alone: $(cat "$tmp/err")"
exit 0
