# Sourced (not run) by everything that runs test binaries: tests/run-unit.sh,
# tests/run-e2e.sh, tests/run-replay.sh. Two rules they share: sanitizer
# reports fail a test (below), and so do skips (skips_verdict, at the end).
#
# ASan, LSan and UBSan exit 1 by default, the same code as an expected user
# error, so a leak in `ledticker check -c missing.ini` would pass a test that
# expects exit 1. Here all three exit SAN_EXIT (99) instead (UBSan, running
# inside the ASan runtime, takes its exit code from UBSAN_OPTIONS only).
# ASan and LSan also write their reports to files under $SAN_LOG_DIR, so a
# report from a binary whose exit code a script ignores (a probe in an `if`,
# a process in the background) is still found by san_reports and fails the
# test. (UBSan inside ASan ignores log_path and prints to stderr; it halts
# on the first error with exit 99.)
# Options already in the environment are kept; these come last and win.
SAN_EXIT=99
# A runner started by another (tests/e2e/runners.sh) gets its own directory
# when it is given one; otherwise it shares its parent's and leaves it alone.
san_own_dir=0
if [ -z "${SAN_LOG_DIR:-}" ]; then
    SAN_LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ledticker-san.XXXXXX")
    san_own_dir=1
fi
export SAN_LOG_DIR
_san_common="exitcode=$SAN_EXIT:log_path=$SAN_LOG_DIR/report"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:+$ASAN_OPTIONS:}$_san_common"
# The one known leak, liblunar-date's, is suppressed (tests/lsan.supp says
# why); the path is absolute, for scripts that change folder.
_san_supp="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
export LSAN_OPTIONS="$_san_supp:${LSAN_OPTIONS:+$LSAN_OPTIONS:}$_san_common"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}$_san_common"

# san_reports NAME: prints (indented) and removes the reports written since
# the last call; returns 1 when there were any. A file without an ERROR line
# is not a report (LSan's "Suppressions used" table for a test's own
# suppressions file, say): it is removed quietly.
san_reports() {
    _found=0
    for _r in "$SAN_LOG_DIR"/report.*; do
        [ -e "$_r" ] || continue
        if grep -q 'ERROR: \|runtime error' "$_r"; then
            [ "$_found" = 1 ] || echo "$1: sanitizer report (exit $SAN_EXIT):"
            _found=1
            sed 's/^/    /' "$_r"
        fi
        rm -f "$_r"
    done
    [ "$_found" = 0 ]
}

# skips_verdict KIND COUNT NAMES: a skipped test fails the run, since CI
# must not pass on what it did not test, unless LEDTICKER_ALLOW_SKIP=1 (for
# a developer's machine without, say, a free USB bus). Returns 1 to fail.
skips_verdict() {
    [ "$2" -ne 0 ] || return 0
    if [ "${LEDTICKER_ALLOW_SKIP:-0}" = 1 ]; then
        echo "$1: skips allowed (LEDTICKER_ALLOW_SKIP=1):$3" >&2
        return 0
    fi
    echo "$1: skipped tests fail the run:$3 (set LEDTICKER_ALLOW_SKIP=1 to allow)" >&2
    return 1
}

# For the runner's EXIT trap.
san_cleanup() {
    [ "$san_own_dir" = 0 ] || rm -rf "$SAN_LOG_DIR"
}
