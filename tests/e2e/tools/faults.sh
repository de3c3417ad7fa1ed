# Shared by the fault-injection e2e scripts (tests/e2e/faults_*.sh).
# Sourced after common.sh. Gives:
#   faults_config DIR PLAYLOG   a config with short, fast passes (a pass a
#                               couple of clock seconds, long IDs so a page of
#                               the play log fills in a few passes)
#   wait_for FILE PATTERN [SECONDS]   until grep -q finds it (fails on timeout)
#   wait_count FILE PATTERN N [SECONDS]   until N lines match
#   check_frames REC FPS RATE [RELOAD_MS]  the record: output's frames keep the frame rate
#   check_passes ERR LOG...   the play log files, in order, hold every pass
#                             the run reported (-vv "pass done" lines), in order
#   fault_lines ERR           the warning/error/notice lines of a run's stderr
#   fiu_run [-c CMD]... PROG ARGS   fiu-run -x, also for an ASan build
[ -x "$BUILD/tests/tools/wirecmds" ] || fail "no $BUILD/tests/tools/wirecmds"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:verify_asan_link_order=0"
# libfiu's run preload keeps one strdup for the process's life.
echo "leak:fiu_run_preload.so" > "$T/lsan.supp"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$T/lsan.supp"

# fiu_run ARGS... : fiu-run -x ARGS. Under ASan the runtime must come first
# in LD_PRELOAD (its start-up calls dlsym, which the POSIX preload's malloc
# wrapper would re-enter), and fiu-run sets LD_PRELOAD itself: a shell puts
# libasan in front and execs the program (same pid: fiu-ctrl still finds it).
# ASan's malloc then comes before libfiu's, so libc/mm/* injection does not
# reach an ASan binary; posix/io/* (write, open, fsync) does.
# fiu_pid: the pid of the one program running under fiu_run (its control
# FIFO in $TMPDIR; a backgrounded shell function's $! is a subshell).
fiu_pid() {
    _n=100
    while :; do
        for _f in "$TMPDIR"/fiu-ctrl-*.in; do
            _p=${_f##*-}; _p=${_p%.in}
            [ -e "$_f" ] && kill -0 "$_p" 2>/dev/null && { echo "$_p"; return; }
        done
        _n=$((_n - 1)); [ $_n -gt 0 ] || fail "no program under fiu-run"
        sleep 0.1
    done
}

fiu_run() {
    if [ "${SANITIZE:-}" = 1 ]; then
        _o=""
        while [ "$1" = -c ]; do _o="$_o -c \"$2\""; shift 2; done
        eval fiu-run -x $_o sh -c "'LD_PRELOAD=\"$(${CC:-cc} -print-file-name=libasan.so) \$LD_PRELOAD\" exec \"\$0\" \"\$@\"'" '"$@"'
    else
        _o=""
        while [ "$1" = -c ]; do _o="$_o -c \"$2\""; shift 2; done
        eval fiu-run -x $_o '"$@"'
    fi
}
ID1=notice-of-the-community-service-centre-about-the-winter-heating
ID2=road-works-on-the-east-street-between-the-hospital-and-the-mark
faults_config() {
    cat > "$1" <<INI
[display]
board = hub75-256x32
size = 16
fps = 1
speed = 160
play_log = $2
idle = blank
[message $ID1]
headline = 供暖通知
color = #00FF00
[message $ID2]
headline = 东街施工
color = #FFFF00
INI
}

wait_for() { wait_count "$1" "$2" 1 "${3:-30}"; }

# wait_count FILE PATTERN N [SECONDS]: until N lines match.
wait_count() {
    _n=$(( ${4:-30} * 10 ))
    while [ "$(cat "$1" 2>/dev/null | grep -c -- "$2")" -lt "$3" ]; do
        _n=$((_n - 1))
        [ $_n -gt 0 ] || fail "waited in vain for '$2' in $1: $(tail -5 "$1" 2>/dev/null)"
        sleep 0.1
    done
}

# check_frames REC FPS RATE: frames from the recording, made on a testing
# clock running RATE times real time. PRESENT's host time steps by one
# frame period (1000/FPS ms). On a loaded machine the loop may skip a late
# frame, as it should (2 cores shared by many builds), but a fault never
# stalls the panel: at least 95% of the periods are exact and no gap is
# longer than half a second of real time. Reloads get no exemption: the
# new config is built off the frame loop (src/cli/showbuild.c), so a
# reload must not show as a gap either.
check_frames() {
    "$BUILD/tests/tools/wirecmds" "$1" > "$T/cmds" || fail "wirecmds $1"
    awk -v fps="$2" -v limit="$((500 * $3))" '
        $1 == "present" {
            if (n++) {
                d = $3 - prev
                if (d == 1000 / fps) ok++
                else if (d > max) max = d
            }
            prev = $3
        }
        $1 == "bad" { bad = $2 }
        END {
            printf "frames: %d, %d of %d periods exact (%.0f ms), longest gap %d ms, %d bad\n",
                   n, ok, n - 1, 1000 / fps, max, bad
            exit !(n > 10 && ok >= 0.95 * (n - 1) && max <= limit && !bad)
        }' "$T/cmds" || fail "frames did not keep flowing at $2 fps"
}

check_passes() {
    _err=$1; shift
    sed -n 's/.*debug: pass done: \([^,]*\), \([0-9.]*\) s$/\1 \2/p' "$_err" > "$T/passes.want"
    cat "$@" | awk '{ print $2, $3 }' > "$T/passes.got"
    [ -s "$T/passes.want" ] || fail "no passes reported"
    cmp -s "$T/passes.want" "$T/passes.got" || {
        diff "$T/passes.want" "$T/passes.got" | head -10
        fail "the play log does not hold every pass in order ($(wc -l < "$T/passes.want") reported, $(wc -l < "$T/passes.got") logged)"
    }
    echo "play log: all $(wc -l < "$T/passes.want") passes, in order"
}

fault_lines() { grep -E ': (warning|error|notice): ' "$1" | grep -v 'has expired'; }
