#!/bin/sh
# The unmodified ledticker binary plays examples/lishi.ini on an emulated
# controller over USB (tests/tools/mockusbd: the real firmware core behind
# umockdev, reached through the real libusb). Mid-stream the cable is
# pulled, and plugged back 2 s later. It must show:
#   - every frame the controller presents, before the unplug and after the
#     replug, is the frame the simulator shows for the same config and clock
#     moment (the same run on the record: output, played into the same core
#     by tests/tools/wirehash);
#   - playback resumes after the replug;
#   - the process sleeps while the controller is away (CPU share printed);
#   - exit 0 at the end of the testing clock: no crash, and under
#     make SANITIZE=1 no leak (LeakSanitizer fails the exit status);
#   - a controller that comes back with another panel size stops the run
#     with exit 1 and a message, for the service manager to restart it.
set -u
: "${BUILD:=build}"
mockusbd=$BUILD/tests/tools/mockusbd
wirehash=$BUILD/tests/tools/wirehash
for x in "$mockusbd" "$wirehash"; do
    [ -x "$x" ] || { echo "no $x (make e2e builds it)" >&2; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

clock='2026-11-30 10:00:00'         # a Monday morning: the example plays messages
seconds=8

timeout 300 "$mockusbd" --board hub75-256x32 --serial E2E-RUN-1 --log "$tmp/usb.log" \
        --at 2500:unplug --at 4500:replug -- \
    "$BUILD/ledticker" run -c examples/lishi.ini --output usb --device E2E-RUN-1 \
        --clock-start "$clock" --seconds "$seconds" 2>"$tmp/usb.err"
rc=$?
cat "$tmp/usb.err"
[ "$rc" -eq 0 ] || fail "ledticker run --output usb exited $rc"
[ "$(grep -c 'disconnected; waiting' "$tmp/usb.err")" -eq 1 ] ||
    fail "expected exactly one line about the unplug"

timeout 300 "$BUILD/ledticker" run -c examples/lishi.ini --output "record:$tmp/sim.bin" \
    --clock-start "$clock" --seconds "$seconds" 2>/dev/null || fail "the record: run failed"
"$wirehash" --board hub75-256x32 "$tmp/sim.bin" >"$tmp/sim.log" || fail "wirehash failed"

# Join on the PRESENT's host time (the testing clock's ms): frames at the
# same clock moment must be identical. Phases: 0 before the unplug, 2 after
# the replug. Frames one run dropped and the other did not are only counted.
awk -v out="$tmp/verdict" '
    BEGIN { phase = 0 }
    FNR == NR { if ($1 == "present") sim[$3] = $4; next }
    $1 == "unplug" { phase = 1; t_un = $2; cpu_un = $3; next }
    $1 == "replug" { phase = 2; t_re = $2; cpu_re = $3; next }
    $1 != "present" { next }
    !($3 in sim) { unmatched[phase]++; next }
    sim[$3] == $4 { ok[phase]++; if (phase == 2 && !first) first = $5 - t_re; next }
    { bad[phase]++; print "mismatch at clock ms " $3 " (seq " $2 ", phase " phase ")" }
    END {
        printf "before unplug: %d frames match, %d differ, %d not in the other run\n", ok[0], bad[0], unmatched[0]
        printf "after replug:  %d frames match, %d differ, %d not in the other run; first match %d ms after the replug\n", ok[2], bad[2], unmatched[2], first
        share = (t_re > t_un && cpu_un >= 0) ? (cpu_re - cpu_un) / (t_re - t_un) : -1
        printf "while away:    %.1f %% of a core for %d ms (composing goes on; the link is not polled)\n", share * 100, t_re - t_un
        print (ok[0] + 0), (bad[0] + 0), (ok[2] + 0), (bad[2] + 0), (share < 0 ? 99 : share) > out
    }' "$tmp/sim.log" "$tmp/usb.log"
read ok0 bad0 ok2 bad2 share <"$tmp/verdict"
[ "$bad0" -eq 0 ] && [ "$bad2" -eq 0 ] || fail "the controller showed frames the simulator does not"
[ "$ok0" -ge 30 ] || fail "too few frames before the unplug ($ok0)"
[ "$ok2" -ge 30 ] || fail "playback did not resume after the replug ($ok2 frames)"
# Busy polling would take a whole core; composing alone takes a few percent
# (more under the sanitizers). Generous, because these machines are noisy.
awk -v s="$share" 'BEGIN { exit !(s < 0.6) }' || fail "the process kept busy while the controller was away"

# The controller comes back with another panel: run stops with a failure
# and says why, so that the service manager restarts it laid out anew.
timeout 300 "$mockusbd" --board hub75-256x32 --at 1500:unplug --at 2500:replug=hub75-128x32 -- \
    "$BUILD/ledticker" run -c examples/lishi.ini --output usb \
        --clock-start "$clock" --seconds 6 2>"$tmp/relayout.err"
rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/relayout.err"; fail "a new panel size: exit $rc, expected 1"; }
grep -q 'came back with a 128x32 panel (was 256x32)' "$tmp/relayout.err" ||
    { cat "$tmp/relayout.err"; fail "no message about the new panel size"; }
exit 0
