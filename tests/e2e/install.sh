#!/bin/sh
# make install with PREFIX and DESTDIR puts everything a kiosk needs in
# place: binaries, man pages, the udev rule giving the controller to the
# ledticker group (0660), and a hardened service unit pointing at them.
set -eu
: "${BUILD:=build}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
make -s --no-print-directory install NODEPS=1 SANITIZE="${SANITIZE:-}" \
    DESTDIR="$tmp/root" PREFIX=/usr >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
r=$tmp/root
fail() { echo "install: $*" >&2; exit 1; }
[ -x "$r/usr/bin/ledticker" ] || fail "no /usr/bin/ledticker"
"$r/usr/bin/ledticker" version | grep -q '^ledticker ' || fail "installed binary does not run"
# The staged program finds its boards and fonts beside itself, though it
# was never rebuilt for this place: run from another folder, with no
# LEDTICKER_* variable, on the example it installed.
mkdir "$tmp/away"
(
    cd "$tmp/away" || exit 1
    unset LEDTICKER_BOARDS LEDTICKER_FONTS_DIR LEDTICKER_DATA LEDTICKER_CALENDAR
    ex=$r/usr/share/ledticker/examples/lishi.ini
    "$r/usr/bin/ledticker" check -c "$ex" >check.out 2>&1 || { cat check.out; exit 1; }
    "$r/usr/bin/ledticker" preview -c "$ex" --at "2026-03-02 09:30" -o still.ppm 2>&1 || exit 1
    [ "$(sed -n 2p still.ppm)" = "256 32" ] || { echo "preview: not 256x32"; exit 1; }
    "$r/usr/bin/ledticker" run -c "$ex" --output record:e.bin --clock-start "2026-03-02 09:30" \
        --clock-rate max --seconds 1 2>&1 || exit 1
    [ -s e.bin ]
    # The shipped holidays: 9 May 2026 is a swapped workday (calendar/cn-2026.ini).
    printf '[message m]\nheadline = x\ndays = workday\n' >w.ini
    "$r/usr/bin/ledticker" schedule -c w.ini --at "2026-05-09 10:00" --json 2>&1 |
        grep -q '"playlist":\["m"\]' || { echo "the installed calendar is not found"; exit 1; }
) || fail "the staged program does not run from another folder"
# Any PREFIX, moved after installing: the same program finds the same data.
make -s --no-print-directory install NODEPS=1 SANITIZE="${SANITIZE:-}" \
    DESTDIR="$tmp/opt" PREFIX=/opt/x >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
mv "$tmp/opt/opt/x" "$tmp/moved"
(
    cd "$tmp/away" || exit 1
    env -u LEDTICKER_BOARDS -u LEDTICKER_FONTS_DIR -u LEDTICKER_DATA "$tmp/moved/bin/ledticker" \
        preview -c "$tmp/moved/share/ledticker/examples/lishi.ini" --at "2026-03-02 09:30" -o moved.ppm
) || fail "an install with PREFIX=/opt/x, moved elsewhere, does not run"
[ "$(sed -n 2p "$tmp/away/moved.ppm")" = "256 32" ] || fail "the moved install: not the 256x32 board"
[ -f "$r/usr/share/man/man1/ledticker.1" ] || fail "no ledticker(1)"
[ -f "$r/usr/share/man/man5/ledticker.ini.5" ] || fail "no ledticker.ini(5)"
rules=$r/usr/lib/udev/rules.d/60-ledticker.rules
grep -q 'ATTR{idVendor}=="1209", ATTR{idProduct}=="0001"' "$rules" || fail "udev rule misses 1209:0001"
grep -q 'MODE="0660", GROUP="ledticker"' "$rules" || fail "udev rule: not group ledticker 0660"
grep -q '^u ledticker' "$r/usr/lib/sysusers.d/ledticker.conf" || fail "no sysusers entry"
unit=$r/usr/lib/systemd/system/ledticker.service
[ -f "$unit" ] || fail "no service unit"
for want in 'ExecStart=/usr/bin/ledticker run -c /etc/ledticker/ledticker.ini' \
            'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure' 'Type=notify' \
            'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
            'ReadWritePaths=/var/log/ledticker' 'User=ledticker'; do
    grep -qxF "$want" "$unit" || fail "unit lacks '$want'"
done
grep -q '^WatchdogSec=' "$unit" || fail "unit has no watchdog"
# The rest of the hardening stays; the fleet adds the internet families (its
# MQTT broker) and nothing wider, and the state directory its cache lives in.
for want in 'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectKernelLogs=yes' \
            'ProtectControlGroups=yes' 'ProtectClock=yes' 'ProtectHostname=yes' \
            'RestrictNamespaces=yes' 'RestrictRealtime=yes' 'RestrictSUIDSGID=yes' \
            'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' 'SystemCallArchitectures=native' \
            'RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6' \
            'StateDirectory=ledticker'; do
    grep -qxF "$want" "$unit" || fail "unit lacks '$want'"
done
[ "$(grep -c '^RestrictAddressFamilies=' "$unit")" = 1 ] || fail "unit: more than one RestrictAddressFamilies line"
# The man pages are well-formed roff (man comes from packaging/deps.sh test).
command -v man >/dev/null 2>&1 || fail "man is not installed: run packaging/deps.sh test"
for m in "$r/usr/share/man/man1/ledticker.1" "$r/usr/share/man/man5/ledticker.ini.5"; do
    w=$(MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null) || fail "man $m failed"
    [ -z "$w" ] || fail "man warnings for $m: $w"
done
# systemd's own parser accepts the unit (systemd-analyze comes from
# packaging/deps.sh test). --man=no: the pages it names are not installed
# on this machine, which verify would otherwise count as an error.
command -v systemd-analyze >/dev/null 2>&1 || fail "systemd-analyze is not installed: run packaging/deps.sh test"
sed "s|/usr/bin/ledticker|$r/usr/bin/ledticker|" "$unit" > "$tmp/ledticker.service"
out=$(systemd-analyze verify --man=no "$tmp/ledticker.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify warns: $out"
echo "install: ok"
