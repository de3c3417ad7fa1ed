#!/bin/sh
# The fleet's MQTT client (src/fleet/mqttc.c) against a real mosquitto run
# with the shipped ACL (tests/fleet/broker.sh): TLS with the test CA, the
# password file, MQTT 5 PUBACK reason codes (a kiosk user's publish of a
# config is refused by the ACL and reported, 135), the ACL's read side, a
# wrong password and a wrong CA refused, a broker that never answers given
# up on after 15 s, the last will, and a subscriber
# that reconnects by itself after the broker was killed and restarted.
. tests/e2e/tools/common.sh
. tests/fleet/broker.sh
trap 'broker_stop; rm -rf "$T"' EXIT
M=$BUILD/tests/tools/fleetmqtt
[ -x "$M" ] || fail "$M not built"

broker_setup "$T/broker" lishi-1 lishi-2 || fail "broker_setup"
broker_start || fail "broker_start"
NEWS="$BROKER_TLS_URL $BROKER_CA newsroom $(broker_pw newsroom)"
K1="$BROKER_TLS_URL $BROKER_CA lishi-1 $(broker_pw lishi-1)"
printf 'config for lishi-1' > "$T/site1"
printf 'config for everyone' > "$T/all"
printf 'config for lishi-2' > "$T/site2"
printf 'evil' > "$T/evil"

# The newsroom may publish configs (TLS, verified against the test CA).
out=$($M pub $NEWS ledticker/v1/site/lishi-1/config "$T/site1") || fail "newsroom publish: $out"
[ "$out" = accepted ] || fail "newsroom publish: $out"
$M pub $NEWS ledticker/v1/all/config "$T/all" >/dev/null || fail "newsroom publish all"
$M pub $NEWS ledticker/v1/site/lishi-2/config "$T/site2" >/dev/null || fail "newsroom publish lishi-2"

# A kiosk user may not: the broker refuses with reason 135 and we say so.
out=$($M pub $K1 ledticker/v1/site/lishi-1/config "$T/evil"); rc=$?
[ $rc -eq 2 ] || fail "kiosk publishing its own config: exit $rc, not 2: $out"
[ "$out" = "refused 135 Not authorized" ] || fail "kiosk publish: $out"
out=$($M pub "$BROKER_TLS_URL" "$BROKER_CA" intruder "$(broker_pw intruder)" \
      ledticker/v1/all/emergency "$T/evil"); rc=$?
[ $rc -eq 2 ] && [ "$out" = "refused 135 Not authorized" ] || fail "intruder emergency: exit $rc: $out"
# ... but it may write its own status, and only its own.
out=$($M pub $K1 ledticker/v1/site/lishi-1/status "$T/site1") || fail "own status: $out"
out=$($M pub $K1 ledticker/v1/site/lishi-2/status "$T/site1"); rc=$?
[ $rc -eq 2 ] || fail "status of another site: exit $rc: $out"

# The read side: lishi-1 gets its own and the all bundle, retained, and
# nothing of lishi-2's even when it asks (nor any status, its own
# included: it only writes that); the refused publish left nothing.
$M sub $K1 2 'ledticker/v1/site/lishi-1/config' 'ledticker/v1/all/#' \
    'ledticker/v1/site/lishi-2/config' 'ledticker/v1/site/+/status' > "$T/sub1" || fail "sub"
sort "$T/sub1" > "$T/sub1.s"
cat > "$T/want1" <<EOF
ledticker/v1/all/config 19 retained config for everyone
ledticker/v1/site/lishi-1/config 18 retained config for lishi-1
up
EOF
diff "$T/want1" "$T/sub1.s" || fail "what lishi-1 reads"

# The same over the plain loopback listener.
$M sub "$BROKER_URL" - lishi-2 "$(broker_pw lishi-2)" 1 'ledticker/v1/site/lishi-2/config' > "$T/sub2"
grep -q '^ledticker/v1/site/lishi-2/config 18 retained config for lishi-2$' "$T/sub2" || fail "plain: $(cat "$T/sub2")"

# A wrong password: the CONNACK's reason (mosquitto says 135), exit 2.
echo wrong > "$T/badpw"
out=$($M pub "$BROKER_TLS_URL" "$BROKER_CA" newsroom "$T/badpw" ledticker/v1/all/config "$T/all" 2>"$T/err"); rc=$?
[ $rc -eq 2 ] || fail "wrong password: exit $rc: $out $(cat "$T/err")"
grep -q 'refused the connection: Not authorized' "$T/err" || fail "wrong password message: $(cat "$T/err")"
# A CA that did not sign the broker's certificate: no connection, exit 3.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/o.key" \
    -out "$T/other-ca.crt" -days 1 -subj "/CN=other" >/dev/null 2>&1
out=$($M pub "$BROKER_TLS_URL" "$T/other-ca.crt" newsroom "$(broker_pw newsroom)" \
      ledticker/v1/all/config "$T/all" 2>"$T/err"); rc=$?
[ $rc -eq 3 ] || fail "other CA: exit $rc: $out $(cat "$T/err")"
grep -q "cannot connect to the broker 127.0.0.1:$BROKER_TLS_PORT: A TLS error occurred" "$T/err" ||
    fail "other CA: no TLS message: $(cat "$T/err")"
# A password file that is not there: named.
out=$($M pub "$BROKER_TLS_URL" "$BROKER_CA" newsroom "$T/nope" ledticker/v1/all/config "$T/all" 2>"$T/err"); rc=$?
[ $rc -eq 1 ] && grep -q "$T/nope: cannot read the broker password" "$T/err" || fail "missing password file: $rc $(cat "$T/err")"

# A broker that takes the connection and never answers (a listening
# socket nobody accepts from): the connect does not hang; after 15 s it is
# a failed attempt, retried with backoff.
silent=$(broker_free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); time.sleep(60)' "$silent" &
sil=$!
sleep 0.5
start=$(date +%s)
$M sub "mqtts://127.0.0.1:$silent" "$BROKER_CA" newsroom "$(broker_pw newsroom)" 19 t > "$T/sil" 2> "$T/sil.err"
took=$(( $(date +%s) - start ))
kill $sil; wait $sil 2>/dev/null
grep -q "cannot connect to the broker 127.0.0.1:$silent: no answer within 15 s; retrying with backoff" "$T/sil.err" ||
    fail "silent broker: $(cat "$T/sil.err")"
[ "$took" -le 22 ] || fail "silent broker: the client hung ($took s for a 19 s run)"

# The last will: a kiosk killed without a word is marked offline.
$M sub $NEWS 30 'ledticker/v1/site/+/status' > "$T/watch" 2>"$T/watch.err" &
watch=$!
$M will $K1 ledticker/v1/site/lishi-1/status '{"site":"lishi-1","online":false}' > "$T/will" &
w=$!
i=0; until grep -q '^up$' "$T/will" 2>/dev/null; do i=$((i + 1)); [ $i -lt 100 ] || fail "will client never up"; sleep 0.1; done
kill -9 $w; wait $w 2>/dev/null
i=0; until grep -q 'status 33 live {"site":"lishi-1","online":false}' "$T/watch"; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "no last will: $(cat "$T/watch")"; sleep 0.1; done

# The broker dies and comes back on the same ports: the subscriber above
# reconnects by itself (backoff: within a few seconds) and gets what is
# published afterwards.
broker_kill
sleep 1
broker_start || fail "restart"
i=0; until [ "$(grep -c '^up$' "$T/watch")" -ge 2 ]; do
    i=$((i + 1)); [ $i -lt 150 ] || fail "no reconnect: $(cat "$T/watch") $(cat "$T/watch.err")"; sleep 0.1; done
grep -q '^down$' "$T/watch" || fail "the loss was not seen"
grep -q 'lost the broker' "$T/watch.err" || fail "the loss was not logged: $(cat "$T/watch.err")"
grep -q 'connected to the broker 127.0.0.1:[0-9]* again' "$T/watch.err" || fail "the reconnect was not logged"
printf 'after restart' > "$T/after"
$M pub $K1 ledticker/v1/site/lishi-1/status "$T/after" >/dev/null || fail "publish after restart"
i=0; until grep -q 'status 13 live after restart' "$T/watch"; do
    i=$((i + 1)); [ $i -lt 50 ] || fail "nothing after the restart: $(cat "$T/watch")"; sleep 0.1; done
kill $watch; wait $watch 2>/dev/null
echo "ok"
