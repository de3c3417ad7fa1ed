#!/bin/sh
# The statutory calendar (issue 12): days = workday / restday / holiday
# through the real `ledticker schedule --at --json` and `check`, on the
# shipped calendar/cn-2026.ini. Every date the 2026 notice names: each
# holiday range's first and last day, each swapped workday, and a plain
# weekday and weekend day on either side. The expectations are typed from
# the notice (W = worked, R = rest, H = statutory holiday), not computed.
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
export TZ=Asia/Shanghai
unset LEDTICKER_CALENDAR LEDTICKER_DATA
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for kind in workday restday holiday; do
    printf '[message m]\nheadline = 办公时间\ndays = %s\nhours = 09:00-17:00\n' $kind >"$tmp/$kind.ini"
done

# date, weekday, kinds
cat >"$tmp/dates" <<'EOF2'
2025-12-31 Wed W
2026-01-01 Thu RH
2026-01-03 Sat RH
2026-01-04 Sun W
2026-01-05 Mon W
2026-01-10 Sat R
2026-02-07 Sat R
2026-02-13 Fri W
2026-02-14 Sat W
2026-02-15 Sun RH
2026-02-23 Mon RH
2026-02-24 Tue W
2026-02-28 Sat W
2026-03-01 Sun R
2026-04-03 Fri W
2026-04-04 Sat RH
2026-04-06 Mon RH
2026-04-07 Tue W
2026-04-11 Sat R
2026-04-30 Thu W
2026-05-01 Fri RH
2026-05-05 Tue RH
2026-05-06 Wed W
2026-05-09 Sat W
2026-05-10 Sun R
2026-06-13 Sat R
2026-06-18 Thu W
2026-06-19 Fri RH
2026-06-21 Sun RH
2026-06-22 Mon W
2026-09-19 Sat R
2026-09-20 Sun W
2026-09-24 Thu W
2026-09-25 Fri RH
2026-09-27 Sun RH
2026-09-28 Mon W
2026-09-30 Wed W
2026-10-01 Thu RH
2026-10-07 Wed RH
2026-10-08 Thu W
2026-10-10 Sat W
2026-10-11 Sun R
EOF2
n=0
while read -r day wd kinds; do
    for kind in workday restday holiday; do
        case $kind:$kinds in
            workday:W*|restday:R*|holiday:*H) want='["m"]' ;;
            *) want='[]' ;;
        esac
        got=$("$LT" schedule -c "$tmp/$kind.ini" --at "$day 10:00" --json 2>"$tmp/err") ||
            fail "schedule $kind $day: $(cat "$tmp/err")"
        case $got in
            *"\"playlist\":$want}") ;;
            *) fail "$day ($wd) days = $kind: want $want, got $got" ;;
        esac
        n=$((n + 1))
    done
done <"$tmp/dates"
[ $n -eq 126 ] || fail "only $n checks ran"

# 2025 has no data: workday is Monday to Friday, and schedule says so.
"$LT" schedule -c "$tmp/workday.ini" --at "2025-12-31 10:00" --json >/dev/null 2>"$tmp/err"
grep -q "warning: no holiday calendar for 2025: workday means Monday to Friday.*\[calendar 2025\].*cn-2025.ini" "$tmp/err" ||
    fail "no warning for 2025: $(cat "$tmp/err")"
"$LT" schedule -c "$tmp/workday.ini" --at "2026-05-09 10:00" >/dev/null 2>"$tmp/err"
[ ! -s "$tmp/err" ] || fail "2026 warns: $(cat "$tmp/err")"
# A config whose days do not use the calendar never warns about it.
printf '[message m]\nheadline = x\ndays = mon-fri\n' >"$tmp/plain.ini"
"$LT" schedule -c "$tmp/plain.ini" --at "2031-01-01 10:00" >/dev/null 2>"$tmp/err"
[ ! -s "$tmp/err" ] || fail "mon-fri warns: $(cat "$tmp/err")"

# --from/--to walks the same calendar: the 劳动节 week, then 9 May worked.
got=$("$LT" schedule -c "$tmp/workday.ini" --from "2026-04-30 00:00" --to "2026-05-11 00:00")
want='2026-04-30 00:00  idle (clock)
2026-04-30 09:00  m
2026-04-30 17:00  idle (clock)
2026-05-06 09:00  m
2026-05-06 17:00  idle (clock)
2026-05-07 09:00  m
2026-05-07 17:00  idle (clock)
2026-05-08 09:00  m
2026-05-08 17:00  idle (clock)
2026-05-09 09:00  m
2026-05-09 17:00  idle (clock)'
[ "$got" = "$want" ] || fail "from/to around 劳动节: $got"
# A holiday-only message: the next change is weeks away, and found.
got=$("$LT" schedule -c "$tmp/holiday.ini" --from "2026-06-22 00:00" --to "2026-09-26 00:00" | sed -n 2p)
[ "$got" = "2026-09-25 09:00  m" ] || fail "next holiday after 端午: $got"

# Chinese names, and a list is a union (workday, sat).
printf '[message m]\nheadline = x\ndays = 节假日\n' >"$tmp/zh.ini"
"$LT" schedule -c "$tmp/zh.ini" --at "2026-10-03 10:00" --json | grep -q '"playlist":\["m"\]' || fail "节假日"
printf '[message m]\nheadline = x\ndays = 工作日\n' >"$tmp/zh.ini"
"$LT" schedule -c "$tmp/zh.ini" --at "2026-10-10 10:00" --json | grep -q '"playlist":\["m"\]' || fail "工作日"
printf '[message m]\nheadline = x\ndays = 休息日\n' >"$tmp/zh.ini"
"$LT" schedule -c "$tmp/zh.ini" --at "2026-10-10 10:00" --json | grep -q '"playlist":\[\]' || fail "休息日"
printf '[message m]\nheadline = x\ndays = workday, sat\n' >"$tmp/union.ini"
"$LT" schedule -c "$tmp/union.ini" --at "2026-10-03 10:00" --json | grep -q '"playlist":\["m"\]' || fail "union: a Saturday holiday"
"$LT" schedule -c "$tmp/union.ini" --at "2026-10-04 10:00" --json | grep -q '"playlist":\[\]' || fail "union: a Sunday holiday"

# The did-you-mean never offers workday for weekdays or back.
for pair in "weekday:weekdays" "workdays:workday" "wrkday:workday" "holidy:holiday"; do
    printf '[message m]\nheadline = x\ndays = %s\n' "${pair%%:*}" >"$tmp/typo.ini"
    "$LT" check -c "$tmp/typo.ini" >/dev/null 2>"$tmp/err" && fail "days = ${pair%%:*} passed"
    grep -q "typo.ini:3: error: days '${pair%%:*}' is not a list of days; did you mean '${pair#*:}'?" "$tmp/err" ||
        fail "did-you-mean for ${pair%%:*}: $(cat "$tmp/err")"
done

# A config's own [calendar 2026] replaces the shipped year whole.
cat >"$tmp/own.ini" <<'INI'
[message m]
headline = x
days = workday

[calendar 2026]
holiday = 2026-02-16..2026-02-17 春节
INI
"$LT" schedule -c "$tmp/own.ini" --at "2026-02-18 10:00" --json | grep -q '"playlist":\["m"\]' || fail "own year: 18 Feb"
"$LT" schedule -c "$tmp/own.ini" --at "2026-02-17 10:00" --json | grep -q '"playlist":\[\]' || fail "own year: 17 Feb"
"$LT" schedule -c "$tmp/own.ini" --at "2026-02-14 10:00" --json | grep -q '"playlist":\[\]' || fail "own year: 14 Feb (no swap)"

# check: a date outside its year, overlapping ranges, a workday that is a
# holiday, each an error at its line; then exit 1.
cat >"$tmp/bad.ini" <<'INI'
[message m]
headline = x
days = workday

[calendar 2027]
holiday = 2027-01-01..2027-01-03 元旦
workday = 2026-12-27
holiday = 2027-01-03..2027-01-04 重叠
workday = 2027-01-02
holidy = 2027-05-01
holiday = 2027-13-01
INI
"$LT" check --now "2026-12-10 09:00" -c "$tmp/bad.ini" >/dev/null 2>"$tmp/err" && fail "a bad calendar passed"
grep -q "bad.ini:7: error: workday 2026-12-27 is outside \[calendar 2027\]" "$tmp/err" || fail "outside: $(cat "$tmp/err")"
grep -q "bad.ini:8: error: holiday '2027-01-03..2027-01-04 重叠' overlaps the holiday at line 6" "$tmp/err" || fail "overlap: $(cat "$tmp/err")"
grep -q "bad.ini:9: error: workday '2027-01-02' is also a holiday (line 6)" "$tmp/err" || fail "workday holiday: $(cat "$tmp/err")"
grep -q "bad.ini:10: error: unknown key 'holidy' in \[calendar 2027\]; did you mean 'holiday'?" "$tmp/err" || fail "key: $(cat "$tmp/err")"
grep -q "bad.ini:11: error: holiday '2027-13-01' is not a date" "$tmp/err" || fail "date: $(cat "$tmp/err")"
printf '[calendar 27]\n' >"$tmp/year.ini"
"$LT" check -c "$tmp/year.ini" >/dev/null 2>"$tmp/err" && fail "[calendar 27] passed"
grep -q "year.ini:1: error: \[calendar 27\] needs a year" "$tmp/err" || fail "header: $(cat "$tmp/err")"

# check warns for the current year, and the next once 1 January is less
# than 30 days away; never for a config without calendar days.
"$LT" check --now "2026-06-01 09:00" -c "$tmp/workday.ini" >/dev/null 2>"$tmp/err" || fail "check in June"
[ ! -s "$tmp/err" ] || fail "June warns: $(cat "$tmp/err")"
"$LT" check --now "2026-12-05 09:00" -c "$tmp/workday.ini" >/dev/null 2>"$tmp/err" || fail "check in December"
grep -q "warning: no holiday calendar for 2027" "$tmp/err" || fail "no warning for next year: $(cat "$tmp/err")"
"$LT" check --now "2027-03-01 09:00" -c "$tmp/workday.ini" >/dev/null 2>"$tmp/err" || fail "check in 2027"
grep -q "warning: no holiday calendar for 2027" "$tmp/err" || fail "no warning for 2027: $(cat "$tmp/err")"
"$LT" check --now "2026-12-05 09:00" -c "$tmp/plain.ini" >/dev/null 2>"$tmp/err" || fail "plain check"
[ ! -s "$tmp/err" ] || fail "a config without calendar days warns: $(cat "$tmp/err")"
# run warns at start the same way.
"$LT" run -c "$tmp/workday.ini" --output "record:$tmp/rec" --board p10-128x16 --clock-start "2026-12-20 09:00" \
    --clock-rate max --seconds 1 >/dev/null 2>"$tmp/err" || fail "run: $(cat "$tmp/err")"
grep -q "warning: no holiday calendar for 2027" "$tmp/err" || fail "run does not warn: $(cat "$tmp/err")"

# The data directory rule: --calendar-dir, then $LEDTICKER_CALENDAR.
mkdir -p "$tmp/cal"
printf '[calendar 2026]\nholiday = 2026-03-02 测试\n' >"$tmp/cal/cn-2026.ini"
"$LT" schedule -c "$tmp/workday.ini" --calendar-dir "$tmp/cal" --at "2026-03-02 10:00" --json |
    grep -q '"playlist":\[\]' || fail "--calendar-dir"
"$LT" schedule -c "$tmp/workday.ini" --calendar-dir "$tmp/cal" --at "2026-02-16 10:00" --json |
    grep -q '"playlist":\["m"\]' || fail "--calendar-dir still used the shipped year"
LEDTICKER_CALENDAR="$tmp/cal" "$LT" schedule -c "$tmp/workday.ini" --at "2026-03-02 10:00" --json |
    grep -q '"playlist":\[\]' || fail "LEDTICKER_CALENDAR"
"$LT" schedule -c "$tmp/workday.ini" --calendar-dir "$tmp/nowhere" --at "2026-03-02 10:00" 2>"$tmp/err"
[ $? -eq 2 ] || fail "a --calendar-dir that is no directory is not a usage error"
grep -q "error: --calendar-dir $tmp/nowhere: no such directory" "$tmp/err" || fail "$(cat "$tmp/err")"
# A broken shipped file is an error in check, at its line.
printf '[calendar 2026]\nworkday = 2026-02-30\n' >"$tmp/cal/cn-2026.ini"
"$LT" check --calendar-dir "$tmp/cal" -c "$tmp/workday.ini" >/dev/null 2>"$tmp/err" && fail "broken data file passed"
grep -q "cn-2026.ini:2: error: workday '2026-02-30' is not a date" "$tmp/err" || fail "data file: $(cat "$tmp/err")"

# check --keys lists the new values and the calendar section.
"$LT" check --keys | grep -q "^days .*workday|restday|holiday" || fail "check --keys: days"
"$LT" check --keys | grep -q "^\[calendar YEAR\]" || fail "check --keys: [calendar YEAR]"
exit 0
