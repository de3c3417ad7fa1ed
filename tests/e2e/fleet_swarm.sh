#!/bin/sh
# Scale (issue 13): 100 kiosk clients in one process (tests/tools/
# fleetswarm: the project's own src/fleet/kiosk.c, each with its own cache
# and MQTT user, a check that parses the config and renders nothing) on a
# real broker with the shipped ACL, over TLS. A publish to `all` converges:
# every kiosk's status shows the new bundle's hash (computed here from the
# bundle's bytes) and its cache holds the file. Then bundles every kiosk
# must refuse, each reported on every status while the good bundle stays
# in use and in the cache: another key, a replay of an older bundle, a
# truncated message, a config with an error; and a bundle for one site
# sent to another's topic. How fast, with 1,000: make bench.
. tests/e2e/tools/common.sh
. tests/fleet/swarm.sh
N=100
swarm_setup $N
cat > "$T/all.ini" <<'INI'
[message swarm-notice]
headline = 社区服务中心今天开放到晚上八点
INI
swarm_bundle ledticker/v1/all/config "$T/all.bundle" bundle.ini="$T/all.ini"
swarm_publish "$T/all.bundle" ledticker/v1/all/config
conv=$(swarm_converge ledticker/v1/all/config all "$T/all.bundle" 120) || fail "no convergence"
echo "converged: $conv (n p50 p99 max first, ms from the publish)"
C=$(cat "$T/cache-dir")
for s in swarm-0000 swarm-0042 swarm-0099; do
    cmp -s "$T/all.ini" "$C/$s/all/current/bundle.ini" || fail "$s: the cached bundle.ini is not the published one"
done

# wait_refused TEXT COUNT: every kiosk's status reported the refusal TEXT,
# with the refused counter at COUNT, and still shows the good bundle.
wait_refused() {
    i=0
    while [ "$(grep -F "$1" "$T/status.log" | grep -F "\"refused\":$2}" | grep -F "$good" |
               awk '{ print $2 }' | sort -u | wc -l)" -lt $N ]; do
        i=$((i + 1))
        [ $i -lt 300 ] || fail "not every kiosk reported '$1' (refused $2): $(tail -1 "$T/status.log")"
        sleep 0.2
    done
}
good=$(bundle_payload_sha "$T/all.bundle")

# Signed with another key.
"$SW" keygen "$T/other" || fail "keygen"
"$SW" sign "$T/other.key" ledticker/v1/all/config "$(date +%s%3N)" "$T/evil.bundle" bundle.ini="$T/all.ini" ||
    fail "sign"
swarm_publish "$T/evil.bundle" ledticker/v1/all/config
wait_refused '"last_error":"refused all: bundle not signed by a configured key"' 1

# A newer good one is taken; then the first one again (a replay) is not.
sed 's/晚上八点/晚上九点/' "$T/all.ini" > "$T/all2.ini"
swarm_bundle ledticker/v1/all/config "$T/all2.bundle" bundle.ini="$T/all2.ini"
swarm_publish "$T/all2.bundle" ledticker/v1/all/config
swarm_converge ledticker/v1/all/config all "$T/all2.bundle" 120 >/dev/null || fail "the second bundle"
good=$(bundle_payload_sha "$T/all2.bundle")
swarm_publish "$T/all.bundle" ledticker/v1/all/config
wait_refused '"last_error":"refused all: bundle not newer than the one in use (replay)"' 2

# A truncated message.
swarm_bundle ledticker/v1/all/config "$T/all3.bundle" bundle.ini="$T/all.ini"
head -c 150 "$T/all3.bundle" > "$T/cut.bundle"
swarm_publish "$T/cut.bundle" ledticker/v1/all/config
wait_refused '"last_error":"refused all: bundle truncated or malformed"' 3

# A config with an error: signed and whole, refused by the config check,
# with the bundle's seq and the parser's FILE:LINE.
printf '[message broken]\nheadline = x\ncolor = nocolour\n' > "$T/bad.ini"
swarm_bundle ledticker/v1/all/config "$T/bad.bundle" bundle.ini="$T/bad.ini"
seq=$(sed -n 3p "$T/bad.bundle" | cut -d' ' -f2)
swarm_publish "$T/bad.bundle" ledticker/v1/all/config
wait_refused "\"last_error\":\"refused all seq $seq: " 4
grep -F "refused all seq $seq: " "$T/status.log" | tail -1 | grep -q 'bundle.ini:3: ' ||
    fail "the config error does not name bundle.ini:3: $(tail -1 "$T/status.log")"
# None of them touched the cache.
for s in swarm-0000 swarm-0099; do
    cmp -s "$T/all2.ini" "$C/$s/all/current/bundle.ini" || fail "$s: a refused bundle touched the cache"
done

# A bundle for one site sent to another's topic: refused by that kiosk only.
swarm_bundle ledticker/v1/site/swarm-0001/config "$T/s1.bundle" bundle.ini="$T/all.ini"
swarm_publish "$T/s1.bundle" ledticker/v1/site/swarm-0000/config
i=0
until grep -F 'ledticker/v1/site/swarm-0000/status' "$T/status.log" |
      grep -qF '"last_error":"refused site: bundle meant for another topic"'; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "swarm-0000 did not refuse another site's bundle"; sleep 0.2
done
[ ! -e "$C/swarm-0000/site/current" ] || fail "swarm-0000 stored another site's bundle"

kill "$SWARM_PID"; wait "$SWARM_PID"
cat "$T/swarm.out"
grep -q "^applied $((N * 2)) refused $((N * 4 + 1))\$" "$T/swarm.out" || fail "counters: $(cat "$T/swarm.out")"
rm -rf "$C"
grep -F swarm-0007/status "$T/status.log" | tail -2 | head -1
echo ok
