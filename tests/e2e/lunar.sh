#!/bin/sh
# The `lunar` key of [message] (issue 12) through the real `ledticker
# schedule --at --json`, `--from/--to` and `check`, under LC_ALL=C (a
# systemd service's locale: liblunar-date's names come out in pinyin, ours
# must not). The expectations are known lunar dates typed by hand, not
# computed: the issue's 15 Feb 2026 腊月廿八, 16 Feb 除夕 (a 29-day 腊月),
# 17 Feb 正月初一, 19 Jun 五月初五, 25 Sep 八月十五, 1 Dec 十月廿三; 2023's
# 闰二月 (22 March - 19 April 2023); 冬至 2026 on 22 December and 芒种 2026
# at 23:48 on 5 June, Beijing time.
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
export LC_ALL=C LANG=C
unset LANGUAGE LEDTICKER_CALENDAR LEDTICKER_DATA
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# at: "DATE lunar-value want" (1 = plays at noon, 0 = not)
cat >"$tmp/cases" <<'EOF2'
2026-02-15 腊月廿八 1
2026-02-15 12-28 1
2026-02-15 除夕 0
2026-02-16 除夕 1
2026-02-16 腊月廿九 1
2026-02-16 腊月三十 0
2026-02-17 正月初一 1
2026-02-17 春节 1
2026-02-17 除夕 0
2026-02-09 腊月廿三-正月十五 0
2026-02-10 腊月廿三-正月十五 1
2026-02-17 腊月廿三－正月十五 1
2026-03-03 腊月廿三～正月十五 1
2026-03-04 腊月廿三-正月十五 0
2026-02-12 12-23..01-15 1
2026-03-04 12-23..01-15 0
2026-06-19 五月初五 1
2026-06-19 端午 1
2026-06-20 端午 0
2026-09-25 八月十五 1
2026-09-25 中秋节 1
2026-09-25 08-15 1
2026-09-26 中秋 0
2026-12-01 十月廿三 1
2026-12-01 10-23 1
2026-12-02 十月廿三 0
2023-03-13 二月廿二 1
2023-04-02 闰二月十二 1
2023-04-02 二月十二 0
2023-03-03 二月十二 1
2023-03-03 闰二月十二 0
2026-12-22 冬至 1
2026-12-21 冬至 0
2026-06-05 芒种 1
2026-06-06 芒种 0
2026-09-25 除夕,中秋 1
2026-02-16 除夕,中秋 1
2026-02-17 除夕,中秋 0
EOF2
n=0
for tz in Asia/Shanghai America/Los_Angeles; do
    while read -r day value want; do
        printf '[message m]\nheadline = 通知\nlunar = %s\n' "$value" >"$tmp/m.ini"
        got=$(TZ=$tz "$LT" schedule -c "$tmp/m.ini" --at "$day 12:00" --json 2>"$tmp/err") ||
            fail "schedule lunar = $value at $day: $(cat "$tmp/err")"
        [ "$want" = 1 ] && w='["m"]' || w='[]'
        case $got in
            *"\"playlist\":$w}") ;;
            *) fail "TZ=$tz $day, lunar = $value: want $w, got $got" ;;
        esac
        n=$((n + 1))
    done <"$tmp/cases"
done
[ $n -eq 76 ] || fail "only $n checks ran"

# AND with days and hours: 腊月廿三-正月十五 on Saturdays, 09:00-12:00.
printf '[message m]\nheadline = x\nlunar = 腊月廿三-正月十五\ndays = sat\nhours = 09:00-12:00\n' >"$tmp/and.ini"
got=$(TZ=Asia/Shanghai "$LT" schedule -c "$tmp/and.ini" --from "2026-01-01 00:00" --to "2026-12-31 00:00")
want='2026-01-01 00:00  idle (clock)
2026-02-14 09:00  m
2026-02-14 12:00  idle (clock)
2026-02-21 09:00  m
2026-02-21 12:00  idle (clock)
2026-02-28 09:00  m
2026-02-28 12:00  idle (clock)'
[ "$got" = "$want" ] || fail "from/to with days and hours: $got"
# A festival months away is found: from the new year to 中秋.
printf '[message m]\nheadline = x\nlunar = 中秋\n' >"$tmp/mid.ini"
got=$(TZ=Asia/Shanghai "$LT" schedule -c "$tmp/mid.ini" --from "2026-03-01 00:00" --to "2026-12-31 00:00")
want='2026-03-01 00:00  idle (clock)
2026-09-25 00:00  m
2026-09-26 00:00  idle (clock)'
[ "$got" = "$want" ] || fail "from/to to 中秋: $got"

# Refused, at the line, with a did-you-mean for a misspelt name.
printf '[message m]\nheadline = x\n\nlunar = 端五\n' >"$tmp/typo.ini"
"$LT" check -c "$tmp/typo.ini" >/dev/null 2>"$tmp/err" && fail "lunar = 端五 passed"
grep -q "typo.ini:4: error: lunar '端五' is not a lunar date, solar term or festival; did you mean '端午'?" "$tmp/err" ||
    fail "did-you-mean: $(cat "$tmp/err")"
printf '[message m]\nheadline = x\nlunar = 八月卅十\n' >"$tmp/bad.ini"
"$LT" check -c "$tmp/bad.ini" >/dev/null 2>"$tmp/err" && fail "lunar = 八月卅十 passed"
grep -q "bad.ini:3: error: lunar '八月卅十' is not a lunar date, range, solar term or festival: use e.g. 八月十五" "$tmp/err" ||
    fail "bad date: $(cat "$tmp/err")"

# check warns about a 三十 that short months skip, and says 除夕.
printf '[message m]\nheadline = x\nlunar = 腊月三十\n' >"$tmp/thirty.ini"
"$LT" check --now "2026-12-01 09:00" -c "$tmp/thirty.ini" >/dev/null 2>"$tmp/err" || fail "check 腊月三十: $(cat "$tmp/err")"
grep -q "thirty.ini:3: warning: message 'm': lunar 腊月三十 is missed in .* (2026, 2027, 2028.*除夕" "$tmp/err" ||
    fail "no 三十 warning: $(cat "$tmp/err")"
"$LT" check --now "2026-12-01 09:00" -c "$tmp/mid.ini" >/dev/null 2>"$tmp/err" || fail "check 中秋"
[ ! -s "$tmp/err" ] || fail "中秋 warns: $(cat "$tmp/err")"

# The key is in the key table.
"$LT" check --keys | grep -q "^lunar" || fail "check --keys lacks lunar: $("$LT" check --keys | grep -n message)"
exit 0
