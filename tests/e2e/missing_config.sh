#!/bin/sh
# A config file that is not there: `check` and `schedule` name it, exit 1,
# and leave nothing behind. Under SANITIZE=1 a leak or undefined behaviour
# exits 99 here, so it can never pass for the expected exit 1.
. tests/e2e/tools/common.sh
tmp=$T
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=99"

"$LT" check -c "$tmp/missing.ini" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "check on a missing file exited $rc, not 1: $(cat "$tmp/err")"
grep -q "^$tmp/missing.ini: error: cannot read the file: No such file or directory" "$tmp/err" ||
    fail "check does not name the file: $(cat "$tmp/err")"
grep -q "Sanitizer" "$tmp/err" && fail "sanitizer report: $(cat "$tmp/err")"

"$LT" schedule -c "$tmp/missing.ini" --at "2026-11-30 09:00" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "schedule on a missing file exited $rc, not 1: $(cat "$tmp/err")"
grep -q "$tmp/missing.ini: error: cannot read the file" "$tmp/err" || fail "schedule: $(cat "$tmp/err")"
grep -q "Sanitizer" "$tmp/err" && fail "sanitizer report: $(cat "$tmp/err")"
exit 0
