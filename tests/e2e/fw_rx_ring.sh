#!/bin/sh
# The firmware's receive ring indexes free-running u32 counters modulo
# FW_RX_BYTES, which is right across the counters' wrap only when the size
# is a power of two. A board built with any other size must not compile,
# with the reason in the error; the power-of-two sizes still build.
set -u
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() {
    $CC -std=c99 -Wall -Wextra -Werror -Wno-missing-field-initializers -fsyntax-only \
        -Ifirmware-host/include -Ifirmware-host/core -DFW_RX_BYTES="$1" \
        firmware-host/core/fw.c >"$tmp/out" 2>&1
}
for size in 8192u 16384u; do
    build "$size" || { echo "fw.c does not build with FW_RX_BYTES=$size:" >&2; cat "$tmp/out" >&2; exit 1; }
done
for size in 6000u 8191u 12288u 0u; do
    if build "$size"; then
        echo "fw.c builds with FW_RX_BYTES=$size, which is not a power of two" >&2
        exit 1
    fi
    grep -q 'fw_rx_bytes_must_be_a_power_of_two' "$tmp/out" || {
        echo "FW_RX_BYTES=$size fails to build, but not for the ring size:" >&2
        cat "$tmp/out" >&2
        exit 1
    }
done
echo "fw_rx_ring: non-power-of-two ring sizes are refused at compile time"
