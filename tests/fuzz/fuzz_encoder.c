/* fuzz_encoder: any sequence of frames, any set of device formats, any
 * chunking: after every PRESENT the real firmware core must show exactly
 * what docs/protocol.md says a device taking those formats shows for the
 * frame (tests/support/shown.h, written apart from the encoder), with no
 * decoder error. Aborts otherwise.
 *
 * Input: byte 0 picks the board, byte 1 the device's pixel formats, then
 * a program of drawing steps on the current frame, 6 bytes each:
 *   op, x, y, w/dx, h, colour-ish; op % 6 = 0 present, 1 fill a rect,
 *   2 scroll a band horizontally, 3 noise from the input, 4 force_full,
 *   5 a two-colour pattern. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/frame.h"
#include "fw.h"
#include "ledproto.h"
#include "protocol/encoder.h"
#include "../support/shown.h"

static struct fw device;

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void colour(uint8_t seed, uint8_t out[3])
{
    out[0] = (uint8_t)(seed * 37);
    out[1] = (uint8_t)(seed * 91 + 7);
    out[2] = (uint8_t)(seed & 0x80 ? 0xFF : seed << 1);
}

static void present(struct encoder *e, const struct frame *f, uint8_t formats, uint32_t seq,
                    unsigned chunk)
{
    check(encoder_frame(e, f, seq, seq) == 0);
    const uint8_t *p;
    size_t n;
    while (encoder_peek(e, 8192, &p, &n) == 0) {
        for (size_t at = 0; at < n; at += chunk)
            fw_feed(&device, p + at, n - at < chunk ? n - at : chunk);
        encoder_consume(e, n);
    }
    check(device.presented_seq == seq);
    check(shown_mismatch(formats, fw_front(&device), f->rgb, (size_t)f->width * f->height) < 0);
    struct ledproto_status st;
    fw_status(&device, &st);
    check(st.crc_errors + st.bad_opcode + st.bad_length + st.bad_field + st.overflows == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const char *boards[] = { "hub75-64x32", "p10-128x16", "hub75-128x32" };
    const struct fw_board *b = board_find(boards[data[0] % 3]);
    uint8_t formats = data[1] & (LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB565 |
                                 LEDPROTO_FMT_RGB888 | LEDPROTO_FMT_RLE);
    struct encoder *e;
    if (!b || encoder_new(&e, b->width, b->height, formats) != 0)
        return 0;
    check(fw_init(&device, b, NULL) == 0);
    struct frame f;
    check(frame_init(&f, b->width, b->height) == 0);
    unsigned chunk = 1 + data[0] / 3 % 64;
    uint32_t seq = 0;
    int w = b->width, h = b->height;
    for (size_t at = 2; at + 6 <= size; at += 6) {
        const uint8_t *s = data + at;
        int x = s[1] % w, y = s[2] % h, rw = 1 + s[3] % (w - x), rh = 1 + s[4] % (h - y);
        uint8_t c[3], c2[3];
        colour(s[5], c);
        colour((uint8_t)(s[5] ^ s[3]), c2);
        switch (s[0] % 6) {
        case 0:
            present(e, &f, formats, ++seq, chunk);
            break;
        case 1:
        case 5:
            for (int r = y; r < y + rh; r++)
                for (int k = x; k < x + rw; k++)
                    memcpy(frame_pixel(&f, k, r),
                           s[0] % 6 == 1 || ((k * 7 + r * 3 + s[5]) & 4) ? c : c2, 3);
            break;
        case 2: {       /* move rows y..y+rh by dx, as a ticker does */
            int dx = (int)(s[3] % 9) - 4;
            for (int r = y; r < y + rh; r++) {
                uint8_t *row = frame_pixel(&f, 0, r);
                if (dx < 0)
                    memmove(row, row - dx * 3, (size_t)(w + dx) * 3);
                else if (dx > 0)
                    memmove(row + dx * 3, row, (size_t)(w - dx) * 3);
            }
            break;
        }
        case 3:
            for (int r = y; r < y + rh; r++)
                for (int k = x; k < x + rw; k++)
                    colour((uint8_t)(data[(at + (size_t)(r * w + k)) % size] + k), frame_pixel(&f, k, r));
            break;
        case 4:
            encoder_force_full(e);
            break;
        }
    }
    present(e, &f, formats, ++seq, chunk);
    frame_release(&f);
    encoder_free(e);
    return 0;
}
