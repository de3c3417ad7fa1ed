#!/bin/sh
# The unmodified ledticker binary playing examples/lishi.ini (256x32) on the
# emulated controller (tests/tools/mockusbd), unplugged and plugged back 10
# times. Prints the time from each replug to the first presented frame that
# equals the simulator's frame for the same clock moment (the same run on
# the record: output, played into the same core): median and worst of 10,
# goal < 1 s. Also the process's CPU share while playing (from 0.5 s on,
# between the unplugs) and while the controller is away.
set -u
: "${BUILD:=build}"
mockusbd=$BUILD/tests/tools/mockusbd
wirehash=$BUILD/tests/tools/wirehash
for x in "$mockusbd" "$wirehash"; do
    [ -x "$x" ] || { echo "usb_replug: no $x" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clock='2026-11-30 10:00:00'
cycles=10 up=1500 away=700
seconds=$(( (cycles * (up + away) + up) / 1000 + 1 ))

set -- --board hub75-256x32 --log "$tmp/usb.log" --at 500:mark
t=$up
for i in $(seq $cycles); do
    set -- "$@" --at "$t:unplug" --at "$((t + away)):replug"
    t=$((t + away + up))
done
timeout 600 "$mockusbd" "$@" -- "$BUILD/ledticker" -q run -c examples/lishi.ini --output usb \
    --clock-start "$clock" --seconds "$seconds" 2>/dev/null || { echo "usb_replug: the run failed"; exit 1; }
timeout 600 "$BUILD/ledticker" -q run -c examples/lishi.ini --output "record:$tmp/sim.bin" \
    --clock-start "$clock" --seconds "$seconds" 2>/dev/null || { echo "usb_replug: the record: run failed"; exit 1; }
"$wirehash" --board hub75-256x32 "$tmp/sim.bin" >"$tmp/sim.log"

awk '
    FNR == NR { if ($1 == "present") sim[$3] = $4; next }
    $1 == "mark" { t_play = $2; c_play = $3; next }
    $1 == "unplug" { up_ms += $2 - t_play; up_cpu += $3 - c_play; t_un = $2; c_un = $3; next }
    $1 == "replug" { t_re = $2; away_ms += $2 - t_un; away_cpu += $3 - c_un; waiting = 1
                     t_play = $2; c_play = $3; next }
    $1 == "present" && waiting && ($3 in sim) && sim[$3] == $4 { d[++n] = $5 - t_re; waiting = 0 }
    END {
        play = 100 * up_cpu / up_ms; away = 100 * away_cpu / away_ms
        printf "usb: ledticker run at 60 fps: %.1f %% of a core while playing, %.0f us per frame (goal < 5 %%; libusb spins while it polls umockdev'"'"'s always-ready node) %s\n", play, 1000 * up_cpu / up_ms / 60 * 1000, play < 5 ? "ok" : "MISSED"
        printf "usb replug: while away %.1f %% of a core over %d ms (goal: asleep, < 10 %%) %s\n", away, away_ms, away < 10 ? "ok" : "MISSED"
        if (n < 10) { printf "usb replug: only %d of 10 cycles showed a matching frame again (goal: all, < 1000 ms) MISSED\n", n; exit 1 }
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (d[j] < d[i]) { x = d[i]; d[i] = d[j]; d[j] = x }
        med = (d[5] + d[6]) / 2
        printf "usb replug (ledticker run, 256x32): first matching frame median %.0f ms, worst %d ms of %d cycles   (goal < 1000 ms) %s\n", med, d[n], n, med < 1000 ? "ok" : "MISSED"
        exit !(play < 5 && away < 10 && med < 1000)
    }' "$tmp/sim.log" "$tmp/usb.log"
