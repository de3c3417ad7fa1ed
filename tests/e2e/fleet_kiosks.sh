#!/bin/sh
# A district's kiosks from one newsroom (issue 13, "End to end"): a real
# mosquitto on 127.0.0.1 (TLS, its own CA, the shipped ACL), the real
# `ledticker keygen` and `publish`, and real `ledticker run` kiosks on the
# record: output.
#   1. Three kiosks started after a publish play it: each takes the
#      retained bundle, stores it in its cache and reloads, and its recorded
#      frame at 10:00:20 equals `preview` of its layered config (the local
#      file plus the cached bundle) at the same clock time. The bundle's
#      messages start at 10:00, so the reload (before 10:00) cuts no pass
#      and the frame is a function of the config and the time only.
#   2. A fourth kiosk already running when a second publish arrives: its
#      play log has the new messages from the pass after the one under way
#      at the reload, and no old message starts after it.
#   `schedule` and `check` on a kiosk see the bundle too.
#   3. Each kiosk's status (retained, read as the newsroom) shows the
#      bundle's sequence number and what plays.
. tests/e2e/tools/common.sh
. tests/e2e/tools/faults.sh
. tests/e2e/tools/fleet.sh
fleet_setup k1 k2 k3 k4
for k in k1 k2 k3 k4; do kiosk_ini "$T/$k" "$k"; done

cat > "$T/district.ini" <<'INI'
[message notice-heating]
headline = 供暖通知：本月十五日起全区集中供暖
color = #00FF00
hours = 10:00-18:00
[message notice-clinic]
headline = 社区卫生服务中心周六上午义诊
color = #FFFF00
hours = 10:00-18:00
INI
publish -c "$T/district.ini" --all > "$T/pub1.log" 2>&1 || fail "publish: $(cat "$T/pub1.log")"
seq1=$(sed -n 's/.*seq \([0-9][0-9]*\).*/\1/p' "$T/pub1.log" | head -1)
[ -n "$seq1" ] || fail "publish does not say its sequence number: $(cat "$T/pub1.log")"

# 1. Three kiosks after the publish, and the fourth, for 40 clock seconds
#    at twice real time from 09:59:40 (the fourth longer, for part 2).
for k in k1 k2 k3; do kiosk_run "$T/$k" "2026-03-02 09:59:40" 40 2; done
kiosk_run "$T/k4" "2026-03-02 09:59:40" 600 2
for k in k1 k2 k3 k4; do wait_status "$k" "\"all\":\\{\"seq\":$seq1" 20; done
for k in k1 k2 k3; do
    kiosk_wait "$T/$k"
    grep -q "reloaded $T/$k/kiosk.ini at 2026-03-02 09:59:" "$T/$k/err" ||
        fail "$k: no reload before 10:00: $(grep -i 'reload\|fleet' "$T/$k/err" | tail -5)"
    replay_last "$T/$k" "$T/$k/run.ppm"
    preview_at "$T/$k" "2026-03-02 10:00:20" "$T/$k/preview.ppm"
    cmp -s "$T/$k/run.ppm" "$T/$k/preview.ppm" ||
        fail "$k: the recorded frame at 10:00:20 differs from preview of the layered config"
    [ "$(count_rgb "$T/$k/run.ppm" "00 ff 00")" -gt 0 ] ||
        fail "$k: the bundle's first message does not show at 10:00:20"
done
cmp -s "$T/k1/run.ppm" "$T/k2/run.ppm" && cmp -s "$T/k1/run.ppm" "$T/k3/run.ppm" ||
    fail "the three kiosks show different frames at 10:00:20"
echo "three kiosks: the recorded frame at 10:00:20 equals preview of the layered config"
# schedule and check on a kiosk see what its panel plays, too.
"$LT" schedule -c "$T/k1/kiosk.ini" --at "2026-03-02 10:00:20" --json > "$T/sched.json" ||
    fail "schedule on a kiosk: exit $?"
grep -q '"playlist":\["notice-heating","notice-clinic"\]' "$T/sched.json" ||
    fail "schedule on a kiosk does not lay the cached bundle: $(cat "$T/sched.json")"
"$LT" check -c "$T/k1/kiosk.ini" --boards-dir "$T/boards" > "$T/check.out" 2>&1 ||
    fail "check on a kiosk: $(cat "$T/check.out")"
grep -q "ok, 2 messages" "$T/check.out" || fail "check on a kiosk: $(cat "$T/check.out")"

# 2. The fourth kiosk plays the first bundle; a second publish replaces it.
wait_count "$T/k4/play.log" "notice-" 2 60
cat > "$T/district.ini" <<'INI'
[message fair-jobs]
headline = 人社局：下周三举办春季招聘会
color = #00FFFF
hours = 10:00-18:00
[message fair-books]
headline = 图书馆：周末亲子阅读活动报名
color = #FF00FF
hours = 10:00-18:00
INI
publish -c "$T/district.ini" --all > "$T/pub2.log" 2>&1 || fail "publish 2: $(cat "$T/pub2.log")"
seq2=$(sed -n 's/.*seq \([0-9][0-9]*\).*/\1/p' "$T/pub2.log" | head -1)
wait_status k4 "\"all\":\\{\"seq\":$seq2" 20
wait_count "$T/k4/play.log" " fair-" 2 60
# 3. The status says what plays, from the frame loop.
wait_status k4 '"playing":"fair-' 20
kill -TERM "$(cat "$T/k4/pid")"
kiosk_wait "$T/k4"
at=$(sed -n "s/.*reloaded .* at 2026-03-02 \([0-9:]*\);.*/\1/p" "$T/k4/err" | tail -1)
[ -n "$at" ] || fail "k4: no reload logged: $(tail -5 "$T/k4/err")"
# Play log lines: START ID SECONDS. The pass under way at the reload ends
# after it; every pass that starts after it is a new message.
awk -v at="$at" '
    function secs(t,  p) { sub(/.*T/, "", t); sub(/\+.*/, "", t); split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
    BEGIN { split(at, a, ":"); r = a[1] * 3600 + a[2] * 60 + a[3] }
    { s = secs($1); e = s + $3 }
    $2 ~ /^notice-/ && s <= r && e > r { under_way = $2 }
    $2 ~ /^notice-/ && s > r { bad = bad " " $2 "@" $1 }
    $2 ~ /^fair-/ { if (!first) first = s; if (s <= r) early = 1 }
    END {
        if (!under_way) { print "no pass was under way at the reload (" at ")"; exit 1 }
        if (bad) { print "old passes started after the reload:" bad; exit 1 }
        if (!first || early) { print "the new messages did not start after the reload"; exit 1 }
        print "reload at " at ": " under_way " finished, then the new messages"
    }' "$T/k4/play.log" || fail "k4 play log: $(cat "$T/k4/play.log")"

status k4 | grep -q '"online":false' || fail "k4 stopped but its status is not offline: $(status k4)"
status k1 | grep -q '"online":false' || fail "k1 stopped but its status is not offline: $(status k1)"
echo "fleet_kiosks: ok"
