#!/bin/sh
# What a kiosk refuses (issue 13, "Bad input"): each bundle below reaches a
# running kiosk through the real broker as a retained message on its site's
# topic (sent as the newsroom user, so that only the kiosk's own checks
# stand in the way). Each is refused, the refusal is on the status topic
# (last_error names the reason, the refused counter rises), the sequence
# number in use stays the good bundle's, and the good config plays on:
#   signed with another key; an older bundle replayed; a bundle for another
#   site; a wrong hash; a `../` name; a bundle with [display]; ten times
#   the size limit; a config with an error; a truncated message.
# Then a kiosk user tries to publish a config: the broker's ACL refuses it,
# publish says so and fails, and no kiosk applies it.
# The odd bundles come from tests/tools/bundlecraft (the wire format of
# src/fleet/bundle.h, signed with a key it is given).
. tests/e2e/tools/common.sh
. tests/e2e/tools/faults.sh
# The ten-times bundle must get through the broker to reach the kiosk.
BROKER_MESSAGE_SIZE_LIMIT=0
. tests/e2e/tools/fleet.sh
CRAFT=$BUILD/tests/tools/bundlecraft
[ -x "$CRAFT" ] || fail "no $CRAFT"
fleet_setup k1 k2
kiosk_ini "$T/k1" k1
TOPIC=ledticker/v1/site/k1/config
SUB="mosquitto_sub -h 127.0.0.1 -p $BROKER_PORT -u newsroom -P $(cat "$(broker_pw newsroom)") -V mqttv5 -N -C 1 -W 3"

cat > "$T/v1.ini" <<'INI'
[message old-notice]
headline = 旧通知
color = #FF0000
INI
cat > "$T/good.ini" <<'INI'
[message water-cut]
headline = 停水通知：周四九点至十七点东区停水
color = #00FF00
INI
publish -c "$T/v1.ini" --site k1 > "$T/pub.log" 2>&1 || fail "publish v1: $(cat "$T/pub.log")"
$SUB -t "$TOPIC" > "$T/old.bundle" || fail "cannot read the retained v1 bundle"
publish -c "$T/good.ini" --site k1 > "$T/pub.log" 2>&1 || fail "publish good: $(cat "$T/pub.log")"
good=$(sed -n 's/.*seq \([0-9][0-9]*\).*/\1/p' "$T/pub.log" | head -1)
[ -n "$good" ] || fail "publish does not say its sequence number: $(cat "$T/pub.log")"
publish -c "$T/good.ini" --site k2 > "$T/pub.log" 2>&1 || fail "publish for k2: $(cat "$T/pub.log")"
$SUB -t ledticker/v1/site/k2/config > "$T/k2.bundle" || fail "cannot read k2's bundle"

kiosk_run "$T/k1" "2026-03-02 10:00:00" 3600 1
wait_status k1 "\"site\":\\{\"seq\":$good" 30
wait_count "$T/k1/play.log" " water-cut " 1 30

# The odd bundles.
"$LT" keygen --out "$T/other" >/dev/null 2>&1 || fail "keygen other"
printf '[display]\nbrightness = 100\n[message x]\nheadline = 越权\n' > "$T/display.ini"
printf '[message x]\nheadline = 错误\ncolor = #GG0000\n' > "$T/broken.ini"
printf '[message y]\nheadline = 越界\n' > "$T/y.ini"
printf 'include = sub/y.ini\n' > "$T/incl.ini"
craft() { "$CRAFT" --topic "$TOPIC" "$@"; }
craft --key "$T/other.key" bundle.ini="$T/good.ini" > "$T/b.otherkey" || fail "craft"
craft --key "$T/newsroom.key" --bad-hash bundle.ini="$T/good.ini" > "$T/b.hash" || fail "craft"
craft --key "$T/newsroom.key" bundle.ini="$T/incl.ini" ../y.ini="$T/y.ini" > "$T/b.dotdot" || fail "craft"
craft --key "$T/newsroom.key" bundle.ini="$T/display.ini" > "$T/b.display" || fail "craft"
craft --key "$T/newsroom.key" --pad 41943040 bundle.ini="$T/good.ini" > "$T/b.huge" || fail "craft"
craft --key "$T/newsroom.key" bundle.ini="$T/broken.ini" > "$T/b.broken" || fail "craft"
craft --key "$T/newsroom.key" bundle.ini="$T/good.ini" > "$T/b.full" || fail "craft"
head -c 150 "$T/b.full" > "$T/b.truncated"
[ "$(wc -c < "$T/b.huge")" -gt 41943040 ] || fail "the huge bundle is not ten times the limit"

n=0
refuse() {   # FILE WHY: inject it and wait for its refusal on the status topic
    n=$((n + 1))
    inject "$TOPIC" "$1"
    wait_status k1 "\"refused\":${n}[,}]" 30
    s=$(status k1)
    echo "$s" | grep -q "\"last_error\":\"refused site[^\"]*$2" ||
        fail "${1##*/}: the status does not say '$2': $s"
    echo "$s" | grep -q "\"site\":{\"seq\":$good," || fail "${1##*/}: the good bundle is no longer in use: $s"
    echo "refused ${1##*/}: $(echo "$s" | sed 's/.*"last_error":"\([^"]*\)".*/\1/')"
}
refuse "$T/b.otherkey" "not signed by a configured key"
refuse "$T/old.bundle" "not newer than the one in use"
refuse "$T/k2.bundle" "meant for another topic"
refuse "$T/b.hash" "does not match its SHA-256"
refuse "$T/b.dotdot" "bad file name"
refuse "$T/b.display" "\\[display\\]"
refuse "$T/b.huge" "larger than the 4 MiB limit"
refuse "$T/b.broken" "#GG0000"
refuse "$T/b.truncated" "truncated or malformed"

# A kiosk user publishing a config: the ACL refuses it (MQTT 5 reason 135).
out=$("$LT" publish --broker "$BROKER_TLS_URL" --ca-file "$BROKER_CA" --username k1 \
      --password-file "$(broker_pw k1)" --key "$T/newsroom.key" -c "$T/v1.ini" --site k1 2>&1)
rc=$?
[ $rc -ne 0 ] || fail "a kiosk user's publish succeeded: $out"
echo "$out" | grep -qi "not authorized" || fail "publish does not say the broker refused it: $out"
echo "kiosk user's publish: exit $rc: $(echo "$out" | grep -i 'not authorized' | head -1)"
sleep 2
status k1 | grep -q "\"site\":{\"seq\":$good," || fail "the kiosk applied the refused publish: $(status k1)"

# The good config kept playing throughout, and stops cleanly.
m=$(grep -c " water-cut " "$T/k1/play.log")
wait_count "$T/k1/play.log" " water-cut " $((m + 1)) 30
grep -q " old-notice \| x " "$T/k1/play.log" && fail "a refused bundle played: $(cat "$T/k1/play.log")"
kill -TERM "$(cat "$T/k1/pid")"
kiosk_wait "$T/k1"
# One reload in all: the good bundle's; nothing refused reached the reload path.
[ "$(grep -c "info: reloaded " "$T/k1/err")" = 1 ] || fail "k1 reloaded more than once: $(grep reloaded "$T/k1/err")"
echo "fleet_refuse: ok"
