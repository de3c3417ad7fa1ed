#!/bin/sh
# ledticker preview end to end: GIF and still frames through the engine,
# the same frame for the same moment, emergency pre-emption, off hours,
# idle content, and clear errors for bad input.
. tests/e2e/tools/common.sh
# The project's own board files (hub75-256x32: four 64x32 HUB75 panels).
cp -R boards "$T/boards"

lit() { pixels "$1" | grep -vc '^ 00 00 00$'; }

cat > "$T/t.ini" <<INI
[display]
board = hub75-256x32
size = 16
rows = 1
speed = 64
off = 02:00-05:00
idle = clock
[message news]
headline = 区委办：真情帮扶助秋收 田间地头践初心
summary = 区委办干部职工到田间地头帮助群众抢收玉米。
color = #00FF00
days = mon-fri
hours = 08:00-18:00
[message alarm]
headline = 紧急通知：请配合疫情防控检查
color = #FF0000
emergency = yes
from = 2026-03-02 10:00
until = 2026-03-02 10:01
INI
B="--boards-dir $T/boards"

# A GIF of 3 s: GIF89a, 256x32 LEDs at 4 px each.
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 09:30" --seconds 3 -o "$T/a.gif" 2>"$T/err" \
    || fail "gif exit $? $(cat "$T/err")"
[ "$(head -c 6 "$T/a.gif")" = GIF89a ] || fail "not a GIF89a"
w=$(od -An -tu2 -j6 -N2 --endian=little "$T/a.gif" | tr -d ' ')
h=$(od -An -tu2 -j8 -N2 --endian=little "$T/a.gif" | tr -d ' ')
[ "$w" = 1024 ] && [ "$h" = 128 ] || fail "GIF is ${w}x$h, not 1024x128"
[ -s "$T/err" ] && fail "warnings: $(cat "$T/err")"

# The same moment gives the same frame, PNG or PPM, however often asked.
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 09:30:07" -o "$T/a.png" || fail "png exit $?"
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 09:30:07" -o "$T/b.png" || fail "png exit $?"
cmp -s "$T/a.png" "$T/b.png" || fail "two previews of one moment differ"
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 09:30:07" -o "$T/a.ppm" || fail "ppm exit $?"
[ "$(head -c 2 "$T/a.ppm")" = P6 ] || fail "not a PPM"
green=$(count_rgb "$T/a.ppm" "00 ff 00")
[ "$green" -gt 50 ] || fail "the news is not on the panel ($green green pixels)"

# An emergency pre-empts within one frame: at 10:00:01 only red is lit.
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 10:00:01" -o "$T/e.ppm" || fail "ppm exit $?"
[ "$(count_rgb "$T/e.ppm" "00 ff 00")" = 0 ] || fail "news still shows during the emergency"
[ "$(count_rgb "$T/e.ppm" "ff 00 00")" -gt 20 ] || fail "the emergency does not show"
# Two minutes later it has finished and the news is back.
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 10:03:00" -o "$T/r.ppm" || fail "ppm exit $?"
[ "$(count_rgb "$T/r.ppm" "00 ff 00")" -gt 0 ] || fail "the news did not resume"
[ "$(count_rgb "$T/r.ppm" "ff 00 00")" = 0 ] || fail "the emergency outlived its window"

# Off hours: dark. Idle (nothing active, not off): the clock shows.
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 03:00" -o "$T/o.ppm" || fail "ppm exit $?"
[ "$(lit "$T/o.ppm")" = 0 ] || fail "the panel is lit in the off hours"
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 20:00" -o "$T/i.ppm" || fail "ppm exit $?"
[ "$(lit "$T/i.ppm")" -gt 20 ] || fail "no idle clock"
"$LT" preview -c "$T/t.ini" $B --at "2026-03-02 20:01" -o "$T/j.ppm" || fail "ppm exit $?"
cmp -s "$T/i.ppm" "$T/j.ppm" && fail "the idle clock does not change with the minute"

# rows = 2 on a panel too short for two rows: one row, with a warning.
sed -e 's/^name = .*/name = short-128x16/' -e 's/^width = .*/width = 128/' -e 's/^height = .*/height = 16/' \
    "$T/boards/hub75-256x32.ini" > "$T/boards/short-128x16.ini"
sed 's/^rows = 1$/rows = 2/' "$T/t.ini" > "$T/r2.ini"
"$LT" preview -c "$T/r2.ini" $B --board short-128x16 --at "2026-03-02 09:30:07" -o "$T/r2.ppm" 2>"$T/err" \
    || fail "rows = 2 on 16 px exit $?"
grep -q "rows = 2 needs a panel at least 32 px tall" "$T/err" || fail "no warning for rows = 2 on 16 px"
[ "$(count_rgb "$T/r2.ppm" "00 ff 00")" -gt 20 ] || fail "nothing shows with rows = 2 on 16 px"

# Bad input: usage errors exit 2, input errors exit 1 with a message.
"$LT" preview -c "$T/t.ini" $B -o "$T/x.bmp" 2>/dev/null; [ $? = 2 ] || fail "bad -o is not exit 2"
"$LT" preview -c "$T/t.ini" $B --at "yesterday" -o "$T/x.png" 2>"$T/err"; [ $? = 2 ] || fail "bad --at is not exit 2"
grep -q "yesterday" "$T/err" || fail "bad --at not named"
"$LT" preview -c "$T/t.ini" $B --board nosuch -o "$T/x.png" 2>"$T/err"; [ $? = 1 ] || fail "unknown board is not exit 1"
grep -q "nosuch" "$T/err" || fail "unknown board not named: $(cat "$T/err")"
printf '[display]\nspeed = fast\n' > "$T/bad.ini"
"$LT" preview -c "$T/bad.ini" $B -o "$T/x.png" 2>"$T/err"; [ $? = 1 ] || fail "broken config is not exit 1"
grep -q "bad.ini:2:" "$T/err" || fail "broken config line not named: $(cat "$T/err")"
# The files written get the usual mode: 0666 less the umask (giflib's own
# open would make the GIF 0600).
(
    umask 027
    rm -f "$T/mode.gif" "$T/mode.png" "$T/mode-r.png"
    "$LT" preview -c examples/lishi.ini --at "2026-03-02 09:30" --seconds 0.2 -o "$T/mode.gif" &&
        "$LT" preview -c examples/lishi.ini --at "2026-03-02 09:30" -o "$T/mode.png" &&
        "$LT" render -o "$T/mode-r.png" "你好"
) || fail "writing files under umask 027"
for f in mode.gif mode.png mode-r.png; do
    [ "$(stat -c %a "$T/$f")" = 640 ] || fail "$f has mode $(stat -c %a "$T/$f"), not 0666 less umask 027"
done
echo "preview: ok"
