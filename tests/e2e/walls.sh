#!/bin/sh
# The architecture's walls (docs/architecture.md), held by grep over every
# #include in src/ and firmware-host/:
# - firmware-host/ includes nothing from src/ (it builds alone for a
#   microcontroller);
# - util/ is the bottom: it includes no other module;
# - text/ and schedule/ know nothing of compose, the encoder, transports or
#   the CLI;
# - compose/ knows nothing of the encoder, transports or the CLI;
# - protocol/ (the encoder) knows nothing of compose, transports or the CLI;
# - transport/ knows nothing of compose, text, schedule or the CLI;
# - fleet/ (bundles, the cache, MQTT, the kiosk client) includes only
#   util/ and itself: it knows no config, schedule, compose or transport,
#   and the CLI hands it what it needs as callbacks;
# - only src/cli/ wires the fleet to the config and the reload path: no
#   other module includes a fleet/ header;
# - only src/cli/ and src/main.c wire modules together: nothing else
#   includes a cli/ header;
# - the schedule names no transport and reads no boards directory.
set -u
fail=0
# wall DIR REGEX WHY: no #include in DIR names a header matching REGEX.
wall() {
    hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]($2)" "$1" --include='*.c' --include='*.h')
    if [ -n "$hits" ]; then
        echo "FAIL: $1 $3:"
        echo "$hits" | sed 's/^/    /'
        fail=1
        return 1
    fi
}
modules='util|text|schedule|compose|protocol|transport|fleet|cli'
wall firmware-host "(\\.\\./)*src/|($modules)/" "must build without src/ (it includes a src/ header)"
wall src/util "(text|schedule|compose|protocol|transport|fleet|cli)/" "is the bottom layer and includes no other module"
wall src/text "(compose|protocol|transport|cli)/" "must know nothing of compose, the encoder, transports or the CLI"
wall src/schedule "(compose|protocol|transport|cli)/" "must know nothing of compose, the encoder, transports or the CLI"
wall src/compose "(protocol|transport|cli)/" "must know nothing of the encoder, transports or the CLI"
wall src/protocol "(compose|transport|cli)/" "must know nothing of compose, transports or the CLI"
wall src/transport "(compose|text|schedule|cli)/" "must know nothing of compose, text, schedule or the CLI"
[ -d src/fleet ] || { echo "FAIL: no src/fleet"; fail=1; }
wall src/fleet "(text|schedule|compose|protocol|transport|cli)/" "must include only util/ and fleet/: the CLI wires it to the config and reload"
for d in src/*/; do
    case $d in src/cli/) continue ;; esac
    wall "${d%/}" "cli/" "must not include the CLI: only src/cli/ and src/main.c wire modules"
    case $d in src/fleet/) continue ;; esac
    wall "${d%/}" "fleet/" "must not include the fleet: only src/cli/ wires it to the config and reload"
done
# The schedule is text and time: it names no transport and reads no boards
# directory; the CLI checks [display] output and board through
# config_options.check_* (src/cli/cfgcheck.c).
hits=$(grep -nE 'opendir|boards_dir|"(usb|sim|term|record:?)"' src/schedule/*.c src/schedule/*.h)
if [ -n "$hits" ]; then
    echo "FAIL: src/schedule must not know transport names or read the boards directory:"
    echo "$hits" | sed 's/^/    /'
    fail=1
fi
# The check itself: a line that breaks a wall is found (so a typo in a
# pattern cannot make every wall pass).
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/probe"
printf '#include "compose/frame.h"\n' > "$T/probe/x.c"
( wall "$T/probe" "compose/" "probe" ) >/dev/null && { echo "FAIL: the wall check misses a compose include"; fail=1; }
printf '#include "schedule/config.h"\n' > "$T/probe/x.c"
( wall "$T/probe" "(text|schedule|compose|protocol|transport|cli)/" "probe" ) >/dev/null &&
    { echo "FAIL: the wall check misses a schedule include in the fleet"; fail=1; }
printf '#  include <transport/usb.h>\n' > "$T/probe/x.c"
( wall "$T/probe" "transport/" "probe" ) >/dev/null && { echo "FAIL: the wall check misses a spaced include"; fail=1; }
[ "$fail" = 0 ] && echo "walls: hold"
exit $fail
