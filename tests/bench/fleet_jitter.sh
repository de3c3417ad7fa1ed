#!/bin/sh
# The frame loop's jitter with and without a connected fleet kiosk client
# (issue 13: "The pacing bench shows p99 jitter within 200 us of what it
# is without the client"). A real mosquitto on 127.0.0.1 with TLS (the
# test broker kit), a kiosk user, the newsroom's key and one bundle
# retained on `all`, so the client connects, verifies and checks it, then
# publishes its status every second (the counters change every second)
# while the loop plays at 60 fps.
# tests/tools/fleetjitter measures; it prints both figures and the
# difference beside the goal, and exits 1 (MISSED) on a miss.
set -u
: "${BUILD:=build}"
jitter=$BUILD/tests/tools/fleetjitter
[ -x "$jitter" ] || { echo "fleet_jitter: no $jitter" >&2; exit 1; }
T=$(mktemp -d)
SUBPID=""
# The tool lives deeper than the data-directory rule looks (build/tests/tools).
export LEDTICKER_FONTS_DIR="$(pwd)/fonts" LEDTICKER_BOARDS="$(pwd)/boards" \
       LEDTICKER_CALENDAR="$(pwd)/calendar"
. tests/fleet/broker.sh
trap 'kill $SUBPID 2>/dev/null; broker_stop; rm -rf "$T"' EXIT
fail() { echo "fleet_jitter: $*"; exit 1; }
broker_setup "$T/broker" bench || fail "broker_setup"
broker_start || fail "broker_start"
"$BUILD/ledticker" keygen --out "$T/newsroom" >/dev/null 2>&1 || fail "keygen"
cat > "$T/district.ini" <<'INI'
[message bench-notice]
headline = 社区通知：本周六上午九点开展义诊活动
INI
"$BUILD/ledticker" publish -c "$T/district.ini" --all --key "$T/newsroom.key" \
    --state-dir "$T/state" --out "$T/bundle" >"$T/pub.log" 2>&1 || fail "publish: $(cat "$T/pub.log")"
mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -u newsroom -P "$(cat "$(broker_pw newsroom)")" \
    -V mqttv5 -q 1 -r -t ledticker/v1/all/config -f "$T/bundle" || fail "mosquitto_pub"
cat > "$T/kiosk.ini" <<INI
[display]
board = hub75-256x32
[message local]
headline = 本地通知
[fleet]
broker = $BROKER_TLS_URL
site = bench
ca_file = $BROKER_CA
username = bench
password_file = $(broker_pw bench)
public_key = $T/newsroom.pub
cache_dir = $T/cache
INI
# Every status the client publishes, as the newsroom sees them.
mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -u newsroom -P "$(cat "$(broker_pw newsroom)")" \
    -V mqttv5 -t ledticker/v1/site/bench/status > "$T/statuses" 2>/dev/null &
SUBPID=$!
# Eight short rounds, each without then with the client, so that the
# machine's own load (2 cores shared) falls on both sets alike.
"$jitter" "$T/kiosk.ini" 8 2.5
rc=$?
sleep 0.5
online=$(grep -c '"online":true' "$T/statuses")
echo "status messages while the client ran: $online (the client was connected and publishing)"
[ "$online" -ge 16 ] || { echo "fleet_jitter: the client published $online statuses: MISSED"; rc=1; }
exit $rc
