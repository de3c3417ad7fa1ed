#!/bin/sh
# End-to-end tests: each tests/e2e/*.sh (or each script given as an
# argument) runs the real binaries in $BUILD.
# A script exits 0 (pass), 77 (skipped, with a reason on stderr) or other (fail).
# A skip fails the run (CI must not pass on what it did not test), unless
# LEDTICKER_ALLOW_SKIP=1. A sanitizer report from any binary a script runs
# fails that script, whatever its exit code (tests/runner-env.sh).
set -u
: "${BUILD:=build}"
export BUILD
. tests/runner-env.sh
trap san_cleanup EXIT
pass=0 fail=0 skip=0 failed="" skipped=""
[ $# -gt 0 ] || set -- tests/e2e/*.sh
for t in "$@"; do
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
    san_reports "$name" >>"$out" || rc=$SAN_EXIT
    case $rc in
        0) pass=$((pass + 1)); echo "e2e: ok   $name" ;;
        77) skip=$((skip + 1)); skipped="$skipped $name"; echo "e2e: skip $name"; sed 's/^/    /' "$out" ;;
        *) fail=$((fail + 1)); failed="$failed $name"; echo "e2e: FAIL $name (exit $rc)"; sed 's/^/    /' "$out" ;;
    esac
    rm -f "$out"
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || exit 1
skips_verdict e2e "$skip" "$skipped"
