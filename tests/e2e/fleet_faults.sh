#!/bin/sh
# The fleet's faults (issue 13, "Faults"), with a real mosquitto and real
# `ledticker run` kiosks on the record: output:
#   1. The broker is killed (SIGKILL) while two kiosks play: their recorded
#      frames go on at the frame rate without a gap; after the broker
#      restarts, a new publish reaches both (they reconnect by themselves).
#   2. A kiosk is stopped, the config is published twice, and the kiosk is
#      started while the broker is down: it plays its cache at once; when
#      the broker is back it takes the latest bundle (not the one between).
. tests/e2e/tools/common.sh
. tests/e2e/tools/faults.sh
. tests/e2e/tools/fleet.sh
fleet_setup k1 k2
for k in k1 k2; do kiosk_ini "$T/$k" "$k"; done
district() {    # FILE ID HEADLINE
    printf '[message %s]\nheadline = %s\ncolor = #00FF00\n' "$2" "$3" > "$1"
}
pub() {         # ID HEADLINE: publishes to all, prints the sequence number
    district "$T/$1.ini" "$1" "$2"
    publish -c "$T/$1.ini" --all > "$T/$1.log" 2>&1 || fail "publish $1: $(cat "$T/$1.log")"
    sed -n 's/.*seq \([0-9][0-9]*\).*/\1/p' "$T/$1.log" | head -1
}
# 1. The broker dies under two playing kiosks.
s1=$(pub notice-one "第一条通知：社区活动室开放时间调整")
for k in k1 k2; do kiosk_run "$T/$k" "2026-03-02 10:00:00" 300 2; done
for k in k1 k2; do wait_status "$k" "\"all\":\\{\"seq\":$s1" 30; done
broker_kill
sleep 4
for k in k1 k2; do kill -0 "$(cat "$T/$k/pid")" || fail "$k died with the broker"; done
broker_start || fail "the broker does not restart"
s2=$(pub notice-two "第二条通知：下周一起恢复正常供水")
for k in k1 k2; do wait_status "$k" "\"all\":\\{\"seq\":$s2" 40; done
for k in k1 k2; do
    wait_count "$T/$k/play.log" " notice-two " 1 30
    kill -TERM "$(cat "$T/$k/pid")"
    kiosk_wait "$T/$k"
    check_frames "$T/$k/rec.bin" 20 2      # reloads included: they are built off the loop
done
echo "broker killed: frames went on; after the restart both kiosks took seq $s2"

# 2. k1 is off while the config changes twice; it starts with no broker.
pub notice-three "第三条通知：图书馆闭馆一天" >/dev/null
s4=$(pub notice-four "第四条通知：义务植树活动报名")
broker_stop
: > "$T/k1/play.log"
kiosk_run "$T/k1" "2026-03-02 11:00:00" 120 2
# It plays its cache at once (seq s2): the first pass is notice-two.
wait_count "$T/k1/play.log" . 1 30
head -1 "$T/k1/play.log" | grep -q " notice-two " ||
    fail "k1 did not start on its cache: $(head -3 "$T/k1/play.log")"
broker_start || fail "the broker does not restart"
wait_status k1 "\"all\":\\{\"seq\":$s4" 60
wait_count "$T/k1/play.log" " notice-four " 1 40
grep -q " notice-three " "$T/k1/play.log" && fail "k1 played the bundle in between"
kill -TERM "$(cat "$T/k1/pid")"
kiosk_wait "$T/k1"
echo "kiosk off during two publishes: played its cache (seq $s2), then took seq $s4"
echo "fleet_faults: ok"
