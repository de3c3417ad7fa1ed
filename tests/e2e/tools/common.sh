# Shared set-up for the e2e scripts that run the ticker and look at its
# pixels. Sourced, not run (run-e2e.sh runs only tests/e2e/*.sh):
#   . tests/e2e/tools/common.sh
# Gives: $BUILD, $LT (ledticker), $SIM (ledsim), a scratch dir $T removed on
# exit, fail(), TZ=Asia/Shanghai (the example's zone), and for PPM pictures
# build_png2ppm(), pixels() and count_rgb().
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
SIM="$BUILD/ledsim"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export TZ=Asia/Shanghai

# Builds $T/png2ppm, which turns the snapshots ledsim writes into PPM.
build_png2ppm() {
    ${CC:-cc} -O1 -o "$T/png2ppm" tests/e2e/tools/png2ppm.c $(pkg-config --cflags --libs libpng) \
        || fail "cannot build png2ppm"
}

# The pixels of a binary PPM, one "rr gg bb" a line (the 3 header lines skipped).
pixels() { tail -c +"$(( $(sed -n '1,3p' "$1" | wc -c) + 1 ))" "$1" | od -An -v -tx1 -w3; }
# How many pixels of PPM $1 have the colour $2 ("rr gg bb").
count_rgb() { pixels "$1" | grep -c "^ $2\$"; }
