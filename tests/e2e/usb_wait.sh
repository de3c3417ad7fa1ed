#!/bin/sh
# A ticker told to use USB that starts before its controller is plugged in
# says so once (a warning, not silence that looks like a hang), waits without
# falling back to the simulator and without burning CPU, and stops cleanly
# (exit 0) on SIGTERM. It uses the machine's own bus, which on these
# machines has no USB at all; where a controller is attached it skips.
set -u
: "${BUILD:=build}"
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if "$BUILD/ledticker" devices >/dev/null 2>&1; then
    echo "a controller is attached here; this test needs none" >&2
    exit 77
fi
# No `timeout` in front: $! must be ledticker itself, for its CPU figures.
"$BUILD/ledticker" run -c examples/lishi.ini --output usb >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 3
kill -0 "$pid" 2>/dev/null || fail "run gave up instead of waiting: $(cat "$tmp/err")"
ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
hz=$(getconf CLK_TCK)
kill -TERM "$pid"
wait "$pid"
rc=$?
cat "$tmp/err"
[ "$rc" -eq 0 ] || fail "exit $rc after SIGTERM while waiting"
[ "$(grep -c 'waiting for one to be plugged in' "$tmp/err")" -eq 1 ] ||
    fail "expected one 'waiting' warning"
grep -q 'error' "$tmp/err" && fail "a clean stop while waiting printed an error"
[ -s "$tmp/out" ] && fail "fell back to drawing something on stdout"
# 3 s of waiting; a sleeping process uses well under a second of CPU (start-up
# included: fonts and strips are rendered at load).
[ "$ticks" -lt "$hz" ] || fail "used $ticks ticks of CPU in 3 s of waiting"
echo "ok: waited, $ticks ticks of CPU, clean stop"
