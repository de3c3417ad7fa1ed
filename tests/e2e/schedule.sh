#!/bin/sh
# The real `ledticker check` and `ledticker schedule` on the example and on
# broken files: output formats, exit codes, every problem in one run.
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
export TZ=Asia/Shanghai
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- the example passes with no warning (expiry judged at a pinned moment) --
"$LT" check --now "2026-11-30 09:00" -c examples/lishi.ini >"$tmp/out" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "example does not pass check"; }
grep -qx "examples/lishi.ini: ok, 7 messages, 0 warnings" "$tmp/out" || fail "no ok line: $(cat "$tmp/out")"
[ ! -s "$tmp/err" ] || fail "the example warns: $(cat "$tmp/err")"

# --- expired messages, and every warning in file and line order -----------
cat >"$tmp/expired.ini" <<'INI'
[message old]
headline = 失业保险金标准提高
until = 2021-12-31

[message typo]
headline = 通知
colr = red

[message also-old]
headline = 旧闻
until = 2026-11-29
INI
"$LT" check --now "2026-11-30 09:00" -c "$tmp/expired.ini" >"$tmp/out" 2>"$tmp/err" && fail "unknown key passed"
grep -o ':[0-9]*: [a-z]*' "$tmp/err" >"$tmp/order"
printf ':3: warning\n:7: error\n:11: warning\n' | diff - "$tmp/order" >&2 || fail "not in line order: $(cat "$tmp/err")"
grep -q "^$tmp/expired.ini:3: warning: message 'old' has expired (until 2021-12-31)" "$tmp/err" ||
    fail "expired warning missing: $(cat "$tmp/err")"
grep -q "^$tmp/expired.ini:11: warning: message 'also-old' has expired" "$tmp/err" || fail "$(cat "$tmp/err")"
# The same file judged in 2021: nothing has expired yet.
sed -i '/^colr/d' "$tmp/expired.ini"
"$LT" check --now "2021-11-30 09:00" -c "$tmp/expired.ini" 2>"$tmp/err" >/dev/null || fail "check in 2021"
[ ! -s "$tmp/err" ] || fail "expired in 2021: $(cat "$tmp/err")"
# A config with no messages: the warning names the file.
printf '[display]\nidle = clock\n' >"$tmp/clock.ini"
"$LT" check -c "$tmp/clock.ini" 2>"$tmp/err" >/dev/null || fail "clock-only config"
grep -qx "$tmp/clock.ini: warning: no \[message ID\] sections: only the idle display will show" "$tmp/err" ||
    fail "no-messages warning: $(cat "$tmp/err")"

# --- schedule --at --json: exact form -------------------------------------
got=$("$LT" schedule -c examples/lishi.ini --at "2026-11-30 09:00" --json)
want='{"at":"2026-11-30 09:00","emergency":false,"off":false,"brightness":80,"playlist":["sanitation","care-station","media-volunteers","pension","care-station"]}'
[ "$got" = "$want" ] || fail "at Monday 09:00: $got"
got=$("$LT" schedule -c examples/lishi.ini --at "2026-11-29 00:30" --json)     # Sunday, Saturday's late window
[ "$got" = '{"at":"2026-11-29 00:30","emergency":false,"off":false,"brightness":25,"playlist":["venue-inspection"]}' ] || fail "midnight: $got"
got=$("$LT" schedule -c examples/lishi.ini --at "2026-11-27 03:00" --json)
[ "$got" = '{"at":"2026-11-27 03:00","emergency":false,"off":true,"brightness":0,"playlist":[]}' ] || fail "off: $got"
# The example's off hours (01:00-05:30) and night (22:00-06:00, 25%) in text.
got=$("$LT" schedule -c examples/lishi.ini --at "2026-11-27 03:00")
[ "$got" = '2026-11-27 03:00  off (standby until 05:30)' ] || fail "off in text: $got"
got=$("$LT" schedule -c examples/lishi.ini --at "2026-11-27 23:00" | head -1)
[ "$got" = '2026-11-27 23:00  1 item  (night: brightness 25%)' ] || fail "night in text: $got"
# Full-width input for --at works like the config's.
got=$("$LT" schedule -c examples/lishi.ini --at "2026－11－30 09：00" --json | cut -c1-25)
[ "$got" = '{"at":"2026-11-30 09:00",' ] || fail "full-width --at: $got"
# One line, one newline, UTF-8 unescaped (IDs are ASCII by rule).
[ "$("$LT" schedule -c examples/lishi.ini --at "2026-11-30 09:00" --json | wc -l)" -eq 1 ] || fail "not one line"

# --- the emergency notice, switched on, pre-empts everything --------------
sed 's/^enabled = no$/enabled = yes/' examples/lishi.ini >"$tmp/emergency.ini"
got=$("$LT" schedule -c "$tmp/emergency.ini" --at "2026-11-30 09:00" --json)
[ "$got" = '{"at":"2026-11-30 09:00","emergency":true,"off":false,"brightness":80,"playlist":["epidemic-checkpoints"]}' ] || fail "emergency: $got"

# --- timeline ---------------------------------------------------------------
# Friday: office hours, then the late window that runs into Saturday.
"$LT" schedule -c examples/lishi.ini --from "2026-11-27 00:00" --to "2026-11-28 02:00" >"$tmp/tl" || fail "timeline failed"
cat >"$tmp/tl.want" <<'TL'
2026-11-27 00:00  idle (clock)  (night: brightness 25%)
2026-11-27 01:00  off (standby until 05:30)
2026-11-27 05:30  idle (clock)  (night: brightness 25%)
2026-11-27 06:00  idle (clock)
2026-11-27 07:00  care-station care-station
2026-11-27 08:00  sanitation care-station media-volunteers pension care-station
2026-11-27 12:00  care-station media-volunteers care-station pension
2026-11-27 14:30  sanitation care-station media-volunteers pension care-station
2026-11-27 18:00  care-station care-station
2026-11-27 19:00  venue-inspection
2026-11-27 22:00  venue-inspection  (night: brightness 25%)
2026-11-28 01:00  off (standby until 05:30)
TL
diff "$tmp/tl.want" "$tmp/tl" >&2 || fail "timeline differs"
"$LT" schedule -c examples/lishi.ini --from "2026-11-27 19:00" --to "2026-11-28 00:00" --json | head -1 |
    grep -qx '{"at":"2026-11-27 19:00","emergency":false,"off":false,"brightness":80,"playlist":\["venue-inspection"\]}' ||
    fail "timeline --json"

# --- every problem in one run, FILE:LINE: error: ... ---------------------
mkdir "$tmp/conf.d"
printf '[message shared]\nheadline = 共享通知\ncolor = 红\n' >"$tmp/conf.d/shared.ini"
cat >"$tmp/bad.ini" <<'INI'
[display]
brightnes = 50
[message a]
headline = 第一条
priority = 150
hours = 08:00-25:00
from = 2026-12-10
until = 2026-12-01
[message a]
headline = 重复
[mesage b]
include = conf.d/*.ini
include = missing.ini
[message c]
headline = x
summary_file = nope.txt
include = empty/*.ini
INI
"$LT" check -c "$tmp/bad.ini" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "check on a bad file exited $rc, not 1"
b="$tmp/bad.ini"
for want in \
    "$b:2: error: unknown key 'brightnes' in [display]; did you mean 'brightness'?" \
    "$b:5: error: priority 150 is out of range 0-100" \
    "$b:6: error: hours '08:00-25:00' is not a list of time windows" \
    "$b:8: error: until '2026-12-01' is not after from '2026-12-10' (line 7)" \
    "$b:9: error: duplicate message ID 'a' (first defined at $b:3)" \
    "$b:11: error: unknown section [mesage b]; did you mean [message b]?" \
    "$tmp/conf.d/shared.ini:3: error: color '红' is not a colour" \
    "$b:13: error: cannot read include '$tmp/missing.ini'" \
    "$b:16: error: cannot read summary_file 'nope.txt'" \
    "$b:17: warning: include pattern 'empty/*.ini' matches nothing"; do
    grep -qF "$want" "$tmp/err" || { cat "$tmp/err"; fail "missing: $want"; }
done
[ "$(grep -c ': error: ' "$tmp/err")" -eq 9 ] || { cat "$tmp/err"; fail "expected 9 errors"; }

# --- a GBK file: the line, and what to do -----------------------------------
printf '[message a]\nheadline = ok\nsummary = \300\353\312\257\n' >"$tmp/gbk.ini"
"$LT" check -c "$tmp/gbk.ini" 2>"$tmp/err" >/dev/null && fail "GBK accepted"
grep -q "^$tmp/gbk.ini:3: error: not valid UTF-8 .*save it as UTF-8" "$tmp/err" || fail "GBK message: $(cat "$tmp/err")"

# --- boards are checked when the directory is known --------------------------
mkdir "$tmp/boards"
: >"$tmp/boards/hub75-256x32.ini"
printf '[display]\nboard = hub75-256x23\n' >"$tmp/board.ini"
"$LT" check -c "$tmp/board.ini" --boards "$tmp/boards" 2>"$tmp/err" >/dev/null && fail "unknown board accepted"
grep -q "^$tmp/board.ini:2: error: unknown board 'hub75-256x23'.*did you mean 'hub75-256x32'" "$tmp/err" ||
    fail "board message: $(cat "$tmp/err")"

# --- characters no configured font covers: a warning naming them ---------
printf '[display]\nfont = Noto Sans CJK SC\n[message a]\nheadline = 离石区\nsummary = 好\364\217\277\275。\n' >"$tmp/cov.ini"
"$LT" check -c "$tmp/cov.ini" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; fail "coverage warning made check fail"; }
grep -q "^$tmp/cov.ini:5: warning: message 'a' summary: 1 character no configured font covers: U+10FFFD$" "$tmp/err" ||
    fail "coverage warning: $(cat "$tmp/err")"
grep -q "headline" "$tmp/err" && fail "the headline is covered: $(cat "$tmp/err")"

# --- the complete example in docs/config.md passes ------------------------
sed -n '/^```ini$/,/^```$/p' docs/config.md | sed '1d;$d' >"$tmp/doc.ini"
[ -s "$tmp/doc.ini" ] || fail "no ini example in docs/config.md"
"$LT" check -c "$tmp/doc.ini" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; fail "docs example fails check"; }

# --- usage ------------------------------------------------------------------
"$LT" check 2>/dev/null; [ $? -eq 2 ] || fail "check without -c should exit 2"
"$LT" schedule -c examples/lishi.ini 2>/dev/null; [ $? -eq 2 ] || fail "schedule without --at should exit 2"
"$LT" schedule -c examples/lishi.ini --at "tomorrow" 2>/dev/null; [ $? -eq 2 ] || fail "bad --at should exit 2"
"$LT" schedule -c "$tmp/bad.ini" --at "2026-11-30 09:00" >/dev/null 2>&1; [ $? -eq 1 ] || fail "bad config should exit 1"
"$LT" check -c "$tmp/nonexistent.ini" 2>"$tmp/err"; [ $? -eq 1 ] || fail "missing file should exit 1"
grep -q "nonexistent.ini: error: cannot read the file" "$tmp/err" || fail "missing file message: $(cat "$tmp/err")"
exit 0
