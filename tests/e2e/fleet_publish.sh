#!/bin/sh
# ledticker publish, its network half, against a real broker with the
# shipped ACL over TLS (issue 13):
# - a publish to `all` is retained on ledticker/v1/all/config, byte for
#   byte the bundle the history keeps, and logged;
# - a site bundle whose message ID clashes with the retained `all` bundle
#   is refused (naming both places), nothing sent, nothing logged; one
#   without a clash goes out;
# - a kiosk's user trying to publish is refused by the broker's ACL
#   (MQTT 5 reason 135), reported with the broker's words, exit non-zero,
#   not logged, and the retained bundle stays the newsroom's;
# - a retained `all` bundle that does not verify with the newsroom's key
#   (no kiosk plays it) is warned about and cannot block a site bundle;
# - an emergency lands on .../emergency; a wrong password is an error.
. tests/e2e/tools/common.sh
. tests/fleet/broker.sh
trap 'broker_stop; rm -rf "$T"' EXIT
M=$BUILD/tests/tools/fleetmqtt
broker_setup "$T/broker" lishi-1 || fail "broker_setup"
broker_start || fail "broker_start"
"$LT" keygen --out "$T/news" > /dev/null || fail "keygen"
mkdir "$T/all" "$T/site" "$T/site2"
printf '[message town-hall]\nheadline = 市民中心今天开放\n' > "$T/all/all.ini"
printf '[message town-hall]\nheadline = 重复\n[message lishi-only]\nheadline = 只在这里\n' > "$T/site/site.ini"
printf '[message lishi-only]\nheadline = 只在这里\n' > "$T/site2/site.ini"
P="$LT publish --key $T/news.key --broker $BROKER_TLS_URL --ca-file $BROKER_CA --state-dir $T/state"
NEWS="--username newsroom --password-file $(broker_pw newsroom)"
retained() {   # TOPIC OUT: the retained message of TOPIC as the newsroom sees it
    mosquitto_sub -V 5 -h 127.0.0.1 -p "$BROKER_TLS_PORT" --cafile "$BROKER_CA" -u newsroom \
        -P "$(cat "$(broker_pw newsroom)")" -t "$1" -C 1 -W 3 -N > "$2" 2>/dev/null
}

$P -c "$T/all/all.ini" --all $NEWS > "$T/out" 2> "$T/err" || fail "publish --all: $(cat "$T/err")"
seq=$(sed -n 's/^publish ledticker\/v1\/all\/config seq \([0-9]*\) .*/\1/p' "$T/out")
[ -n "$seq" ] || fail "no publish line: $(cat "$T/out")"
retained ledticker/v1/all/config "$T/got" || fail "nothing retained on all/config"
cmp "$T/got" "$T/state/history/ledticker+v1+all+config/$seq.bundle" || fail "the retained bundle is not the one sent"
grep -q "action=publish topic=ledticker/v1/all/config seq=$seq " "$T/state/audit.log" || fail "not logged"

# The clash with the retained `all` bundle.
$P -c "$T/site/site.ini" --site lishi-1 $NEWS > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] || fail "clash: exit $rc: $(cat "$T/err")"
grep -q "site.ini:1: error: duplicate message ID 'town-hall' .*first defined at .*bundle.ini:1" "$T/err" ||
    fail "clash message: $(cat "$T/err")"
retained ledticker/v1/site/lishi-1/config "$T/got"
[ ! -s "$T/got" ] || fail "a clashing bundle was sent"
[ "$(grep -c . "$T/state/audit.log")" -eq 1 ] || fail "a refused publish was logged"
$P -c "$T/site2/site.ini" --site lishi-1 $NEWS > "$T/out" 2> "$T/err" || fail "site publish: $(cat "$T/err")"
retained ledticker/v1/site/lishi-1/config "$T/got" && [ -s "$T/got" ] || fail "the site bundle is not retained"
cp "$T/got" "$T/site-good"

# A kiosk's user may not publish: the broker's PUBACK says so.
$P -c "$T/site2/site.ini" --site lishi-1 --username lishi-1 --password-file "$(broker_pw lishi-1)" \
    > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] || fail "kiosk user: exit $rc: $(cat "$T/out" "$T/err")"
grep -q "the broker refused the bundle on ledticker/v1/site/lishi-1/config: Not authorized (reason 135); this broker user may not publish there (the ACL)" "$T/err" ||
    fail "kiosk user message: $(cat "$T/err")"
retained ledticker/v1/site/lishi-1/config "$T/got"
cmp -s "$T/got" "$T/site-good" || fail "the refused publish replaced the retained bundle"
[ "$(grep -c . "$T/state/audit.log")" -eq 2 ] || fail "a refused publish was logged"

# A retained `all` the newsroom's key did not sign: warned, no block.
"$BUILD/tests/tools/fleetswarm" keygen "$T/other" || fail "keygen other"
"$BUILD/tests/tools/fleetswarm" sign "$T/other.key" ledticker/v1/all/config "$(date +%s%3N)" "$T/evil" \
    bundle.ini="$T/site/site.ini" || fail "sign"
$M pub "$BROKER_TLS_URL" "$BROKER_CA" newsroom "$(broker_pw newsroom)" ledticker/v1/all/config "$T/evil" >/dev/null ||
    fail "inject"
$P -c "$T/site2/site.ini" --site lishi-1 $NEWS > "$T/out" 2> "$T/err" || fail "site publish over a bad all: $(cat "$T/err")"
grep -q "the retained .all. bundle does not verify (bundle not signed by a configured key)" "$T/err" ||
    fail "no warning about the unverified all bundle: $(cat "$T/err")"

# An emergency.
$P --emergency "暴雨红色预警" --all $NEWS > "$T/out" 2> "$T/err" || fail "emergency: $(cat "$T/err")"
retained ledticker/v1/all/emergency "$T/got" && grep -q "暴雨红色预警" "$T/got" || fail "no retained emergency"

# A wrong password.
$P -c "$T/site2/site.ini" --site lishi-1 --username newsroom --password-file "$(broker_pw lishi-1)" \
    > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "refused the connection: Not authorized" "$T/err" || fail "wrong password: $rc $(cat "$T/err")"
echo ok
