#!/bin/sh
# make fuzz-regress: every tests/fuzz/fuzz_NAME.c's corpus replay binary
# (given as arguments, named replay_NAME) over tests/fuzz/corpus/NAME.
set -u
. tests/runner-env.sh
trap san_cleanup EXIT
fail=0
for b in "$@"; do
    n=${b##*/replay_}
    "$b" "tests/fuzz/corpus/$n"
    rc=$?
    san_reports "replay_$n" || rc=$SAN_EXIT
    [ "$rc" -eq 0 ] || { echo "fuzz-regress: FAIL replay_$n (exit $rc)"; fail=1; }
done
exit $fail
