#!/bin/sh
# Reloads do not stall the panel (make bench). `ledticker run` plays 40
# notices on the real clock at 50 fps into a recording while the config is
# saved five times; each save is a new config whose strips must be drawn.
# That drawing happens beside the frame loop (src/cli/showbuild.c), so the
# frames around each reload keep their period. Prints how long each build
# took (what the panel would have frozen for, had it been built in the
# loop) beside the longest gap between frames within a second after each
# reload. Goal: no such gap longer than 3 frame periods (60 ms).
. tests/e2e/tools/common.sh    # $BUILD, $LT, scratch $T, TZ=Asia/Shanghai
fail() { echo "reload_stall: FAIL: $*"; exit 1; }
# A district's day: the example's display at 50 fps, anti-aliased, and 40
# notices cut from the sample news page (about 300 characters each).
SEED=tests/data/000_158b273b953cb734.txt
{
    sed -n '/^\[display\]$/,/^$/p' examples/lishi.ini | sed -e '/^mode = /d' -e '/^$/d'
    printf 'fps = 50\nmode = gray\n\n'
    python3 - "$SEED" <<'PY'
import sys
page = "".join(open(sys.argv[1], encoding="utf-8").read().split())
for i in range(40):
    off = (i * 97) % (len(page) - 330)
    print(f"[message n{i:02d}]\nheadline = 第{i + 1}条 {page[off:off + 24]}\n"
          f"summary = {page[off + 24:off + 324]}\n")
PY
} > "$T/t.ini"
"$LT" -v run -c "$T/t.ini" --output "record:$T/rec" --clock-start "2026-03-02 09:00" \
    --seconds 14 2>"$T/err" &
pid=$!
sleep 3
for i in 1 2 3 4 5; do
    # An editor's save: a new headline on the first message, renamed over.
    awk -v i="$i" '/^headline = / && !done { print $0 "（第" i "次更新）"; done = 1; next } { print }' \
        "$T/t.ini" > "$T/.t.ini.new" && mv "$T/.t.ini.new" "$T/t.ini"
    sleep 2
done
wait $pid || fail "run exit $?: $(tail -3 "$T/err")"
# Reload instants (clock ms since the start) and build times.
sed -n 's/.*info: reloaded .* at 2026-03-02 09:\([0-9][0-9]\):\([0-9][0-9]\);.*built in \([0-9]*\) ms.*/\1 \2 \3/p' \
    "$T/err" > "$T/reloads"
n=$(wc -l < "$T/reloads")
[ "$n" -ge 4 ] || fail "only $n reloads taken: $(grep -E 'reload|error' "$T/err" | head -5)"
"$BUILD/tests/tools/wirecmds" "$T/rec" > "$T/cmds" || fail "wirecmds"
awk -v period=20 -v goal=60 '
    FNR == NR { at[++n] = ($1 * 60 + $2) * 1000; built[n] = $3; next }
    $1 == "present" {
        if (seen++) {
            d = $3 - prev
            for (i = 1; i <= n; i++)
                if ($3 >= at[i] - 1000 && $3 <= at[i] + 2000 && d > worst[i]) worst[i] = d
            if (d > all) all = d
        }
        prev = $3
    }
    END {
        for (i = 1; i <= n; i++) {
            printf "reload %d: built in %4d ms beside the loop; longest frame gap around it %3d ms   goal <= %d ms   %s\n",
                   i, built[i], worst[i], goal, worst[i] <= goal ? "MET" : "MISSED"
            if (worst[i] > goal) bad++
        }
        printf "frames: %d, longest gap over the whole run %d ms (period %d ms)\n", seen, all, period
        exit bad > 0
    }' "$T/reloads" "$T/cmds"
