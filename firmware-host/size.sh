#!/bin/sh
# make firmware-size: the firmware core built for a Cortex-M0+ with
# arm-none-eabi-gcc -Os, for one board (default hub75-128x32), linked into
# a complete image with the measuring board file firmware-host/mcu/. Prints
# flash and static RAM, each beside its goal, and fails when one is missed
# or when the core calls into libc for more than memcpy and memset.
set -eu
cd "$(dirname "$0")/.."
BOARD_ID=${FW_SIZE_BOARD:-HUB75_128X32}
OUT=build/mcu
CC=arm-none-eabi-gcc
command -v $CC >/dev/null || { echo "firmware-size: $CC not found (packaging/deps.sh firmware)" >&2; exit 1; }
mkdir -p $OUT
FLAGS="-mcpu=cortex-m0plus -mthumb -Os -std=c99 -Wall -Wextra -Werror -Wno-missing-field-initializers
 -ffunction-sections -fdata-sections -ffreestanding -fno-tree-loop-distribute-patterns
 -DFW_BOARD_ONLY=FW_BOARD_$BOARD_ID -Ifirmware-host/include -Ifirmware-host/core"

objs=""
for c in firmware-host/core/*.c firmware-host/mcu/board_mcu.c; do
    o=$OUT/$(basename "$c" .c).o
    $CC $FLAGS -c "$c" -o "$o"
    objs="$objs $o"
done

# The core may use memcpy and memset from libc, and the compiler's own
# libgcc helpers (__aeabi_* division, __gnu_thumb1_case_* switch tables),
# nothing else.
core_objs=$(echo "$objs" | tr ' ' '\n' | grep -v board_mcu.o | tr '\n' ' ')
extra=$(arm-none-eabi-nm -u $core_objs | awk '/ U /{print $2}' | sort -u |
        grep -v -e '^memcpy$' -e '^memset$' -e '^__aeabi_' -e '^__gnu_thumb1_case_' || true)
# Symbols the core defines itself are fine.
defined=$(arm-none-eabi-nm --defined-only $core_objs | awk 'NF==3{print $3}' | sort -u)
bad=""
for s in $extra; do echo "$defined" | grep -qx "$s" || bad="$bad $s"; done
if [ -n "$bad" ]; then
    echo "firmware-size: the core calls outside memcpy/memset:$bad" >&2
    exit 1
fi

$CC -mcpu=cortex-m0plus -mthumb -nostartfiles -Wl,--gc-sections -Wl,-T,firmware-host/mcu/link.ld \
    --specs=nano.specs -Wl,-Map,$OUT/firmware.map -o $OUT/firmware.elf $objs -lc -lgcc

# text+data in flash; data+bss in RAM.
set -- $(arm-none-eabi-size -A $OUT/firmware.elf | awk '
    $1 == ".text" { t = $2 } $1 == ".data" { d = $2 } $1 == ".bss" { b = $2 }
    END { print t + d, d + b, b }')
flash=$1 ram=$2 bss=$3
flash_goal=16384 ram_goal=$((264 * 1024))
board=$(echo "$BOARD_ID" | tr 'A-Z_' 'a-z-')
echo "firmware-size: board $board, Cortex-M0+, arm-none-eabi-gcc -Os ($($CC -dumpversion))"
printf "  flash      %6d bytes (%5.1f KiB)   goal < 16 KiB   %s\n" "$flash" \
    "$(echo "$flash" | awk '{print $1/1024}')" "$([ "$flash" -lt $flash_goal ] && echo ok || echo MISSED)"
printf "  static RAM %6d bytes (%5.1f KiB)   goal <= 264 KiB with double buffering   %s\n" "$ram" \
    "$(echo "$ram" | awk '{print $1/1024}')" "$([ "$ram" -le $ram_goal ] && echo ok || echo MISSED)"
fw_size=$(arm-none-eabi-nm -S $OUT/firmware.elf | awk '$4 == "controller" {print $2}')
echo "  of which struct fw (2 framebuffers, 2 output buffers, decoder, receive queue): $(printf '%d' "0x$fw_size") bytes"
[ "$flash" -lt $flash_goal ] && [ "$ram" -le $ram_goal ]
