#!/bin/sh
# The test runners cannot be fooled by a sanitizer or a skip:
# - under the runners' environment (tests/runner-env.sh) ASan, LSan and UBSan
#   exit 99, so a leak or undefined behaviour in a command that then exits 1
#   (as a refused config does) can never pass for the expected exit 1;
# - tests/run-unit.sh and tests/run-e2e.sh fail on such a report, even when
#   the script ignores the exit code;
# - both fail on a skipped test unless LEDTICKER_ALLOW_SKIP=1.
# The probes are tests/tools/sanprobe (a leak, signed overflow, a heap
# overflow, then exit 1) and tests/tools/cmocka_skip (a cmocka skip).
. tests/e2e/tools/common.sh
probe=$BUILD/tests/tools/sanprobe
skipper=$BUILD/tests/tools/cmocka_skip
[ -x "$probe" ] && [ -x "$skipper" ] || fail "no $probe or $skipper (make e2e builds them)"

# 1. The environment every runner gives its tests.
for v in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
    eval "o=\${$v:-}"
    last=$(printf '%s\n' "$o" | tr ':' '\n' | grep '^exitcode=' | tail -1)
    [ "$last" = exitcode=99 ] || fail "$v does not end with exitcode=99: '$o'"
done
"$probe" clean 2>/dev/null
[ $? = 1 ] || fail "sanprobe clean should exit 1 (the 'expected error' the probes imitate)"

# A runner run from here gets its own report directory, so that the probes'
# deliberate reports do not fail this script.
inner() { SAN_LOG_DIR="$T/inner" LEDTICKER_ALLOW_SKIP="${allow:-0}" "$@"; }
mkdir "$T/inner" "$T/own"
cat > "$T/leak-ignored.sh" <<SH
"$probe" leak 2>/dev/null || true
exit 0
SH
printf 'echo "nothing to test here" >&2\nexit 77\n' > "$T/skips.sh"
printf 'exit 0\n' > "$T/passes.sh"
printf '#!/bin/sh\nexec "%s" leak\n' "$probe" > "$T/leaks"
chmod +x "$T/leaks"

if [ "${SANITIZE:-}" = 1 ]; then
    # 2. Each report exits 99, though the program's own exit would be 1.
    for m in leak ub overflow; do
        ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$T/own/r" LSAN_OPTIONS="$LSAN_OPTIONS:log_path=$T/own/r" \
            "$probe" "$m" >/dev/null 2>"$T/$m.err"
        rc=$?
        [ "$rc" = 99 ] || fail "sanprobe $m exited $rc, not 99: $(cat "$T/$m.err" "$T"/own/r.* 2>/dev/null | head -5)"
        rm -f "$T"/own/r.*
    done
    # 3. The runners fail on a report, whether or not its exit code is looked at.
    inner tests/run-unit.sh "$T/leaks" > "$T/unit-leak.out" 2>&1 && fail "run-unit.sh passed a leaking test"
    grep -q 'LeakSanitizer' "$T/unit-leak.out" || fail "run-unit.sh did not show the leak: $(cat "$T/unit-leak.out")"
    grep -q 'leaks(sanitizer)' "$T/unit-leak.out" || fail "run-unit.sh did not name the sanitizer failure"
    inner tests/run-e2e.sh "$T/leak-ignored.sh" > "$T/e2e-leak.out" 2>&1 \
        && fail "run-e2e.sh passed a script whose binary leaked: $(cat "$T/e2e-leak.out")"
    grep -q 'FAIL leak-ignored.sh (exit 99)' "$T/e2e-leak.out" || fail "run-e2e.sh: $(cat "$T/e2e-leak.out")"
    echo "sanitizers: leak, ub and overflow exit 99; both runners fail on a leak"
else
    # Not sanitized: the probe only exits 1, and a runner passes it.
    inner tests/run-e2e.sh "$T/leak-ignored.sh" > "$T/e2e-leak.out" 2>&1 \
        || fail "run-e2e.sh failed a clean script: $(cat "$T/e2e-leak.out")"
    echo "sanitizers: not a sanitized build; the probes run under make SANITIZE=1 test"
fi

# 4. A skip fails the run, unless allowed.
inner tests/run-unit.sh "$skipper" > "$T/unit-skip.out" 2>&1 && fail "run-unit.sh passed a skipped test"
grep -q 'skipped tests fail the run: cmocka_skip' "$T/unit-skip.out" || fail "run-unit.sh: $(cat "$T/unit-skip.out")"
allow=1 inner tests/run-unit.sh "$skipper" > "$T/unit-skip.out" 2>&1 \
    || fail "run-unit.sh failed a skip with LEDTICKER_ALLOW_SKIP=1: $(cat "$T/unit-skip.out")"
inner tests/run-e2e.sh "$T/passes.sh" "$T/skips.sh" > "$T/e2e-skip.out" 2>&1 && fail "run-e2e.sh passed a skip"
grep -q 'e2e: 1 passed, 0 failed, 1 skipped' "$T/e2e-skip.out" || fail "run-e2e.sh: $(cat "$T/e2e-skip.out")"
allow=1 inner tests/run-e2e.sh "$T/passes.sh" "$T/skips.sh" > "$T/e2e-skip.out" 2>&1 \
    || fail "run-e2e.sh failed a skip with LEDTICKER_ALLOW_SKIP=1: $(cat "$T/e2e-skip.out")"
echo "skips: both runners fail on one, pass it with LEDTICKER_ALLOW_SKIP=1"
