#!/bin/sh
# Run every cmocka test binary given as an argument; print one summary line.
# Time limits are generous on purpose: these machines are noisy, and a unit
# test proves behaviour, not speed (speed lives in make bench).
set -u
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
# The one known leak, liblunar-date's, is suppressed (tests/lsan.supp says why).
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0 fail=0 failed=""
for t in "$@"; do
    if timeout 600 "$t"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); failed="$failed ${t##*/}"
    fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "unit: failing:$failed" >&2; exit 1; }
