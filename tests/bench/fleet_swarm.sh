#!/bin/sh
# Scale bench (issue 13): 1,000 kiosk clients in one process (tests/tools/
# fleetswarm, the project's own src/fleet/kiosk.c: decode, verify, stage,
# parse the config, commit, status) and the broker, all on this machine,
# over TLS with the shipped ACL. Measured from the publish (the instant
# the newsroom's client, already connected, hands the PUBLISH over) to the
# status message of each kiosk that first shows the new hash (timestamped
# by a newsroom subscriber on ledticker/v1/site/+/status).
#   goal: a publish to `all` reaches all 1,000 in under 2 s (max)
#   goal: an emergency to `all` reaches all 1,000 in under 1 s (max)
# Prints MISSED and exits non-zero when a goal is missed.
. tests/e2e/tools/common.sh
. tests/fleet/swarm.sh
N=${FLEET_SWARM_N:-1000}
swarm_setup $N
echo "fleet_swarm: $N kiosks online (TLS, one broker, one client process; caches on $(df --output=fstype "$(cat "$T/cache-dir")" | tail -1))"
status=0
report() {   # NAME GOAL_MS "n p50 p99 max first"
    set -- "$1" "$2" $3
    verdict=ok
    [ "$6" -lt "$2" ] || { verdict=MISSED; status=1; }
    printf '%-18s first %4s ms  p50 %4s ms  p99 %4s ms  max %4s ms   goal: all %s in < %s ms   %s\n' \
        "$1" "$7" "$4" "$5" "$6" "$3" "$2" "$verdict"
}
sed -n '/^\[message /,$p' examples/lishi.ini > "$T/all.ini"
swarm_bundle ledticker/v1/all/config "$T/all.bundle" bundle.ini="$T/all.ini"
echo "bundle: $(wc -c < "$T/all.bundle") bytes (the [message] sections of examples/lishi.ini)"
sleep 1
swarm_publish "$T/all.bundle" ledticker/v1/all/config
conv=$(swarm_converge ledticker/v1/all/config all "$T/all.bundle" 60) || { echo "MISSED: no convergence"; exit 1; }
report "publish to all" 2000 "$conv"

cat > "$T/em.ini" <<'INI'
[message fleet-emergency-all]
headline = 紧急通知：暴雨红色预警，请勿外出
emergency = yes
color = #ff0000
INI
swarm_bundle ledticker/v1/all/emergency "$T/em.bundle" bundle.ini="$T/em.ini"
sleep 1
swarm_publish "$T/em.bundle" ledticker/v1/all/emergency
conv=$(swarm_converge ledticker/v1/all/emergency all-emergency "$T/em.bundle" 60) || { echo "MISSED: no convergence"; exit 1; }
report "emergency to all" 1000 "$conv"
rm -rf "$(cat "$T/cache-dir")"
exit $status
