#!/bin/sh
# End-to-end tests: each tests/e2e/*.sh runs the real binaries in $BUILD.
# A script exits 0 (pass), 77 (skipped, with a reason on stderr) or other (fail).
set -u
: "${BUILD:=build}"
export BUILD
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
# The one known leak, liblunar-date's, is suppressed (tests/lsan.supp says why).
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0 fail=0 skip=0 failed=""
for t in tests/e2e/*.sh; do
    [ -e "$t" ] || continue
    name=${t##*/}
    # A script marked "plain pass only" (the .deb is built without
    # sanitizers) is left out of the SANITIZE=1 pass by design: not a skip.
    if [ -n "${SANITIZE:-}" ] && grep -q '^# e2e: plain pass only' "$t"; then
        echo "e2e: --   $name (plain pass only)"
        continue
    fi
    out=$(mktemp)
    timeout 900 sh "$t" >"$out" 2>&1
    rc=$?
    case $rc in
        0) pass=$((pass + 1)); echo "e2e: ok   $name" ;;
        77) skip=$((skip + 1)); echo "e2e: skip $name"; sed 's/^/    /' "$out" ;;
        *) fail=$((fail + 1)); failed="$failed $name"; echo "e2e: FAIL $name (exit $rc)"; sed 's/^/    /' "$out" ;;
    esac
    rm -f "$out"
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
