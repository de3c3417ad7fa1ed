#!/usr/bin/env python3
"""ptyterm.py COLS ROWS[,COLS2,ROWS2] OUT CMD...: runs CMD in a
pseudo-terminal of COLS x ROWS (as a user's terminal would be), saves all it
writes there to OUT, and exits with CMD's status. With COLS2,ROWS2 the
terminal is resized to that (with SIGWINCH, as a terminal window does) half
a second after CMD first writes.

ptyterm.py --decode OUT PPM [N]: decodes the frame drawn in OUT after its
first screen clear (or its clear number N: one more after each resize),
half blocks, quadrant blocks or braille in 24-bit colour, back into pixels
and compares them with the binary PPM (the frame `preview` writes). Prints
one line: the cell kind, the pixels drawn (width, height), the pixels that
came out exactly and those compared, the same for the lit ones (a channel
at 128 or more), and the columns and lines used."""
import os, pty, re, select, signal, struct, sys, fcntl, termios, time


def set_size(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def run(cols, rows, resize, out, cmd):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    set_size(fd, cols, rows)
    data = b""
    resize_at = None
    while True:
        if resize and data and resize_at is None:
            resize_at = time.monotonic() + 0.5
        if resize and resize_at is not None and time.monotonic() >= resize_at:
            set_size(fd, *resize)
            os.kill(pid, signal.SIGWINCH)
            resize = None
        r, _, _ = select.select([fd], [], [], 0.1 if resize else 30)
        if not r and resize:
            continue
        if not r:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(data)
    return os.waitstatus_to_exitcode(status)


QUAD = {0x20: 0, 0x2598: 1, 0x259D: 2, 0x2580: 3, 0x2596: 4, 0x258C: 5, 0x259E: 6,
        0x259B: 7, 0x2597: 8, 0x259A: 9, 0x2590: 10, 0x259C: 11, 0x2584: 12,
        0x2599: 13, 0x259F: 14, 0x2588: 15}
BRAILLE = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)]


def first_frame(text, clear=0):
    """The lines of the frame drawn after the clear number `clear` (the
    screen is cleared at the start and after each resize), to the next home."""
    start = -1
    for _ in range(clear + 1):
        start = text.index("\x1b[2J\x1b[H", start + 1)
    start += len("\x1b[2J\x1b[H")
    end = text.find("\x1b[H", start)
    return text[start:end if end >= 0 else len(text)].split("\n")


def decode(text, clear=0):
    """Cells as (fg, bg, code point) per line."""
    sgr = re.compile(r"\x1b\[([0-9;]*)m")
    lines, kinds = [], set()
    for raw in first_frame(text, clear):
        fg, bg, cells, i = (0, 0, 0), (0, 0, 0), [], 0
        while i < len(raw):
            m = sgr.match(raw, i)
            if m:
                p = [int(v) for v in m.group(1).split(";") if v]
                if p[:2] == [38, 2]:
                    fg = tuple(p[2:5])
                if p[:2] == [48, 2]:
                    bg = tuple(p[2:5])
                if len(p) > 5 and p[5:7] == [48, 2]:
                    bg = tuple(p[7:10])
                i = m.end()
                continue
            cp = ord(raw[i])
            if cp == 0x2580 or cp in QUAD or 0x2800 <= cp <= 0x28FF:
                cells.append((fg, bg, cp))
            i += 1
        if cells:
            lines.append(cells)
    return lines


def pixels_of(lines):
    """The picture the cells show, and the cell kind."""
    quad = any(c[2] in QUAD and c[2] not in (0x2580, 0x20) for l in lines for c in l)
    braille = any(0x2800 <= c[2] <= 0x28FF for l in lines for c in l)
    kind = "braille" if braille else "quadrant" if quad else "half"
    pic = {}
    for ly, cells in enumerate(lines):
        for cx, (fg, bg, cp) in enumerate(cells):
            if kind == "half":
                pic[(cx, 2 * ly)] = fg
                pic[(cx, 2 * ly + 1)] = bg
            elif kind == "quadrant":
                mask = QUAD.get(cp, 0)
                for k in range(4):
                    pic[(2 * cx + (k & 1), 2 * ly + k // 2)] = fg if mask >> k & 1 else bg
            else:
                bits = cp - 0x2800 if cp >= 0x2800 else 0
                for b, (dx, dy) in enumerate(BRAILLE):
                    pic[(2 * cx + dx, 4 * ly + dy)] = fg if bits >> b & 1 else (0, 0, 0)
    return pic, kind


def read_ppm(path):
    data = open(path, "rb").read()
    parts = data.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    body = parts[3]
    return w, h, {(x, y): tuple(body[3 * (y * w + x):3 * (y * w + x) + 3])
                  for y in range(h) for x in range(w)}


def main():
    if sys.argv[1] == "--decode":
        text = open(sys.argv[2], "rb").read().decode("utf-8", "replace")
        clear = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        lines = decode(text, clear)
        pic, kind = pixels_of(lines)
        w, h, ref = read_ppm(sys.argv[3])
        drawn_w = min(w, max((x for x, _ in pic), default=-1) + 1)
        lit = [p for p, c in ref.items() if max(c) >= 128 and p[0] < drawn_w]
        same = sum(1 for p, c in ref.items() if p[0] < drawn_w and pic.get(p) == c)
        lit_same = sum(1 for p in lit if pic.get(p) == ref[p])
        shown = sum(1 for p in ref if p[0] < drawn_w)
        widest = max((len(l) for l in lines), default=0)
        print("%s %d %d %d %d %d %d %d %d" % (kind, drawn_w, h, same, shown, lit_same, len(lit),
                                             widest, len(lines)))
        return 0
    cols, rows = int(sys.argv[1]), sys.argv[2].split(",")
    resize = (int(rows[1]), int(rows[2])) if len(rows) == 3 else None
    return run(cols, int(rows[0]), resize, sys.argv[3], sys.argv[4:])


sys.exit(main())
