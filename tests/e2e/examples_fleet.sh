#!/bin/sh
# The fleet examples stay valid: examples/fleet/district.ini passes
# publish's check with no warning and plays what its comments promise, and
# examples/fleet/kiosk.ini passes check once the files it names exist
# (here: a key pair from keygen, a CA and a password file in a scratch dir).
. tests/e2e/tools/common.sh
out=$("$LT" publish -c examples/fleet/district.ini --all --dry-run --at "2026-12-01 09:00" 2>&1) ||
    fail "dry run: $out"
echo "$out" | grep -q "district.ini: ok, 3 messages, 0 warnings" || fail "district check: $out"
echo "$out" | grep -q "medical-insurance" || fail "the countdown notice does not play on 1 December: $out"
# The countdown's day is its last: gone the day after.
out=$("$LT" publish -c examples/fleet/district.ini --all --dry-run --at "2026-12-07 09:00" 2>&1)
echo "$out" | grep -q "medical-insurance" && fail "the countdown notice plays after its day: $out"
# 腊八-元宵 2027 is 15 January to 20 February: in on the 20th of January, out in March.
out=$("$LT" publish -c examples/fleet/district.ini --all --dry-run --at "2027-01-20 09:00" 2>&1)
echo "$out" | grep -q "spring-festival" || fail "the festival notice does not play on 2027-01-20: $out"
out=$("$LT" publish -c examples/fleet/district.ini --all --dry-run --at "2027-03-01 09:00" 2>&1)
echo "$out" | grep -q "spring-festival" && fail "the festival notice plays in March: $out"

"$LT" keygen --out "$T/newsroom" >/dev/null 2>&1 || fail "keygen"
echo "not a real CA: check only reads it" > "$T/ca.pem"
echo "secret" > "$T/mqtt.password"
sed -e "s|/etc/ledticker/fleet-ca.pem|$T/ca.pem|" -e "s|/etc/ledticker/mqtt.password|$T/mqtt.password|" \
    -e "s|/etc/ledticker/newsroom.pub|$T/newsroom.pub|" -e "s|^play_log = .*|play_log = $T/play.log|" \
    examples/fleet/kiosk.ini > "$T/kiosk.ini"
out=$("$LT" check -c "$T/kiosk.ini" 2>&1) || fail "kiosk check: $out"
echo "$out"
