#!/bin/sh
# The RP2040 image on the emulated chip (tests/rp2040/bench_usb.mjs): bulk
# OUT throughput and CPU idle share in emulated time, flash and RAM sizes,
# each beside its goal. Builds the images first (make firmware).
set -eu
packaging/deps.sh firmware emulator
make --no-print-directory -s firmware >/dev/null
exec node tests/rp2040/bench_usb.mjs
