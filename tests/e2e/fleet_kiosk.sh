#!/bin/sh
# One kiosk client on its own thread (kiosk_start, as `run` has it) with a
# frame loop's state fed in (kiosk_set_state): offline first, status,
# reconnect. Against a real broker with the shipped ACL, over TLS.
# - Started while the broker is down: it starts (no waiting), and once the
#   broker is up it connects by itself (backoff) and reports the bundle
#   its cache held from before, without any publish: seq and hash in use.
# - The status follows the loop: "playing" and the controller as set,
#   frames rising in the periodic status.
# - A bundle published while it runs is applied; the broker killed and
#   restarted: it reconnects, the retained bundle it already has is not
#   applied again (applied stays 1), and a new one is.
# - Stopped, it is offline at once (MQTT 5 disconnect with will).
. tests/e2e/tools/common.sh
. tests/fleet/swarm.sh
broker_setup "$T/broker" lishi-1 || fail "broker_setup"
"$SW" keygen "$T/news" || fail "keygen"
printf '[message a]\nheadline = 第一条\n' > "$T/a.ini"
printf '[message b]\nheadline = 第二条\n' > "$T/b.ini"
printf '[message c]\nheadline = 第三条\n' > "$T/c.ini"
KIOSK="$BROKER_TLS_URL $BROKER_CA $(broker_pw lishi-1) $T/news.pub $T/cache lishi-1"
mkdir -p "$T/cache"
: > "$T/status.log"
watch() {
    mosquitto_sub -V 5 -h 127.0.0.1 -p "$BROKER_TLS_PORT" --cafile "$BROKER_CA" -u newsroom \
        -P "$(cat "$(broker_pw newsroom)")" -t 'ledticker/v1/site/+/status' -F '%t %p' >> "$T/status.log" 2>/dev/null &
    SWARM_PIDS="$SWARM_PIDS $!"
}
wait_status() {   # PATTERN (grep -F) [SECONDS]
    i=0
    until grep -qF "$1" "$T/status.log"; do
        i=$((i + 1)); [ $i -lt $((${2:-20} * 10)) ] || fail "no status with $1: $(tail -2 "$T/status.log")"; sleep 0.1
    done
}
# A first life: the bundle a gets into the cache.
broker_start || fail "broker_start"
watch
"$SW" one $KIOSK 600 > "$T/one1.out" 2> "$T/one1.err" &
pid=$!
SWARM_PIDS="$SWARM_PIDS $pid"
wait_status '"site":"lishi-1","online":true'
swarm_bundle ledticker/v1/site/lishi-1/config "$T/a.bundle" bundle.ini="$T/a.ini"
swarm_publish "$T/a.bundle" ledticker/v1/site/lishi-1/config
sha_a=$(bundle_payload_sha "$T/a.bundle")
wait_status "\"site\":{\"seq\":$(sed -n 3p "$T/a.bundle" | cut -d' ' -f2),\"sha256\":\"$sha_a\""
wait_status '"playing":"notice-' 10
wait_status '"controller":"ledctl-test (usb 1-2)"' 10
grep -qE '"frames":[1-9][0-9]+,' "$T/status.log" || fail "the frames counter did not rise: $(tail -1 "$T/status.log")"
kill $pid; wait $pid
wait_status '{"site":"lishi-1","online":false}' 10
grep -q '^applied 1 refused 0$' "$T/one1.out" || fail "first life: $(cat "$T/one1.out" "$T/one1.err")"

# The broker goes away (its retained bundle with it: no persistence save
# on SIGKILL) and the kiosk starts without it.
broker_kill
: > "$T/status.log"
"$SW" one $KIOSK 600 > "$T/one2.out" 2> "$T/one2.err" &
pid=$!
SWARM_PIDS="$SWARM_PIDS $pid"
sleep 2
kill -0 $pid || fail "the kiosk did not keep running without the broker"
grep -q 'cannot connect to the broker 127.0.0.1' "$T/one2.err" || fail "no warning: $(cat "$T/one2.err")"
rm -rf "$T/broker/db"/*
broker_start || fail "restart"
watch
wait_status "\"sha256\":\"$sha_a\"" 40                 # from the cache, nothing published
grep -F "$sha_a" "$T/status.log" | grep -qF '"applied":0' || fail "the cached bundle counted as applied"
grep -q 'connected to the broker 127.0.0.1:[0-9]* again' "$T/one2.err" || fail "reconnect not logged"

# A new bundle while it runs; then the broker killed and back: the
# retained b comes again and is not applied twice; c is applied.
swarm_bundle ledticker/v1/site/lishi-1/config "$T/b.bundle" bundle.ini="$T/b.ini"
swarm_publish "$T/b.bundle" ledticker/v1/site/lishi-1/config
wait_status "\"sha256\":\"$(bundle_payload_sha "$T/b.bundle")\""
kill -TERM "$BROKER_PID"; wait "$BROKER_PID"; BROKER_PID=""   # a clean stop saves the retained b
broker_start || fail "restart 2"
watch
i=0; until [ "$(grep -c 'connected to the broker 127.0.0.1:[0-9]* again' "$T/one2.err")" -ge 2 ]; do
    i=$((i + 1)); [ $i -lt 400 ] || fail "no second reconnect: $(cat "$T/one2.err")"; sleep 0.1; done
swarm_bundle ledticker/v1/site/lishi-1/config "$T/c.bundle" bundle.ini="$T/c.ini"
swarm_publish "$T/c.bundle" ledticker/v1/site/lishi-1/config
wait_status "\"sha256\":\"$(bundle_payload_sha "$T/c.bundle")\""
cmp -s "$T/c.ini" "$T/cache/site/current/bundle.ini" || fail "c not in the cache"
kill $pid; wait $pid
grep -q '^applied 2 refused 0$' "$T/one2.out" || fail "second life: $(cat "$T/one2.out" "$T/one2.err")"
echo ok
