#!/bin/sh
# Run every cmocka test binary given as an argument; print one summary line.
# Time limits are generous on purpose: these machines are noisy, and a unit
# test proves behaviour, not speed (speed lives in make bench).
# A skipped test fails the run (CI must not pass on what it did not test),
# unless LEDTICKER_ALLOW_SKIP=1. Sanitizer reports fail it too
# (tests/runner-env.sh).
set -u
. tests/runner-env.sh
out=$(mktemp)
trap 'san_cleanup; rm -f "$out"' EXIT
pass=0 fail=0 skip=0 failed="" skipped=""
for t in "$@"; do
    timeout 600 "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    san_reports "${t##*/}" || rc=$SAN_EXIT
    if [ "$rc" -ne 0 ]; then
        fail=$((fail + 1)); failed="$failed ${t##*/}"
        [ "$rc" -eq "$SAN_EXIT" ] && failed="$failed(sanitizer)"
    elif grep -q '^\[  SKIPPED \]' "$out"; then
        skip=$((skip + 1)); skipped="$skipped ${t##*/}"
    else
        pass=$((pass + 1))
    fi
done
echo "unit: $pass passed, $fail failed, $skip with skipped tests"
[ "$fail" -eq 0 ] || { echo "unit: failing:$failed" >&2; exit 1; }
skips_verdict unit "$skip" "$skipped"
