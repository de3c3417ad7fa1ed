#!/bin/sh
# The firmware image on an emulated RP2040 (rp2040js): node's test runner
# over tests/rp2040/test_*.mjs. packaging/deps.sh installs node and the
# pinned rp2040js (npm ci) first.
set -eu
cd "$(dirname "$0")/../.."
[ -n "${NODEPS:-}" ] || packaging/deps.sh emulator
exec node --test --test-reporter=spec tests/rp2040/test_*.mjs
