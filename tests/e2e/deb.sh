#!/bin/sh
# make deb builds a lintian-clean package whose contents are the expected
# paths, whose version is the program's, and which works where it is
# unpacked: the extracted ledticker runs check and preview on the shipped
# example from another folder, with no LEDTICKER_* variable, which shows
# the data-directory rule (src/cli/datadir.h) on the real package.
# The package is built without sanitizers, so the SANITIZE=1 pass leaves
# this script out by design (tests/run-e2e.sh reads the next line):
# e2e: plain pass only
set -eu
: "${BUILD:=build}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "deb: $*" >&2; exit 1; }
ROOT=$(pwd)

make -s --no-print-directory deb NODEPS=1 >"$T/make.log" 2>&1 || { cat "$T/make.log"; fail "make deb failed"; }
version=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
deb=build/deb/ledticker_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb"

# One version number: the package's and the program's.
got=$(dpkg-deb -f "$deb" Version)
[ "$got" = "$version" ] || fail "package version $got, changelog $version"
[ "$("$BUILD/ledticker" --version)" = "ledticker $version" ] || \
    fail "ledticker --version says '$("$BUILD/ledticker" --version)', the changelog $version"

# Depends name the fonts the default chain needs, and the libraries
# ledticker calls (liblunar-date through ${shlibs:Depends}: the lunar key).
deps=$(dpkg-deb -f "$deb" Depends)
# The fleet's (${shlibs:Depends} finds them): libsodium23 (bundle signatures),
# libmosquitto1 (MQTT), libjson-c5 (fleet status reads the kiosks' JSON).
for p in fonts-wqy-zenhei fonts-noto-cjk fonts-dejavu-core fonts-symbola libharfbuzz0b \
         libfreetype6 libusb-1.0-0 libpng16-16 libgif7 libsystemd0 liblunar-date-3.0-1 \
         libsodium23 libmosquitto1 libjson-c5; do
    echo "$deps" | grep -q "$p" || fail "Depends lacks $p: $deps"
done

dpkg-deb -f "$deb" Recommends | grep -q xfonts-wqy || fail "Recommends lacks xfonts-wqy"

# The contents, against the paths a kiosk needs (dh_compress gzips a
# document over 4 KiB, as calendar.md is since its lunar section).
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/list"
for path in /usr/bin/ledticker /usr/bin/ledsim \
            /usr/share/ledticker/boards/hub75-256x32.ini /usr/share/ledticker/fonts/default.chain \
            /usr/share/ledticker/fonts/fonts.conf /usr/share/ledticker/examples/lishi.ini \
            /usr/share/ledticker/calendar/cn-2026.ini /usr/share/doc/ledticker/calendar.md.gz \
            /etc/ledticker/ledticker.ini /etc/logrotate.d/ledticker \
            /usr/lib/udev/rules.d/60-ledticker.rules /usr/lib/sysusers.d/ledticker.conf \
            /lib/systemd/system/ledticker.service \
            /usr/share/man/man1/ledticker.1.gz /usr/share/man/man5/ledticker.ini.5.gz \
            /usr/share/man/man1/ledsim.1.gz \
            /usr/share/doc/ledticker/copyright; do
    grep -qxF "$path" "$T/list" || fail "the package lacks $path"
done
grep -q '^/usr/share/ledticker/firmware/ledctl-.*\.uf2$' "$T/list" ||
    fail "the package lacks the controller firmware (/usr/share/ledticker/firmware/ledctl-BOARD.uf2)"
grep -q '^/usr/local' "$T/list" && fail "the package installs under /usr/local"
dpkg-deb -e "$deb" "$T/control"
grep -qxF /etc/ledticker/ledticker.ini "$T/control/conffiles" || fail "ledticker.ini is not a conffile"
grep -q 'systemd-sysusers' "$T/control/postinst" || fail "postinst does not create the user"
grep -q 'ledticker.service' "$T/control/postinst" || fail "postinst does not enable the service"

# Unpacked anywhere, it finds its own data.
dpkg-deb -x "$deb" "$T/root"
mkdir "$T/away"
cd "$T/away"
env -u LEDTICKER_BOARDS -u LEDTICKER_FONTS_DIR -u LEDTICKER_DATA \
    "$T/root/usr/bin/ledticker" check -c "$T/root/usr/share/ledticker/examples/lishi.ini" \
    >check.log 2>&1 || { cat check.log; fail "the unpacked ledticker check fails"; }
env -u LEDTICKER_BOARDS -u LEDTICKER_FONTS_DIR -u LEDTICKER_DATA \
    "$T/root/usr/bin/ledticker" preview -c "$T/root/usr/share/ledticker/examples/lishi.ini" \
    --at "2026-03-02 09:30" -o still.ppm || fail "the unpacked ledticker preview fails"
[ "$(sed -n 2p still.ppm)" = "256 32" ] || fail "preview: not the example's 256x32 board"
# The conffile shows the clock and nothing else, and passes check.
out=$("$T/root/usr/bin/ledticker" check -c "$T/root/etc/ledticker/ledticker.ini" 2>&1) || \
    fail "the conffile fails check: $out"
echo "$out" | grep -q 'ok, 0 messages' || fail "the conffile has messages: $out"
grep -qx 'idle = clock' "$T/root/etc/ledticker/ledticker.ini" || fail "the conffile does not show the clock"
cd "$ROOT"

# lintian: no error, warning or info tag (packaging/debian/ledticker.lintian-overrides
# says why for each tag it overrides).
out=$(lintian -I --fail-on error,warning,info "$deb" 2>&1) || fail "lintian: $out"
echo "$out" | grep -q "^[EWI]: " && fail "lintian: $out"
[ -z "$out" ] || echo "$out"
echo "deb: ok ($deb)"
