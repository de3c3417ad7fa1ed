#!/bin/sh
# ledticker fleet status against a real broker with the shipped ACL: one
# row per site from the retained statuses (online, the layers' hashes, the
# latest "since", controller, last error), an offline site from its last
# will, a status that is not JSON shown as such (a kiosk wrote it: never
# trusted), control bytes in a field not printed raw; --json re-serialised
# and sorted by site; a kiosk user sees no status (the ACL); a wrong
# password exits 1 with the broker's reason.
. tests/e2e/tools/common.sh
. tests/fleet/broker.sh
trap 'broker_stop; rm -rf "$T"' EXIT
M=$BUILD/tests/tools/fleetmqtt
broker_setup "$T/broker" lishi-1 lishi-2 lishi-3 || fail "broker_setup"
broker_start || fail "broker_start"
FS="$LT fleet status --broker $BROKER_TLS_URL --ca-file $BROKER_CA --password-file $(broker_pw newsroom) --wait 700"
send() {   # SITE FILE: the status as that kiosk's user
    out=$($M pub "$BROKER_TLS_URL" "$BROKER_CA" "$1" "$(broker_pw "$1")" "ledticker/v1/site/$1/status" "$2") ||
        fail "status of $1: $out"
}
sha_a=3fa2c9d1e0aa0000000000000000000000000000000000000000000000000001
sha_s=9c41aa00bb110000000000000000000000000000000000000000000000000002
printf '%s' '{"site":"lishi-2","online":true,"time":"2026-12-01T15:00:00+08:00","layers":{"all":{"seq":1764572400000,"sha256":"'$sha_a'","since":"2026-12-01T14:58:02+08:00"},"site":{"seq":1764572460000,"sha256":"'$sha_s'","since":"2026-12-01T14:59:05+08:00"}},"playing":"notice-1, weather","controller":"usb 1-2","counters":{"frames":100,"dropped":0,"applied":2,"refused":1},"last_error":"refused site seq 7: bad\u0007 signature"}' > "$T/s2"
send lishi-2 "$T/s2"
printf 'garbage{' > "$T/s3"
send lishi-3 "$T/s3"
# lishi-1 is a kiosk that went away: its last will is what stays.
$M will "$BROKER_TLS_URL" "$BROKER_CA" lishi-1 "$(broker_pw lishi-1)" ledticker/v1/site/lishi-1/status \
    '{"site":"lishi-1","online":false}' > "$T/will" &
w=$!
i=0; until grep -q '^up$' "$T/will" 2>/dev/null; do i=$((i + 1)); [ $i -lt 100 ] || fail "will client"; sleep 0.1; done
kill -9 $w; wait $w 2>/dev/null

i=0
until $FS > "$T/table" 2>"$T/err" && grep -q '^lishi-1 ' "$T/table"; do
    i=$((i + 1)); [ $i -lt 20 ] || fail "no offline row: $(cat "$T/table" "$T/err")"; sleep 0.5
done
cat "$T/table"
head -1 "$T/table" | grep -q '^SITE  *STATE  *ALL  *SITE-BUNDLE  *ALL-EMERG  *SITE-EMERG  *SINCE  *CONTROLLER  *LAST ERROR$' ||
    fail "header"
[ "$(wc -l < "$T/table")" -eq 4 ] || fail "not one row per site"
sed -n 2p "$T/table" | grep -q '^lishi-1  *offline  *-  *-  *-  *-  *-  *-  *-$' || fail "offline row"
sed -n 3p "$T/table" | grep -q '^lishi-2  *online  *3fa2c9d1e0aa  *9c41aa00bb11  *-  *-  *2026-12-01T14:59:05+08:00  *usb 1-2  *refused site seq 7: bad? signature$' ||
    fail "online row"
sed -n 4p "$T/table" | grep -q '^lishi-3  *?  *(the status is not a JSON object)$' || fail "garbage row"

$FS --json > "$T/json" || fail "--json"
python3 - "$T/json" "$sha_s" <<'PY' || fail "--json content: $(cat "$T/json")"
import json, sys
a = json.load(open(sys.argv[1]))
assert [s["site"] for s in a] == ["lishi-1", "lishi-2", "lishi-3"], a
assert a[0] == {"site": "lishi-1", "online": False}, a[0]
assert a[1]["layers"]["site"]["sha256"] == sys.argv[2]
assert a[1]["counters"]["refused"] == 1 and a[1]["last_error"].endswith("bad\u0007 signature")
assert a[2] == {"site": "lishi-3", "invalid": True}, a[2]
PY

# A kiosk's user reads no status at all.
$LT fleet status --broker "$BROKER_TLS_URL" --ca-file "$BROKER_CA" --username lishi-2 \
    --password-file "$(broker_pw lishi-2)" --wait 500 > "$T/k" || fail "as a kiosk: exit $?"
grep -q '^no kiosk has reported a status' "$T/k" || fail "a kiosk user read statuses: $(cat "$T/k")"
# The wrong password.
$LT fleet status --broker "$BROKER_TLS_URL" --ca-file "$BROKER_CA" \
    --password-file "$(broker_pw lishi-2)" --wait 500 > "$T/o" 2>"$T/e"; rc=$?
[ $rc -eq 1 ] || fail "wrong password: exit $rc"
grep -q 'refused the connection: Not authorized' "$T/e" || fail "wrong password: $(cat "$T/e")"
# Usage.
$LT fleet status > /dev/null 2>&1; [ $? -eq 2 ] || fail "no --broker: not exit 2"
$LT fleet status --broker ftp://x > /dev/null 2>"$T/e"; [ $? -eq 1 ] || fail "bad URL: not exit 1"
grep -q "broker 'ftp://x': not an MQTT URL" "$T/e" || fail "bad URL message: $(cat "$T/e")"
echo ok
