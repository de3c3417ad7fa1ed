#!/bin/sh
# Install the Debian packages a make target needs, only when some are missing.
# Usage: packaging/deps.sh GROUP...   (groups: build run test deb fuzz bench firmware)
# It asks dpkg first, so a second run costs a few milliseconds and never
# touches the network. CI runs as root with no terminal: nothing may prompt.
set -eu

pkgs_build="make gcc pkg-config libfreetype-dev libharfbuzz-dev libfontconfig-dev
 libpng-dev libgif-dev libusb-1.0-0-dev libsystemd-dev liblunar-date-dev"
pkgs_run="fonts-wqy-zenhei fonts-noto-cjk fonts-dejavu-core xfonts-wqy fonts-symbola"
pkgs_test="$pkgs_build $pkgs_run libcmocka-dev tzdata clang libclang-rt-14-dev
 umockdev libumockdev-dev libharfbuzz-bin python3 fiu-utils libfiu0 util-linux"
# make deb, and the test that builds the package and runs lintian on it.
pkgs_deb="$pkgs_build debhelper dpkg-dev"
pkgs_test="$pkgs_test $pkgs_deb lintian"
pkgs_fuzz="clang libclang-rt-14-dev"
pkgs_bench="$pkgs_test libharfbuzz-bin time"
pkgs_firmware="gcc-arm-none-eabi libnewlib-arm-none-eabi"

want=""
for group in "$@"; do
    eval "want=\"\$want \$pkgs_$group\""
done

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac
    fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; refresh once if a package is unknown.
if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends $missing
fi
