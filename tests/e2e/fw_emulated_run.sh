#!/bin/sh
# The real ledticker binary, through the real libusb, drives the real
# firmware image (build/firmware/ledctl-hub75-64x32.uf2) on an emulated
# RP2040: mockusbd --emulate forwards every URB to tests/rp2040/usbbridge.mjs
# (rp2040js). It must show:
#   - `ledticker devices` finds the controller with the serial number the
#     image read from its flash chip's unique ID (16 hex digits);
#   - `ledticker run --output usb` plays the example: the controller presents
#     frames, each one at a clock moment (PRESENT host time) the record:
#     output has a frame for, with no CRC error and no credit overflow;
# The emulator runs the image at about a tenth of real time here (slower on
# a loaded machine), so the testing clock runs at 0.2 x real time: the
# host's 1 s USB timeouts then see a controller as quick as a real one.
#   - exit 0 (under make SANITIZE=1: no leak, no undefined behaviour).
set -u
: "${BUILD:=build}"
mockusbd=$BUILD/tests/tools/mockusbd
wirehash=$BUILD/tests/tools/wirehash
uf2=build/firmware/ledctl-hub75-64x32.uf2
for x in "$mockusbd" "$wirehash" "$uf2" tests/rp2040/node_modules/rp2040js/package.json; do
    [ -e "$x" ] || { echo "FAIL: no $x (make test builds the firmware and installs the emulator)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
serial=E6605838834A2C27     # the emulated flash chip's unique ID (tests/rp2040/lib/bench.js)

timeout 300 "$mockusbd" --emulate --board hub75-64x32 -- "$BUILD/ledticker" devices >"$tmp/devices" 2>&1 ||
    { cat "$tmp/devices"; fail "ledticker devices against the emulated image"; }
cat "$tmp/devices"
grep -q "^$serial .* hub75-64x32 64x32 " "$tmp/devices" || fail "the controller is not listed with serial $serial"

clock='2026-11-30 10:00:00'
timeout 300 "$mockusbd" --emulate --board hub75-64x32 --log "$tmp/usb.log" -- \
    "$BUILD/ledticker" run -c examples/lishi.ini --output usb --device "$serial" \
        --clock-start "$clock" --clock-rate 0.2 --seconds 1.5 2>"$tmp/usb.err"
rc=$?
cat "$tmp/usb.err"
[ "$rc" -eq 0 ] || fail "ledticker run --output usb exited $rc"

timeout 300 "$BUILD/ledticker" run -c examples/lishi.ini --board hub75-64x32 --output "record:$tmp/sim.bin" \
    --clock-start "$clock" --seconds 1.5 --clock-rate max 2>/dev/null || fail "the record: run failed"
"$wirehash" --board hub75-64x32 "$tmp/sim.bin" >"$tmp/sim.log" || fail "wirehash failed"

awk -v out="$tmp/verdict" '
    FNR == NR { if ($1 == "present") sim[$3] = 1; next }
    $1 == "present" { n++; if (!($3 in sim)) { bad++; print "not at a simulator frame time: " $0 } }
    END { printf "%d %d\n", n, bad + 0 > out }' "$tmp/sim.log" "$tmp/usb.log"
read -r presented unknown <"$tmp/verdict"
echo "emulated controller presented $presented frames; $unknown not in the simulator's run"
[ "$presented" -ge 10 ] || fail "only $presented frames presented in 1.5 clock seconds"
[ "$unknown" -eq 0 ] || fail "$unknown presented frames are not the simulator's"
grep -q "0 CRC errors, 0 overflows" "$tmp/usb.err" || fail "errors on the link (see the mockusbd line above)"
