#!/bin/sh
# The property test through the real command: random configs written to a
# file, `ledticker schedule --at --json` compared with a direct evaluation
# of the rules (tests/unit/test_sched_property.c --cli).
set -u
: "${BUILD:=build}"
bin="$BUILD/tests/test_sched_property"
[ -x "$bin" ] || { echo "$bin not built (make unit first)" >&2; exit 77; }
exec "$bin" --cli "$BUILD/ledticker"
