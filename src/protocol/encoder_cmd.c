/* encoder_cmd — the encoder's commands: FILL, SCROLL and BLIT tiles
 * (MONO1, RGB565, RGB888, run-length coded when that is smaller), each
 * applied to the sink's shadow exactly as the decoder would apply it, so
 * that the encoder always knows what the device holds. */
#include <string.h>

#include "protocol/encoder_internal.h"

static bool exact_in_565(const uint8_t *p)
{
    uint8_t back[3];
    ledproto_rgb565_expand(ledproto_rgb565(p[0], p[1], p[2]), back);
    return same(p, back);
}

static void copy_rect(struct encoder *e, uint8_t *dst, int x, int y, int w, int h)
{
    for (int r = y; r < y + h; r++)
        memcpy(px(e, dst, x, r), px(e, e->target, x, r), (size_t)w * 3);
}

/* ---- commands, applied to the sink's shadow as the decoder would -------- */

void encoder_cmd_fill(struct sink *s, int x, int y, int w, int h, const uint8_t rgb[3])
{
    uint8_t *p = s->e->payload;
    ledproto_fill_pack(p, (uint16_t)x, (uint16_t)y, (uint16_t)w, (uint16_t)h, rgb[0], rgb[1],
                       rgb[2]);
    encoder_emit(s, LEDPROTO_OP_FILL, p, LEDPROTO_FILL_SIZE);
    if (!s->apply)
        return;
    for (int c = x; c < x + w; c++)
        memcpy(px(s->e, s->shadow, c, y), rgb, 3);
    for (int r = y + 1; r < y + h; r++)
        memcpy(px(s->e, s->shadow, x, r), px(s->e, s->shadow, x, y), (size_t)w * 3);
}

/* Scrolls rows [y, y+h) of columns [x, x+w) by dx (dy 0). */
void encoder_cmd_scroll(struct sink *s, int x, int y, int w, int h, int dx, const uint8_t rgb[3])
{
    uint8_t *p = s->e->payload;
    ledproto_scroll_pack(p, (uint16_t)x, (uint16_t)y, (uint16_t)w, (uint16_t)h, (int16_t)dx, 0,
                         rgb[0], rgb[1], rgb[2]);
    encoder_emit(s, LEDPROTO_OP_SCROLL, p, LEDPROTO_SCROLL_SIZE);
    int d = dx < 0 ? -dx : dx;
    for (int r = y; r < y + h; r++) {
        uint8_t *row = px(s->e, s->shadow, x, r);
        if (dx < 0)
            memmove(row, row + (size_t)d * 3, (size_t)(w - d) * 3);
        else
            memmove(row + (size_t)d * 3, row, (size_t)(w - d) * 3);
        int ex = dx < 0 ? w - d : 0;
        for (int c = 0; c < d; c++)
            memcpy(row + (size_t)(ex + c) * 3, rgb, 3);
    }
}

/* PackBits over elements of `es` bytes (ledproto.h): literal runs of up
 * to 128 elements, repeats of 2..129. A repeat of two is taken only where
 * it does not split a literal (there it saves nothing). Returns the coded
 * size, or 0 when it would not be smaller than `n` raw bytes. */
static inline bool same_element(const uint8_t *a, const uint8_t *b, size_t es)
{
    switch (es) {
    case 1: return a[0] == b[0];
    case 2: return a[0] == b[0] && a[1] == b[1];
    case 3: return same(a, b);
    default: return !memcmp(a, b, es);
    }
}

static size_t rle_encode(const uint8_t *in, size_t n, size_t es, uint8_t *out)
{
    size_t count = n / es, i = 0, o = 0, lit_at = 0, lit_n = 0;
    while (i < count) {
        size_t run = 1;
        while (i + run < count && run < LEDPROTO_RLE_REPEAT_MAX &&
               same_element(in + (i + run) * es, in + i * es, es))
            run++;
        if (run >= 3 || (run == 2 && lit_n == 0)) {
            lit_n = 0;
            out[o++] = (uint8_t)(0x80 + run - 2);
            memcpy(out + o, in + i * es, es);
            o += es;
            i += run;
        } else {
            if (lit_n == 0 || lit_n == LEDPROTO_RLE_LITERAL_MAX) {
                lit_at = o++;
                lit_n = 0;
            }
            out[lit_at] = (uint8_t)lit_n++;
            memcpy(out + o, in + i * es, es);
            o += es;
            i++;
        }
        if (o >= n)
            return 0;
    }
    return o;
}

/* One BLIT of a rect whose data fits a payload; the shadow takes the
 * target's pixels, which the chosen format carries exactly. */
static void blit_tile(struct sink *s, int x, int y, int w, int h, uint8_t format,
                      const uint8_t fg[3], const uint8_t bg[3])
{
    struct encoder *e = s->e;
    size_t n = ledproto_blit_data_size(format, (uint16_t)w, (uint16_t)h);
    uint8_t *d = e->raw;
    if (format == LEDPROTO_FMT_MONO1)
        memset(d, 0, n);
    size_t row_bytes = n / (size_t)h;
    for (int r = 0; r < h; r++) {
        uint8_t *out = d + (size_t)r * row_bytes;
        const uint8_t *p = px(e, e->target, x, y + r);
        if (format == LEDPROTO_FMT_MONO1) {
            uint32_t fv = rgb_of(fg);
            for (int c = 0; c < w; c++, p += 3)
                if (rgb_of(p) == fv)
                    out[c / 8] |= (uint8_t)(0x80 >> (c % 8));
        } else if (format == LEDPROTO_FMT_RGB565) {
            for (int c = 0; c < w; c++, p += 3)
                ledproto_put_u16(out + c * 2, ledproto_rgb565(p[0], p[1], p[2]));
        } else {
            memcpy(out, p, (size_t)w * 3);
        }
    }
    struct ledproto_blit b = { (uint16_t)x, (uint16_t)y, (uint16_t)w, (uint16_t)h, format, 0,
                               { 0 }, { 0 } };
    if (format == LEDPROTO_FMT_MONO1) {
        memcpy(b.fg, fg, 3);
        memcpy(b.bg, bg, 3);
    }
    size_t coded = 0;
    if (e->formats & LEDPROTO_FMT_RLE)
        coded = rle_encode(d, n, ledproto_fmt_element_size(format), e->coded);
    if (coded) {
        b.flags = LEDPROTO_BLIT_RLE;
        d = e->coded;
        n = coded;
    }
    if (s->queue) {         /* only priced: the size is all that counts */
        ledproto_blit_head_pack(e->payload, &b);
        memcpy(e->payload + LEDPROTO_BLIT_HEAD_SIZE, d, n);
    }
    encoder_emit(s, LEDPROTO_OP_BLIT, e->payload, LEDPROTO_BLIT_HEAD_SIZE + n);
    if (s->apply)
        copy_rect(e, s->shadow, x, y, w, h);
}

/* Splits a rect into tiles whose raw data fits one payload. A tile's row
 * never holds more than a payload's data, so every tile has rows (max_h is
 * at least 1) whatever the panel's width. */
static void blit_rect(struct sink *s, int x, int y, int w, int h, uint8_t format,
                      const uint8_t fg[3], const uint8_t bg[3])
{
    size_t es = ledproto_fmt_element_size(format);
    int max_w = (int)(format == LEDPROTO_FMT_MONO1 ? LEDPROTO_BLIT_MAX_DATA * 8
                                                   : LEDPROTO_BLIT_MAX_DATA / es);
    for (int tx = x; tx < x + w; tx += max_w) {
        int tw = x + w - tx < max_w ? x + w - tx : max_w;
        size_t row = ledproto_blit_data_size(format, (uint16_t)tw, 1);
        int max_h = (int)(LEDPROTO_BLIT_MAX_DATA / row);
        for (int ty = y; ty < y + h; ty += max_h) {
            int th = y + h - ty < max_h ? y + h - ty : max_h;
            blit_tile(s, tx, ty, tw, th, format, fg, bg);
        }
    }
}

/* Whether RGB565 carries every target pixel of the rect exactly. */
static bool rect_in_565(const struct encoder *e, int x, int y, int w, int h)
{
    for (int r = y; r < y + h; r++)
        for (int c = x; c < x + w; c++)
            if (!exact_in_565(px(e, e->target, c, r)))
                return false;
    return true;
}

/* Sends the rect's target pixels in the cheapest way the device takes. */
void encoder_cmd_rect(struct sink *s, int x, int y, int w, int h)
{
    struct encoder *e = s->e;
    const uint8_t *c0 = px(e, e->target, x, y), *c1 = NULL;
    uint32_t v0 = rgb_of(c0), v1 = v0;
    bool three = false;
    for (int r = y; r < y + h && !three; r++) {
        const uint8_t *p = px(e, e->target, x, r);
        for (int c = 0; c < w; c++, p += 3) {
            uint32_t v = rgb_of(p);
            if (v == v0 || v == v1)
                continue;
            if (!c1) {
                c1 = p;
                v1 = v;
            } else {
                three = true;
                break;
            }
        }
    }
    if (!c1) {
        encoder_cmd_fill(s, x, y, w, h, c0);
        return;
    }
    if (!three && (e->formats & LEDPROTO_FMT_MONO1)) {
        blit_rect(s, x, y, w, h, LEDPROTO_FMT_MONO1, c1, c0);
        return;
    }
    bool use_565 = (e->formats & LEDPROTO_FMT_RGB565) &&
                   (!(e->formats & LEDPROTO_FMT_RGB888) || rect_in_565(e, x, y, w, h));
    blit_rect(s, x, y, w, h, use_565 ? LEDPROTO_FMT_RGB565 : LEDPROTO_FMT_RGB888, NULL, NULL);
}

