#!/bin/sh
# `ledticker devices` lists the controller attached over (emulated) USB with
# its serial and what its GET_INFO says, and fails clearly when none is or
# when it may not be opened.
# The controller is tests/tools/mockusbd: the real firmware core behind
# umockdev, seen by the unmodified ledticker binary through libusb.
set -u
: "${BUILD:=build}"
mockusbd=$BUILD/tests/tools/mockusbd
[ -x "$mockusbd" ] || { echo "no $mockusbd (make e2e builds it)" >&2; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

out=$(timeout 120 "$mockusbd" --serial E2E-0007 --board hub75-128x32 -- \
      "$BUILD/ledticker" devices 2>&1) || fail "devices exited $?: $out"
echo "$out"
echo "$out" | grep -q '^E2E-0007 .* 1209:0001  hub75-128x32 128x32  firmware 0.1.0  protocol 1.0' ||
    fail "no line for the controller"
[ "$(echo "$out" | grep -c 1209:0001)" -eq 1 ] || fail "expected exactly one controller"

# Another VID:PID asked for: nothing found, exit 1, and it says what it looked for.
out=$(timeout 120 "$mockusbd" -- "$BUILD/ledticker" devices --id 16c0:05dc 2>&1)
rc=$?
[ "$rc" -eq 1 ] || fail "exit $rc with no controller: $out"
echo "$out" | grep -q 'no controller attached (looked for 16c0:05dc)' || fail "no clear message: $out"

# A board file's [usb] ids are looked for too.
boards=$(mktemp -d)
trap 'rm -rf "$boards"' EXIT
printf '[board]\nname = wall\nwidth = 128\nheight = 32\n[usb]\nvid = 0x16c0\npid = 0x05dc\n' \
    > "$boards/wall.ini"
out=$(timeout 120 "$mockusbd" --id 16c0:05dc --serial WALL-1 -- \
      "$BUILD/ledticker" devices --boards "$boards" 2>&1) || fail "board ids: exit $?: $out"
echo "$out" | grep -q '^WALL-1 .* 16c0:05dc ' || fail "the board file's ids were not looked for: $out"

# Permission denied names the fix: the shipped udev rule and the group.
# (Root reads any file, so the node is made unreadable and the commands
# run without the capabilities that override file permissions.)
# setpriv is in util-linux, which every Debian system has.
command -v setpriv >/dev/null || fail "setpriv (util-linux) is not installed"
{
    noperm='chmod 000 "$UMOCKDEV_DIR/dev/bus/usb/001/002" &&
            exec setpriv --bounding-set=-dac_override,-dac_read_search "$@"'
    out=$(timeout 120 "$mockusbd" -- sh -c "$noperm" sh "$BUILD/ledticker" devices 2>&1)
    rc=$?
    [ "$rc" -eq 1 ] || fail "devices without permission: exit $rc: $out"
    echo "$out" | grep -q 'permission denied' || fail "no 'permission denied' line: $out"
    echo "$out" | grep -q 'packaging/60-ledticker.rules' || fail "the fix does not name the rule: $out"
    echo "$out" | grep -q "'ledticker' group" || fail "the fix does not name the group: $out"
    out=$(timeout 120 "$mockusbd" -- sh -c "$noperm" sh "$BUILD/ledticker" run \
          -c examples/lishi.ini --output usb --seconds 2 2>&1)
    rc=$?
    [ "$rc" -ne 0 ] || fail "run without permission exited 0"
    [ "$(echo "$out" | grep -c 'packaging/60-ledticker.rules')" -eq 1 ] ||
        fail "run should name the fix once: $out"
}

# Bad usage is exit 2.
"$BUILD/ledticker" devices --id nonsense >/dev/null 2>&1
[ $? -eq 2 ] || fail "a bad --id is not a usage error"
exit 0
