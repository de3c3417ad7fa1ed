#!/bin/sh
# `ledticker check` on a display whose board is single-colour (P10, hub12):
# a colour whose strongest channel is below 128 lights no LED there
# (docs/protocol.md), so text in it would not show. check warns, with the
# line of the colour, and still passes; colours that light (pure red, the
# usual P10 colour, and #0000A0, whose blue is 160) get no warning. On an
# RGB board every colour shows: no colour warnings.
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

write() {
    cat >"$tmp/c.ini" <<EOT
[display]
board = $1
label = NEWS
label_color = #000070
[message red]
headline = Emergency notice
color = #FF0000
[message dim]
headline = Dim text
color = #00007F
[message blue]
headline = Blue text
color = #0000A0
[message white]
headline = White text
EOT
}

write p10-128x16
"$LT" check -c "$tmp/c.ini" --boards-dir boards --fonts-dir fonts >"$tmp/out" 2>"$tmp/err" ||
    fail "check refused the config: $(cat "$tmp/err")"
grep -q "ok, 4 messages, 2 warnings" "$tmp/out" || fail "not 2 warnings: $(cat "$tmp/out") $(cat "$tmp/err")"
grep -q "c.ini:10: warning: message 'dim' color #00007F shows nothing: board 'p10-128x16' is single-colour" "$tmp/err" ||
    fail "no warning for the dim colour on its line: $(cat "$tmp/err")"
grep -q "c.ini:4: warning: label_color #000070 shows nothing" "$tmp/err" ||
    fail "no warning for the label colour on its line: $(cat "$tmp/err")"
if grep -q -e "'red'" -e "'blue'" -e "'white'" "$tmp/err"; then
    fail "a colour that lights was warned about: $(cat "$tmp/err")"
fi

write hub75-64x32
"$LT" check -c "$tmp/c.ini" --boards-dir boards --fonts-dir fonts >"$tmp/out" 2>"$tmp/err" ||
    fail "check refused the RGB config: $(cat "$tmp/err")"
grep -q "ok, 4 messages, 0 warnings" "$tmp/out" || fail "warnings on an RGB board: $(cat "$tmp/err")"
echo "check_colours: dim colours on a single-colour board are warned about, with their lines"
