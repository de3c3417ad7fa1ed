#!/bin/sh
# ledticker run as systemd sees it (Type=notify, WatchdogSec=): READY=1
# once frames flow, WATCHDOG=1 at least every half watchdog interval while
# it plays, STOPPING=1 on SIGTERM, and exit 0. A small listener on a unix
# socket stands in for systemd's NOTIFY_SOCKET.
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
T=$(mktemp -d)
trap 'kill $lpid 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export TZ=Asia/Shanghai
${CC:-cc} -O1 -o "$T/listen" tests/e2e/tools/notify_listen.c || fail "cannot build notify_listen"
"$T/listen" "$T/notify" 8 > "$T/got" &
lpid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do grep -q listening "$T/got" && break; sleep 0.2; done
# A 400 ms watchdog: the ticker must ping at least every 200 ms.
NOTIFY_SOCKET="$T/notify" WATCHDOG_USEC=400000 "$LT" run -c examples/lishi.ini \
    --output "record:$T/out.bin" --clock-start "2026-03-02 09:30:00" 2>"$T/err" &
pid=$!
sleep 3
kill -TERM $pid
wait $pid || fail "exit $? on SIGTERM: $(cat "$T/err")"
sleep 0.5
kill $lpid 2>/dev/null
grep -qx "READY=1" "$T/got" || fail "no READY=1: $(cat "$T/got")"
pings=$(grep -cx "WATCHDOG=1" "$T/got")
# About 3 s of play at one ping per 200 ms: 15; demand 10 to allow a slow start.
[ "$pings" -ge 10 ] || fail "only $pings watchdog pings in 3 s"
grep -qx "STOPPING=1" "$T/got" || fail "no STOPPING=1"
echo "service: READY, $pings watchdog pings in 3 s, STOPPING"
