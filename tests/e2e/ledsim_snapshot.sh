#!/bin/sh
# ledsim applies the worked example of docs/protocol.md exactly as the
# document says: its --raw snapshot has the pixels worked out there by hand.
# Then: a damaged command is dropped and counted while the rest still lands,
# and bad usage / missing input give the documented exit codes.
set -u
: "${BUILD:=build}"
LEDSIM="$BUILD/ledsim"
[ -x "$LEDSIM" ] || { echo "no $LEDSIM" >&2; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 is not installed: run packaging/deps.sh test" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Hex (whitespace-separated pairs) to bytes, in POSIX sh.
unhex() {
    for h in $1; do printf "\\$(printf '%03o' "0x$h")"; done
}

FILL="4c ed 01 00 00 00 0b 00 35 25 92 ba 00 00 00 00 40 00 20 00 00 00 20"
MONO="4c ed 02 00 01 00 12 00 2e 00 d9 74 02 00 03 00 08 00 02 00 01 00 ff c8 00 00 00 20 3c 42"
RLE="4c ed 02 00 02 00 16 00 a1 f9 58 05 0a 00 05 00 04 00 01 00 02 01 00 00 00 00 00 00 81 00 f8 00 e0 07"
SCROLL="4c ed 03 00 03 00 0f 00 44 8c 8e 2e 00 00 00 00 40 00 10 00 ff ff 00 00 00 00 20"
PRESENT="4c ed 04 00 04 00 08 00 94 2e 75 f0 01 00 00 00 e8 03 00 00"
unhex "$FILL $MONO $RLE $SCROLL $PRESENT" > "$tmp/example.bin"
[ "$(wc -c < "$tmp/example.bin")" -eq 134 ] || { echo "example stream is not 134 bytes" >&2; exit 1; }

"$LEDSIM" --board hub75-64x32 --strict --snapshot "$tmp/raw.png" --raw < "$tmp/example.bin" \
    || { echo "ledsim failed on the example" >&2; exit 1; }

# Decode the PNG (stdlib only) and check pixels against the document.
check_png() {
    python3 - "$@" <<'PY'
import struct, sys, zlib
path, checks = sys.argv[1], sys.argv[2:]
data = open(path, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and ctype == 2, 'want 8-bit RGB'
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
raw, stride, rows, prev = zlib.decompress(idat), w * 3, [], bytearray(w * 3)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - 3] if i >= 3 else 0
        b, c = prev[i], (prev[i - 3] if i >= 3 else 0)
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        pred = [0, a, b, (a + b) // 2, a if pa <= pb and pa <= pc else b if pb <= pc else c][f]
        line[i] = (line[i] + pred) & 0xFF
    rows.append(line)
    prev = line
bad = 0
for chk in checks:            # x,y=r,g,b
    xy, rgb = chk.split('=')
    x, y = map(int, xy.split(','))
    want = tuple(map(int, rgb.split(',')))
    got = tuple(rows[y][x * 3:x * 3 + 3])
    if got != want:
        print('%s: pixel (%d,%d) is %s, want %s' % (path, x, y, got, want))
        bad += 1
print('%dx%d' % (w, h))
sys.exit(1 if bad else 0)
PY
}

Y=255,200,0; B=0,0,32; R=255,0,0; G=0,255,0
size=$(check_png "$tmp/raw.png" \
    3,3=$Y 4,3=$Y 5,3=$Y 6,3=$Y 2,3=$B 7,3=$B \
    2,4=$Y 7,4=$Y 3,4=$B 6,4=$B \
    9,5=$R 10,5=$R 11,5=$R 12,5=$G 13,5=$B 8,5=$B \
    63,0=$B 63,15=$B 63,16=$B 0,31=$B 40,20=$B) || { echo "$size" >&2; exit 1; }
[ "$size" = 64x32 ] || { echo "snapshot is $size, want 64x32" >&2; exit 1; }

# The LED-dot view is 8 PNG pixels per LED, lit in the middle of each dot.
"$LEDSIM" --board hub75-64x32 --snapshot "$tmp/dots.png" "$tmp/example.bin" || exit 1
size=$(check_png "$tmp/dots.png" 28,28=$Y 100,44=$G) || { echo "$size" >&2; exit 1; }
[ "$size" = 512x256 ] || { echo "dot view is $size, want 512x256" >&2; exit 1; }

# --term draws the panel with 24-bit colour, two pixels per cell: 16 lines
# for 32 rows, the yellow (255,200,0) of row 3 as the upper half of a cell
# (foreground) and of row 4 as the lower half (background).
"$LEDSIM" --board hub75-64x32 --term --fast "$tmp/example.bin" > "$tmp/term.txt" || exit 1
grep -q "$(printf '\033')\[38;2;255;200;0m" "$tmp/term.txt" || { echo "--term: no yellow foreground" >&2; exit 1; }
grep -q "$(printf '\033')\[48;2;255;200;0m" "$tmp/term.txt" || { echo "--term: no yellow background" >&2; exit 1; }
last=$(tail -n 16 "$tmp/term.txt" | grep -c "$(printf '\342\226\200')")
[ "$last" -eq 16 ] || { echo "--term: last picture has $last lines of cells, want 16" >&2; exit 1; }

# One flipped bit in the mono BLIT's payload: that command alone is lost.
DAMAGED=$(echo "$MONO" | sed 's/3c 42$/3c 43/')
unhex "$FILL $DAMAGED $RLE $SCROLL $PRESENT" > "$tmp/damaged.bin"
"$LEDSIM" --board hub75-64x32 "$tmp/damaged.bin" > "$tmp/counters.txt" || exit 1
grep -qx 'crc_errors 1' "$tmp/counters.txt" || { cat "$tmp/counters.txt" >&2; exit 1; }
grep -qx 'frames_ok 4' "$tmp/counters.txt" || { cat "$tmp/counters.txt" >&2; exit 1; }
grep -qx 'presented_seq 1' "$tmp/counters.txt" || { cat "$tmp/counters.txt" >&2; exit 1; }
"$LEDSIM" --board hub75-64x32 --snapshot "$tmp/damaged.png" --raw "$tmp/damaged.bin" || exit 1
check_png "$tmp/damaged.png" 3,3=$B 12,5=$G >/dev/null || { echo "damaged stream drew wrong" >&2; exit 1; }
"$LEDSIM" --board hub75-64x32 --strict "$tmp/damaged.bin" >/dev/null 2>&1
[ $? -eq 1 ] || { echo "--strict should fail on decoder errors" >&2; exit 1; }

# Host silence: shorten the timeouts (TIMEOUTS 1000 ms / 1500 ms, framed by
# an independent CRC-16/CCITT-FALSE in Python), let the controller run on
# for 2.5 s after the input ends: the notice replaces the frame.
python3 - "$tmp/timeouts.bin" <<'PY'
import struct, sys
def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc
assert crc16(b'123456789') == 0x29B1
payload = struct.pack('<II', 1000, 1500)
head = struct.pack('<BBBBHHH', 0x4C, 0xED, 0x09, 0, 5, len(payload), crc16(payload))
open(sys.argv[1], 'wb').write(head + struct.pack('<H', crc16(head)) + payload)
PY
cat "$tmp/example.bin" "$tmp/timeouts.bin" > "$tmp/silent.bin"
# First through a live pipe that goes quiet: the controller keeps running.
{ cat "$tmp/silent.bin"; sleep 2.5; } | "$LEDSIM" --board hub75-64x32 > "$tmp/silent.txt" || exit 1
grep -qx 'notice yes' "$tmp/silent.txt" || { cat "$tmp/silent.txt" >&2; exit 1; }
grep -qx 'frames_ok 6' "$tmp/silent.txt" || { cat "$tmp/silent.txt" >&2; exit 1; }
"$LEDSIM" --board hub75-64x32 --linger 2.5 --snapshot "$tmp/notice.png" --raw "$tmp/silent.bin" || exit 1
# The notice is text on black: the example's blue background is gone.
check_png "$tmp/notice.png" 0,0=0,0,0 63,31=0,0,0 3,3=0,0,0 >/dev/null \
    || { echo "the silence notice did not replace the frame" >&2; exit 1; }

# A stream made for another panel: said in two lines naming the counter and
# both sizes, not a frozen panel and silence; --strict still exits 1.
"$BUILD/ledticker" run -c examples/lishi.ini --output record:"$tmp/s256.bin" \
    --clock-start "2026-03-02 09:30" --clock-rate max --seconds 1 2>/dev/null || exit 1
"$LEDSIM" --board hub75-64x32 --snapshot "$tmp/wrong.png" "$tmp/s256.bin" 2>"$tmp/wrong.err" \
    || { echo "a stream for another panel without --strict should exit 0" >&2; exit 1; }
grep -q 'ledsim: warning: the decoder rejected commands (bad_field [0-9]*)' "$tmp/wrong.err" &&
    grep -q 'the stream is for a 256x32 panel at least; board hub75-64x32 is 64x32' "$tmp/wrong.err" ||
    { echo "no warning for a stream made for 256x32: $(cat "$tmp/wrong.err")" >&2; exit 1; }
"$LEDSIM" --board hub75-64x32 --strict "$tmp/s256.bin" >/dev/null 2>&1
[ $? -eq 1 ] || { echo "--strict should exit 1 on a stream for another panel" >&2; exit 1; }
"$LEDSIM" --board hub75-256x32 --strict --snapshot "$tmp/right.png" "$tmp/s256.bin" 2>"$tmp/right.err" &&
    [ ! -s "$tmp/right.err" ] || { echo "the right board warns: $(cat "$tmp/right.err")" >&2; exit 1; }

# Usage and input errors.
"$LEDSIM" --board no-such-board < /dev/null >/dev/null 2>&1
[ $? -eq 2 ] || { echo "unknown board should exit 2" >&2; exit 1; }
"$LEDSIM" --board hub75-64x32 "$tmp/missing.bin" >/dev/null 2>&1
[ $? -eq 1 ] || { echo "missing input should exit 1" >&2; exit 1; }
exit 0
