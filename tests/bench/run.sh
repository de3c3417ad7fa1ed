#!/bin/sh
# make bench: every benchmark binary (build/bench/bench_*) and script
# (tests/bench/*.sh), in order. Each prints its figures beside its goal.
set -u
: "${BUILD:=build}"
export BUILD
status=0
for b in "$BUILD"/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "== ${b##*/}"
    "$b" || status=1
done
for s in tests/bench/*.sh; do
    [ "$s" = tests/bench/run.sh ] && continue
    [ -e "$s" ] || continue
    echo "== ${s##*/}"
    sh "$s" || status=1
done
exit $status
