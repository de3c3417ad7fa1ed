/* libFuzzer target for the controller's decoder and everything behind it
 * (framebuffer commands, panel output, silence watch).
 *
 * Input layout:
 *   byte 0   bits 0..1: which built-in board (mod board_count);
 *            bits 2..4: feed the stream 1..8 times over, so that short
 *            inputs still wrap the receive queue and fill the decoder's
 *            buffer
 *   byte 1   bit 7: "framed" mode, the rest is records
 *                   [opcode u8][length u16 LE][payload...], each wrapped in
 *                   a frame with correct CRCs, so the fuzzer reaches the
 *                   field validation instead of dying at the CRC check
 *                   (length bit 15: then spoil the header's flags or length
 *                   field, with its CRC recomputed);
 *            else   the rest is raw wire bytes
 *            bit 6: also draw the result as terminal text
 *            bits 0..6: seed of the chunking (and of the fake clock)
 *   rest     as above
 *
 * Checks beyond the sanitizers: every input byte is consumed, and nothing
 * is ever written past the board's width x height in any buffer (the
 * buffers are sized for the largest board, so ASan alone would not see an
 * overrun on a smaller one). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "termdraw.h"

static struct fw fw;
static uint32_t clock_ms;
static uint8_t wire[1 << 20];
static char term[1 << 18];

static uint32_t fake_now(void *user)
{
    (void)user;
    return clock_ms;
}

static bool fake_send(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    return data && len == LEDPROTO_HEADER_SIZE + LEDPROTO_STATUS_SIZE;
}

static uint32_t rng_next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Wraps records into frames; returns the wire length. */
static size_t build_framed(const uint8_t *p, size_t n)
{
    size_t out = 0;
    uint16_t seq = 0;
    while (n >= 3) {
        uint8_t opcode = p[0];
        uint16_t raw_len = ledproto_get_u16(p + 1);
        size_t len = (raw_len & 0x7FFFu) % (LEDPROTO_MAX_PAYLOAD + 1);
        p += 3, n -= 3;
        if (len > n)
            len = n;
        if (out + LEDPROTO_HEADER_SIZE + len > sizeof wire)
            break;
        uint8_t *h = wire + out;
        out += ledproto_frame_pack(h, opcode, seq++, p, len);
        p += len, n -= len;
        if (raw_len & 0x8000u) {
            /* A header with a right CRC but reserved flags set or a length
             * over the limit: the decoder must refuse it and resync. */
            h[3] = (uint8_t)(raw_len >> 8) & 0x03u;
            if (!h[3])
                ledproto_put_u16(h + 6, (uint16_t)(LEDPROTO_MAX_PAYLOAD + 1 + (raw_len & 0xFFu)));
            ledproto_put_u16(h + 10, ledproto_crc16(h, 10));
        }
    }
    return out;
}

static void check_untouched(const uint8_t *buf, size_t used, size_t size)
{
    for (size_t i = used; i < size; i++)
        if (buf[i] != 0)
            abort();                    /* written outside the panel */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const struct fw_board *b = &board_table[(data[0] & 3u) % board_count];
    unsigned repeats = 1 + ((data[0] >> 2) & 7u);
    uint32_t seed = (data[1] & 0x7Fu) * 2654435761u + 1;
    const uint8_t *stream = data + 2;
    size_t n = size - 2;
    if (data[1] & 0x80) {
        n = build_framed(stream, n);
        stream = wire;
    }
    clock_ms = rng_next(&seed);
    struct fw_port port = { .now_ms = fake_now, .usb_send = fake_send };
    if (fw_init(&fw, b, &port) != 0)
        abort();
    for (unsigned k = 0; k < repeats; k++) {
        size_t off = 0;
        while (off < n) {
            size_t len = 1 + rng_next(&seed) % 200;
            if (len > n - off)
                len = n - off;
            off += fw_usb_rx(&fw, stream + off, len);
            clock_ms += rng_next(&seed) % 4000; /* reaches silence and the notice */
            fw_task(&fw);
        }
    }
    if (fw.rx_out != (uint32_t)(n * repeats) || fw.overflows != 0)
        abort();
    uint8_t answer[LEDPROTO_INFO_SIZE];
    if (fw_get_info(&fw, answer) != LEDPROTO_INFO_SIZE ||
        fw_get_status(&fw, answer) != LEDPROTO_STATUS_SIZE)
        abort();
    size_t used = (size_t)b->width * b->height * 3;
    check_untouched(fw.fb.back, used, sizeof fw.fb.back);
    check_untouched(fw.fb.front, used, sizeof fw.fb.front);
    if (size > 3 && (data[1] & 0x40)) {     /* the terminal view, at a size from the input */
        struct termdraw_fit fit;
        termdraw_fit(b->width, b->height, data[2] & 0x7F, data[3] & 0x3F, &fit);
        if (termdraw_fw(&fw, &fit, term, sizeof term) == 0 && fit.lines > 0)
            abort();
    }
    return 0;
}
