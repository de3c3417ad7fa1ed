#!/bin/sh
# Install the Debian packages a make target needs, only when some are missing.
# Usage: packaging/deps.sh GROUP...   (groups: build run test deb fuzz bench firmware emulator)
# It asks dpkg first, so a second run costs a few milliseconds and never
# touches the network. CI runs as root with no terminal: nothing may prompt.
#
# emulator (also part of test and bench): node >= 18 and the npm packages
# pinned in tests/rp2040/package-lock.json (rp2040js). A node already on the
# PATH is used as it is (Debian's npm package conflicts with a node from
# elsewhere); else Debian's nodejs and npm are installed. npm ci runs only
# when the lock file differs from the one it last installed.
set -eu

pkgs_build="make gcc pkg-config libfreetype-dev libharfbuzz-dev libfontconfig-dev
 libpng-dev libgif-dev libusb-1.0-0-dev libsystemd-dev liblunar-date-dev libglib2.0-dev libsodium-dev
 libmosquitto-dev libjson-c-dev"
pkgs_run="fonts-wqy-zenhei fonts-noto-cjk fonts-dejavu-core xfonts-wqy fonts-symbola"
pkgs_test="$pkgs_build $pkgs_run libcmocka-dev tzdata clang libclang-rt-14-dev
 umockdev libumockdev-dev libharfbuzz-bin python3 man-db systemd fiu-utils libfiu0 util-linux
 gcc-arm-none-eabi libnewlib-arm-none-eabi
 mosquitto mosquitto-clients openssl"
# make deb, and the test that builds the package and runs lintian on it.
pkgs_deb="$pkgs_build debhelper dpkg-dev"
pkgs_test="$pkgs_test $pkgs_deb lintian"
pkgs_fuzz="clang libclang-rt-14-dev"
pkgs_bench="$pkgs_test libharfbuzz-bin time"
pkgs_firmware="gcc-arm-none-eabi libnewlib-arm-none-eabi"
pkgs_emulator=""

want=""
emulator=""
for group in "$@"; do
    eval "want=\"\$want \$pkgs_$group\""
    case $group in test|bench|emulator) emulator=1 ;; esac
done
if [ -n "$emulator" ] && ! command -v node >/dev/null 2>&1; then
    want="$want nodejs npm"
fi

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac
    fi
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ -n "$missing" ]; then
    echo "deps: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine has empty package lists; refresh once if a package is unknown.
    if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
        $SUDO apt-get update -q >/dev/null
        $SUDO apt-get install -y -q --no-install-recommends $missing
    fi
fi

# The emulator's npm packages: npm ci when the lock file changed since the
# last install (node_modules/.ledticker-lock is a copy of it).
if [ -n "$emulator" ]; then
    dir="$(dirname "$0")/../tests/rp2040"
    if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.ledticker-lock" 2>/dev/null; then
        echo "deps: npm ci in tests/rp2040" >&2
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
        cp "$dir/package-lock.json" "$dir/node_modules/.ledticker-lock"
    fi
fi
