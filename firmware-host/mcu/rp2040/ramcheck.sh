#!/bin/sh
# ramcheck ELF: fails when code placed in SRAM (.ramfunc: interrupt
# handlers, the USB receive path, the bit-plane builder) calls anything
# still in flash (directly or through a long-branch veneer), which would
# make it wait for the flash after all.
set -eu
elf=$1
bad=$(arm-none-eabi-objdump -d -j .ramfunc "$elf" |
      awk '$0 ~ /\tbl\t/ { for (i = 1; i <= NF; i++) if ($i == "bl") { t = $(i + 1); if (t !~ /^2/ || $(i + 2) ~ /_veneer>/) print } }')
if [ -n "$bad" ]; then
    echo "ramcheck: $elf: code in SRAM calls into flash:" >&2
    echo "$bad" >&2
    exit 1
fi
