#!/bin/sh
# The newsroom's side, offline: `ledticker keygen` and `ledticker publish`
# with --out (no broker): the check before anything is signed, what is
# packed and what is refused, the audit log and the history, --rollback,
# --withdraw, --emergency/--clear and --dry-run --at.
set -u
: "${BUILD:=build}"
LT="$BUILD/ledticker"
export TZ=Asia/Shanghai
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
st="$tmp/state"

# --- keygen ---------------------------------------------------------------
"$LT" keygen --out "$tmp/newsroom" >"$tmp/out" 2>&1 || fail "keygen: $(cat "$tmp/out")"
[ "$(stat -c %a "$tmp/newsroom.key")" = 600 ] || fail "the secret key is not mode 0600"
head -c 25 "$tmp/newsroom.key" | grep -qx "ledticker-ed25519-secret " || fail "not a secret key file"
grep -q "^ledticker-ed25519-public " "$tmp/newsroom.pub" || fail "not a public key file"
cp "$tmp/newsroom.key" "$tmp/key.before"
"$LT" keygen --out "$tmp/newsroom" 2>"$tmp/err" && fail "keygen overwrote a key"
grep -q "never overwrites" "$tmp/err" || fail "no reason given: $(cat "$tmp/err")"
cmp -s "$tmp/newsroom.key" "$tmp/key.before" || fail "the key changed"

# --- a newsroom config with a summary file and an include -----------------
mkdir -p "$tmp/room/news"
cat >"$tmp/room/district.ini" <<'INI'
[message district-1]
headline = 区委办：真情帮扶助秋收 田间地头践初心
summary_file = news/a.txt
hours = 08:00-18:00

include = more.ini
INI
printf '离石区开展秋收帮扶活动。\n' >"$tmp/room/news/a.txt"
printf '[message district-2]\nheadline = 社区服务中心今日开放\n' >"$tmp/room/more.ini"
printf 'ledticker-ed25519-secret x\n' >"$tmp/room/stray.key"      # beside it, never read: not packed
pub() { "$LT" publish --key "$tmp/newsroom.key" --state-dir "$st" "$@"; }

pub -c "$tmp/room/district.ini" --all --out "$tmp/b1" >"$tmp/out" 2>"$tmp/err" ||
    fail "publish: $(cat "$tmp/err")"
head -1 "$tmp/b1" | grep -qx "ledticker-bundle 1" || fail "not a bundle"
grep -aqx "topic ledticker/v1/all/config" "$tmp/b1" || fail "wrong topic"
grep -aqx "files 3" "$tmp/b1" || fail "not 3 files: $(grep -a '^files' "$tmp/b1")"
for n in bundle.ini news/a.txt more.ini; do
    grep -aqE "^[0-9]+ $n\$" "$tmp/b1" || fail "$n not packed"
done
grep -aq "stray.key\|ed25519-secret" "$tmp/b1" && fail "a key was packed"
seq1=$(sed -n 's/^seq \([0-9]*\)$/\1/p' "$tmp/b1" | head -1)
sha1=$(sed -n 's/^sha256 \([0-9a-f]*\)$/\1/p' "$tmp/b1" | head -1)
grep -q "^publish ledticker/v1/all/config seq $seq1 sha256 $sha1 (3 files" "$tmp/out" ||
    fail "publish said: $(cat "$tmp/out")"
[ "$(wc -l <"$st/audit.log")" -eq 1 ] || fail "not one audit line"
grep -q " user=[^ ]* host=[^ ]* action=publish topic=ledticker/v1/all/config seq=$seq1 sha256=$sha1 files=3$" \
    "$st/audit.log" || fail "audit line: $(cat "$st/audit.log")"
cmp -s "$tmp/b1" "$st/history/ledticker+v1+all+config/$seq1.bundle" || fail "not kept in the history"

# --- an error anywhere: nothing signed, written or logged -------------------
cp "$tmp/room/more.ini" "$tmp/more.good"
printf '[message district-2]\nheadline = x\ncolor = #GG0000\n' >"$tmp/room/more.ini"
pub -c "$tmp/room/district.ini" --all --out "$tmp/bad" >/dev/null 2>"$tmp/err" && fail "an error was published"
grep -q "more.ini:3: error" "$tmp/err" || fail "the error does not name more.ini:3: $(cat "$tmp/err")"
[ ! -e "$tmp/bad" ] || fail "a bundle was written"
[ "$(wc -l <"$st/audit.log")" -eq 1 ] || fail "a refused publish was logged"
printf '[display]\nbrightness = 100\n' >"$tmp/room/more.ini"
pub -c "$tmp/room/district.ini" --site lishi-1 --out "$tmp/bad" 2>"$tmp/err" && fail "[display] published"
grep -q "may not contain \[display\]" "$tmp/err" || fail "$(cat "$tmp/err")"
printf 'include = ../outside.ini\n' >"$tmp/room/more.ini"
printf '[message outside]\nheadline = x\n' >"$tmp/outside.ini"
pub -c "$tmp/room/district.ini" --all --out "$tmp/bad" 2>"$tmp/err" && fail "an include outside was published"
grep -q "is outside" "$tmp/err" || fail "$(cat "$tmp/err")"
cp "$tmp/more.good" "$tmp/room/more.ini"

# --- dry run: what a site would play, nothing sent --------------------------
# Over the `all` bundle sent above, the same IDs for a site clash.
pub -c "$tmp/room/district.ini" --site lishi-1 --dry-run --at "2026-12-01 09:00" >/dev/null 2>"$tmp/err" &&
    fail "a site bundle clashing with the all bundle"
grep -q "duplicate message ID 'district-1'" "$tmp/err" || fail "no clash reported: $(cat "$tmp/err")"
st2="$tmp/state2"
"$LT" publish -c "$tmp/room/district.ini" --site lishi-1 --dry-run --at "2026-12-01 09:00" \
    --key "$tmp/newsroom.key" --state-dir "$st2" >"$tmp/out" 2>"$tmp/err" || fail "dry run: $(cat "$tmp/err")"
grep -q "^== site lishi-1" "$tmp/out" || fail "no site heading: $(cat "$tmp/out")"
grep -q "district-1 .*区委办" "$tmp/out" || fail "district-1 not playing at 09:00: $(cat "$tmp/out")"
"$LT" publish -c "$tmp/room/district.ini" --site lishi-1 --dry-run --at "2026-12-01 20:00" \
    --state-dir "$st2" >"$tmp/out" 2>&1 || fail "dry run without a key: $(cat "$tmp/out")"
grep -q "district-1" "$tmp/out" && fail "district-1 plays at 20:00 (hours 08:00-18:00): $(cat "$tmp/out")"
grep -q "district-2" "$tmp/out" || fail "$(cat "$tmp/out")"
[ "$(wc -l <"$st/audit.log")" -eq 1 ] || fail "a dry run was logged"

# --- rollback: the same content, a new and higher seq ----------------------
sleep 0.01
pub --rollback "$seq1" --out "$tmp/b2" >"$tmp/out" 2>"$tmp/err" || fail "rollback: $(cat "$tmp/err")"
seq2=$(sed -n 's/^seq \([0-9]*\)$/\1/p' "$tmp/b2" | head -1)
[ "$seq2" -gt "$seq1" ] || fail "rollback seq $seq2 not above $seq1"
grep -aqx "sha256 $sha1" "$tmp/b2" || fail "rollback changed the content"
grep -q "action=rollback topic=ledticker/v1/all/config seq=$seq2 sha256=$sha1" "$st/audit.log" || fail "not logged"
pub --rollback 12345 --out "$tmp/bad" 2>"$tmp/err" && fail "rollback of a seq never sent"
grep -q "no bundle with seq 12345" "$tmp/err" || fail "$(cat "$tmp/err")"

# --- withdraw, emergency, clear ----------------------------------------------
pub --withdraw --site lishi-1 --out "$tmp/w" >/dev/null 2>"$tmp/err" || fail "withdraw: $(cat "$tmp/err")"
grep -aqx "topic ledticker/v1/site/lishi-1/config" "$tmp/w" && grep -aqx "files 0" "$tmp/w" || fail "not an empty site bundle"
pub --emergency "暴雨红色预警：请勿外出" --until "2026-12-01 10:00" --all --out "$tmp/e" >/dev/null 2>"$tmp/err" ||
    fail "emergency: $(cat "$tmp/err")"
grep -aqx "topic ledticker/v1/all/emergency" "$tmp/e" || fail "emergency topic"
for l in "\[message fleet-emergency-all\]" "headline = 暴雨红色预警：请勿外出" "emergency = yes" \
         "color = #ff0000" "until = 2026-12-01 10:00"; do
    grep -aqx "$l" "$tmp/e" || fail "emergency lacks '$l'"
done
pub --emergency "$(printf 'x\n[display]')" --all --out "$tmp/bad" 2>/dev/null && fail "a newline in an emergency"
pub --clear --all --out "$tmp/c" >/dev/null 2>"$tmp/err" || fail "clear: $(cat "$tmp/err")"
sc=$(sed -n 's/^seq \([0-9]*\)$/\1/p' "$tmp/c" | head -1)
se=$(sed -n 's/^seq \([0-9]*\)$/\1/p' "$tmp/e" | head -1)
[ "$sc" -gt "$se" ] && grep -aqx "files 0" "$tmp/c" || fail "clear is not a newer empty bundle"
# The emergency in a dry run pre-empts, as a config emergency does.
pub --emergency "停电通知" --until "2026-12-01 12:00" --all --dry-run --at "2026-12-01 09:00" >"$tmp/out" 2>"$tmp/err" ||
    fail "emergency dry run: $(cat "$tmp/err")"
grep -q "EMERGENCY" "$tmp/out" && grep -q "fleet-emergency-all" "$tmp/out" || fail "$(cat "$tmp/out")"
grep -q "district-1" "$tmp/out" && fail "the emergency did not pre-empt: $(cat "$tmp/out")"

# --- usage ----------------------------------------------------------------
"$LT" publish -c "$tmp/room/district.ini" --key "$tmp/newsroom.key" --out "$tmp/x" 2>/dev/null
[ $? -eq 2 ] || fail "no target is not a usage error"
"$LT" publish -c "$tmp/room/district.ini" --all --out "$tmp/x" 2>/dev/null
[ $? -eq 2 ] || fail "no key is not a usage error"
exit 0
