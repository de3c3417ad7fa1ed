#!/bin/sh
# Panel refresh and bit depth, measured on the emulated RP2040's pins, within
# each board file's limits (tests/rp2040/bench_panel.mjs). Builds the images
# and installs the emulator (packaging/deps.sh) first.
set -u
cd "$(dirname "$0")/../.."
if [ ! -f firmware-host/mcu/rp2040/firmware.mk ]; then
    echo "panel_refresh: MISS: no RP2040 image build here (firmware-host/mcu/rp2040/firmware.mk)"
    exit 1
fi
[ -n "${NODEPS:-}" ] || packaging/deps.sh emulator >/dev/null || exit 1
${MAKE:-make} --no-print-directory NODEPS=1 firmware >/dev/null || exit 1
exec node tests/rp2040/bench_panel.mjs
