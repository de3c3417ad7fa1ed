# The scale harness's shell half, shared by tests/e2e/fleet_swarm.sh (100
# kiosks) and tests/bench/fleet_swarm.sh (1,000). Sourced after common.sh.
#   swarm_setup N        a broker with users swarm-0000.., the newsroom's
#                        keys, N kiosk clients in one process
#                        (tests/tools/fleetswarm), a newsroom subscriber
#                        that timestamps every status (mosquitto_sub %U);
#                        returns once all N said online
#   swarm_bundle TOPIC OUT NAME=FILE...   a signed bundle (seq = now in ms)
#   swarm_publish FILE TOPIC   sends it as the newsroom; T0 = the instant
#                        its client, connected, hands over the PUBLISH
#   swarm_converge TOPIC LAYER FILE LIMIT_S   waits until every kiosk's
#                        status shows FILE's payload hash for LAYER (the
#                        hash computed here, from the bundle's bytes);
#                        prints "n p50 p99 max first" in ms from T0
. tests/fleet/broker.sh
SW=$BUILD/tests/tools/fleetswarm
FM=$BUILD/tests/tools/fleetmqtt
[ -x "$SW" ] && [ -x "$FM" ] || fail "tests/tools not built ($SW, $FM)"
SWARM_PIDS=""
swarm_cleanup() {
    for _p in $SWARM_PIDS; do kill "$_p" 2>/dev/null; done
    for _p in $SWARM_PIDS; do wait "$_p" 2>/dev/null; done
    broker_stop
    rm -rf "$T"
}
trap swarm_cleanup EXIT

swarm_setup() {
    SWARM_N=$1
    sites=$(awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "swarm-%04d ", i }')
    # shellcheck disable=SC2086
    broker_setup "$T/broker" $sites || fail "broker_setup"
    broker_start || fail "broker_start"
    "$SW" keygen "$T/news" || fail "keygen"
    # The caches live on a tmpfs when there is one: 1,000 kiosks' fsyncs on
    # one shared disk would measure the disk, not the fleet (each real
    # kiosk has its own).
    SWARM_CACHE=$(mktemp -d "${SWARM_TMP:-/dev/shm}/swarm.XXXXXX" 2>/dev/null || mktemp -d)
    mkdir -p "$T"
    echo "$SWARM_CACHE" > "$T/cache-dir"
    : > "$T/status.log"
    mosquitto_sub -V 5 -h 127.0.0.1 -p "$BROKER_TLS_PORT" --cafile "$BROKER_CA" -u newsroom \
        -P "$(cat "$(broker_pw newsroom)")" -q 1 -t 'ledticker/v1/site/+/status' -F '%U %t %p' \
        > "$T/status.log" 2> "$T/sub.err" &
    SWARM_PIDS="$SWARM_PIDS $!"
    "$SW" run "$BROKER_TLS_URL" "$BROKER_CA" "$BROKER_DIR/pw" "$T/news.pub" "$SWARM_CACHE" swarm- \
        "$1" 3600 > "$T/swarm.out" 2> "$T/swarm.err" &
    SWARM_PID=$!
    SWARM_PIDS="$SWARM_PIDS $SWARM_PID"
    _i=0
    while [ "$(grep '"online":true' "$T/status.log" | awk '{ print $2 }' | sort -u | wc -l)" -lt "$1" ]; do
        _i=$((_i + 1))
        [ $_i -lt 1200 ] || fail "not all $1 kiosks came online: $(tail -3 "$T/swarm.err")"
        kill -0 "$SWARM_PID" 2>/dev/null || fail "fleetswarm died: $(cat "$T/swarm.err")"
        sleep 0.1
    done
}

swarm_bundle() {
    _topic=$1 _out=$2
    shift 2
    "$SW" sign "$T/news.key" "$_topic" "$(date +%s%3N)" "$_out" "$@" || fail "sign"
}

swarm_publish() {
    _o=$("$FM" pub "$BROKER_TLS_URL" "$BROKER_CA" newsroom "$(broker_pw newsroom)" "$2" "$1" \
         2> "$T/pub.err") || fail "publish on $2: $_o $(cat "$T/pub.err")"
    T0=$(sed -n 's/^sent at //p' "$T/pub.err")
    [ -n "$T0" ] || fail "publish on $2: no send time: $(cat "$T/pub.err")"
}

# The SHA-256 of a bundle's payload, from its bytes (not from our decoder):
# the payload runs from after the header's blank line to the 64-byte signature.
bundle_payload_sha() {
    python3 -c '
import hashlib, sys
b = open(sys.argv[1], "rb").read()
head = b.index(b"\n\n") + 2
print(hashlib.sha256(b[head:-64]).hexdigest())' "$1"
}

swarm_converge() {
    _sha=$(bundle_payload_sha "$3")
    # A cheap wait first (the figure comes from the timestamps, not from
    # when this loop notices), then the figures once.
    _i=0
    while [ "$(grep -F "\"$2\":{" "$T/status.log" | grep -F "$_sha" | awk '{ print $2 }' | sort -u | wc -l)" -lt "$SWARM_N" ]; do
        _i=$((_i + 1))
        [ $_i -le $(($4 * 5)) ] || break
        sleep 0.2
    done
    python3 - "$T/status.log" "$2" "$_sha" "$T0" "$SWARM_N" > "$T/conv" <<'PY'
import json, sys
log, layer, sha, t0, n = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
first = {}
for line in open(log, errors="replace"):
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) < 3:
        continue
    ts, topic, doc = float(parts[0]), parts[1], parts[2]
    if ts < t0 or topic in first:
        continue
    try:
        d = json.loads(doc)
    except ValueError:
        continue
    if d.get("layers", {}).get(layer, {}).get("sha256") == sha:
        first[topic] = ts
lat = sorted((t - t0) * 1000 for t in first.values())
if len(lat) < n:
    print(len(lat))
    sys.exit(1)
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat) + 0.999999) - 1)]
print("%d %.0f %.0f %.0f %.0f" % (len(lat), pick(0.50), pick(0.99), lat[-1], lat[0]))
PY
    if [ $? -ne 0 ]; then
        echo "only $(cat "$T/conv") of $SWARM_N kiosks showed $2 $_sha within $4 s" >&2
        return 1
    fi
    cat "$T/conv"
}
