#!/bin/sh
# ledticker render end to end: the real binary, its exit codes, its PNGs.
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# PNG header fields: width, height (big-endian at 16 and 20), depth, colour type.
be32() { od -An -tu1 -j "$2" -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}'; }
byte() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
png_w() { be32 "$1" 16; }
png_h() { be32 "$1" 20; }
is_png() { [ "$(od -An -c -j1 -N3 "$1" | tr -d ' ')" = "PNG" ]; }

# A headline at 16 px mono, default colours: 1-bit greyscale, 16 rows.
"$LT" render -o "$T/a.png" "区委办：真情帮扶助秋收 田间地头践初心" 2>"$T/err" || fail "render exit $?"
is_png "$T/a.png" || fail "not a PNG"
[ "$(png_h "$T/a.png")" = 16 ] || fail "height $(png_h "$T/a.png")"
[ "$(byte "$T/a.png" 24)" = 1 ] && [ "$(byte "$T/a.png" 25)" = 0 ] || fail "mono is not 1-bit grey"
[ -s "$T/err" ] && fail "warnings for clean text: $(cat "$T/err")"

# Gray mode, and mono in other colours: 8-bit RGB; --height sets the rows.
"$LT" render --size 32 --height 40 --mode gray -o "$T/g.png" "民生山西 APP" || fail "gray exit"
[ "$(byte "$T/g.png" 24)" = 8 ] && [ "$(byte "$T/g.png" 25)" = 2 ] || fail "gray is not RGB8"
[ "$(png_h "$T/g.png")" = 40 ] || fail "--height ignored"
"$LT" render --color '#ff8000' --background '#000010' -o "$T/c.png" "从 2021年 10月 1日起" || fail "colour exit"
[ "$(byte "$T/c.png" 25)" = 2 ] || fail "coloured mono is not RGB"

# The whole seed page from a file at 32 px: far past cairo's 32,767 px.
"$LT" render --size 32 --file tests/data/000_158b273b953cb734.txt -o "$T/page.png" 2>/dev/null \
    || fail "page exit $?"
w=$(png_w "$T/page.png")
[ "$w" -gt 100000 ] || fail "page only $w px wide"
echo "whole page: $w px"

# Repairs: exit 0, with a warning that says what was repaired.
printf '区委\377办' > "$T/bad.txt"
"$LT" render --file "$T/bad.txt" -o "$T/b.png" 2>"$T/err" || fail "invalid UTF-8 exit $?"
grep -q 'byte offset 6' "$T/err" || fail "no byte offset: $(cat "$T/err")"
"$LT" render -o "$T/e.png" "🫠" 2>"$T/err" || fail "emoji exit $?"
grep -q 'U+1FAE0 not covered by any font' "$T/err" || fail "emoji: $(cat "$T/err")"
"$LT" render --font "No Such Family" -o "$T/u.png" "APP" 2>"$T/err" || fail "unknown family exit $?"
grep -q "'No Such Family' not found.*instead" "$T/err" || fail "unknown family: $(cat "$T/err")"
"$LT" render -o "$T/z.png" "" 2>"$T/err" || fail "empty exit $?"
is_png "$T/z.png" || fail "empty text: no PNG"

# Bad usage: 2. Font or I/O failure: 1.
for args in "--size abc -o $T/x.png a" "--mode color -o $T/x.png a" "a" \
            "-o $T/x.png" "--color red -o $T/x.png a" "--bogus -o $T/x.png a" \
            "--file $T/bad.txt -o $T/x.png a"; do
    # shellcheck disable=SC2086
    "$LT" render $args >/dev/null 2>&1
    rc=$?
    [ $rc = 2 ] || fail "'render $args' exit $rc, want 2"
done
"$LT" render -o "$T/no/such/dir.png" a 2>/dev/null; [ $? = 1 ] || fail "unwritable output not 1"
"$LT" render --file "$T/missing.txt" -o "$T/x.png" 2>/dev/null; [ $? = 1 ] || fail "missing file not 1"
"$LT" render --fonts-dir "$T" -o "$T/x.png" a 2>/dev/null; [ $? = 1 ] || fail "bad fonts dir not 1"

# Installed layout: BIN/../share/ledticker/fonts is found from anywhere.
mkdir -p "$T/inst/bin" "$T/inst/share/ledticker/fonts"
cp "$LT" "$T/inst/bin/" && cp fonts/* "$T/inst/share/ledticker/fonts/"
(cd / && "$T/inst/bin/ledticker" render -o "$T/i.png" "田间地头") || fail "installed layout"
[ "$(png_h "$T/i.png")" = 16 ] || fail "installed render"
exit 0
