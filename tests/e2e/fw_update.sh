#!/bin/sh
# ledticker firmware update FILE.uf2, against the emulated controller of
# mockusbd (which answers the reboot-to-bootloader request by leaving the
# bus and coming back 1 s later) and a stand-in for the ROM's RPI-RP2 drive
# (a folder holding an INFO_UF2.TXT, given with --drive). It must show:
#   - the request is sent, the file lands on the drive byte for byte, and
#     the command waits for the controller to return with the file's
#     firmware version (exit 0);
#   - refused with a message naming the file, exit 1, nothing copied: an
#     image for another board (unless --force), a file that is not UF2, a
#     UF2 for another chip family, a --drive folder that is not the drive.
# (The request itself on the real image is tests/rp2040/test_enumerate.mjs:
# it reaches the ROM's reset_usb_boot.)
set -u
: "${BUILD:=build}"
mockusbd=$BUILD/tests/tools/mockusbd
LT=$BUILD/ledticker
img=build/firmware/ledctl-hub75-64x32.uf2
other=build/firmware/ledctl-hub75-128x32.uf2
for x in "$mockusbd" "$img" "$other"; do
    [ -e "$x" ] || { echo "FAIL: no $x (make test builds it)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
drive=$tmp/drive
mkdir "$drive"
printf 'UF2 Bootloader v3.0\r\nModel: Raspberry Pi RP2\r\nBoard-ID: RPI-RP2\r\n' >"$drive/INFO_UF2.TXT"

timeout 120 "$mockusbd" --board hub75-64x32 --serial FWUP-1 -- \
    "$LT" firmware update --drive "$drive" --timeout 20 "$img" >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
[ "$rc" -eq 0 ] || fail "firmware update exited $rc"
cmp -s "$img" "$drive/ledctl-hub75-64x32.uf2" || fail "the drive does not hold the file byte for byte"
grep -q "controller FWUP-1 is rebooting into its bootloader" "$tmp/out" || fail "no reboot request"
grep -q "controller FWUP-1 is back: hub75-64x32, firmware 0.1.0" "$tmp/out" || fail "did not wait for the return"
rm "$drive/ledctl-hub75-64x32.uf2"

refused() {     # refused WHAT PATTERN COMMAND...
    what=$1 pattern=$2
    shift 2
    timeout 120 "$mockusbd" --board hub75-64x32 -- "$LT" firmware update "$@" >"$tmp/out" 2>&1
    rc=$?
    [ "$rc" -eq 1 ] || { cat "$tmp/out"; fail "$what: exit $rc, expected 1"; }
    grep -q "$pattern" "$tmp/out" || { cat "$tmp/out"; fail "$what: no message matching '$pattern'"; }
    [ -z "$(ls "$drive" | grep -v INFO_UF2.TXT)" ] || fail "$what: something was copied"
    grep -q "rebooting" "$tmp/out" && fail "$what: the controller was rebooted anyway"
    echo "ok: refused $what"
}
refused "an image for another board" "made for board hub75-128x32, but controller" --drive "$drive" "$other"
head -c 1000 /dev/urandom >"$tmp/junk.uf2"
refused "a file that is not UF2" "junk.uf2: 1000 bytes is not a UF2 file" --drive "$drive" "$tmp/junk.uf2"
cp "$img" "$tmp/family.uf2"
printf '\001\002\003\004' | dd of="$tmp/family.uf2" bs=1 seek=$((512 * 3 + 28)) conv=notrunc 2>/dev/null
refused "a UF2 for another chip" "family.uf2: block 3: not for the RP2040" --drive "$drive" "$tmp/family.uf2"
mkdir "$tmp/notdrive"
refused "a folder that is not the drive" "no INFO_UF2.TXT" --drive "$tmp/notdrive" "$img"

# --force flashes another board's image.
timeout 120 "$mockusbd" --board hub75-64x32 -- \
    "$LT" firmware update --force --drive "$drive" --timeout 20 "$other" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "--force"; }
cmp -s "$other" "$drive/ledctl-hub75-128x32.uf2" || fail "--force: not copied"
echo "ok: --force"
