#!/bin/sh
# The clock zone's width on the configured board. A clock format too wide
# for the board falls back to a narrower one (date_lunar → lunar → time,
# date → time): `check` warns on the clock's line, naming the board, the
# width the format needs and the width there is, and `preview` (the engine
# of `run`) shows the same narrower format and says the same figures. A
# clock that fits gets no warning.
. tests/e2e/tools/common.sh

write() {
    cat >"$T/c.ini" <<EOT
[display]
board = $1
font = WenQuanYi Zen Hei Sharp
size = 16
label = 通知
clock = $2
[message hours]
headline = 便民服务中心今日办公时间
EOT
}
check() {
    "$LT" check -c "$T/c.ini" --boards-dir boards --fonts-dir fonts >"$T/out" 2>"$T/err" ||
        fail "check refused the config ($1): $(cat "$T/err")"
}

# 256 px: room for the date and the lunar date beside the label.
write hub75-256x32 date_lunar
check "256 px"
grep -q "ok, 1 message, 0 warnings" "$T/out" || fail "warnings on a 256 px board: $(cat "$T/err")"

# 128 px: date_lunar needs 152 px and 84 are left beside the label: lunar.
write p10-128x16 date_lunar
check "128 px"
grep -q "ok, 1 message, 1 warning" "$T/out" || fail "not 1 warning: $(cat "$T/out") $(cat "$T/err")"
grep -q "c.ini:6: warning: clock = date_lunar needs 152 px on board 'p10-128x16' (128x16), which has 84 px for it beside the label: the panel shows clock = lunar instead" "$T/err" ||
    fail "no clock width warning on its line: $(cat "$T/err")"
"$LT" preview -c "$T/c.ini" --boards-dir boards --at "2026-12-01 09:30" -o "$T/p.png" 2>"$T/perr" ||
    fail "preview exit $? $(cat "$T/perr")"
grep -q "clock = date_lunar needs 152 px and the 128x16 panel has 84 px for it: it shows clock = lunar instead" "$T/perr" ||
    fail "preview does not fall back as check said: $(cat "$T/perr")"

# The lunar clock itself fits there: no warning.
write p10-128x16 lunar
check "lunar on 128 px"
grep -q "ok, 1 message, 0 warnings" "$T/out" || fail "a lunar clock that fits was warned about: $(cat "$T/err")"

# The date (with 星期) does not fit 128 px beside the label either: time.
write p10-128x16 date
check "date on 128 px"
grep -q "c.ini:6: warning: clock = date needs [0-9]* px on board 'p10-128x16' (128x16), which has 84 px for it beside the label: the panel shows clock = time instead" "$T/err" ||
    fail "no warning for the date clock: $(cat "$T/err")"

# 64 px with the label: not even the time fits; run would refuse the layout.
write hub75-64x32 lunar
check "64 px"
grep -q "c.ini:6: warning: clock = lunar needs 80 px on board 'hub75-64x32' (64x32), which has 20 px for it beside the label, and no narrower format fits" "$T/err" ||
    fail "no warning for a clock that fits nowhere: $(cat "$T/err")"
echo "check_clock: too wide clocks are warned about and fall back as the engine does"
