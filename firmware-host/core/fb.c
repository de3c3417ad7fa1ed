#include "fb.h"

#include <string.h>

void fb_init(struct fb *fb, uint16_t width, uint16_t height)
{
    fb->width = width;
    fb->height = height;
    fb_clear(fb);
}

void fb_clear(struct fb *fb)
{
    memset(fb->back, 0, sizeof fb->back);
    memset(fb->front, 0, sizeof fb->front);
}

bool fb_rect_ok(const struct fb *fb, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    return w >= 1 && h >= 1 && x < fb->width && y < fb->height &&
           w <= fb->width - x && h <= fb->height - y;
}

static void put_rgb(uint8_t *p, const uint8_t rgb[3])
{
    p[0] = rgb[0];
    p[1] = rgb[1];
    p[2] = rgb[2];
}

static void fill_span(uint8_t *p, unsigned n, const uint8_t rgb[3])
{
    while (n--) {
        put_rgb(p, rgb);
        p += 3;
    }
}

enum proto_result fb_fill(struct fb *fb, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                          const uint8_t rgb[3])
{
    if (!fb_rect_ok(fb, x, y, w, h))
        return PROTO_BAD_FIELD;
    for (unsigned row = y; row < (unsigned)y + h; row++)
        fill_span(fb_back_pixel(fb, x, row), w, rgb);
    return PROTO_OK;
}

/* ---- BLIT --------------------------------------------------------------- */

/* Where the next element of a BLIT goes. An element is one MONO1 byte (up
 * to 8 pixels of one row) or one RGB565/RGB888 pixel. */
struct blit_cursor {
    struct fb *fb;
    const struct ledproto_blit *b;
    unsigned col, row;      /* in elements / rows of the rect */
    unsigned row_elems;     /* elements per row */
};

static void put_element(struct blit_cursor *c, const uint8_t *e)
{
    const struct ledproto_blit *b = c->b;
    unsigned y = (unsigned)b->y + c->row;
    if (b->format == LEDPROTO_FMT_MONO1) {
        unsigned x0 = c->col * 8;
        for (unsigned i = 0; i < 8 && x0 + i < b->w; i++) {
            bool on = (e[0] >> (7 - i)) & 1;
            if (on || !(b->flags & LEDPROTO_BLIT_KEEP_BG))
                put_rgb(fb_back_pixel(c->fb, b->x + x0 + i, y), on ? b->fg : b->bg);
        }
    } else if (b->format == LEDPROTO_FMT_RGB565) {
        uint8_t rgb[3];
        ledproto_rgb565_expand(ledproto_get_u16(e), rgb);
        put_rgb(fb_back_pixel(c->fb, b->x + c->col, y), rgb);
    } else {
        put_rgb(fb_back_pixel(c->fb, b->x + c->col, y), e);
    }
    if (++c->col == c->row_elems) {
        c->col = 0;
        c->row++;
    }
}

/* Walks RLE-coded data. With c == NULL it only checks: the runs must give
 * exactly `total` elements of `esize` bytes. With c it writes them. */
static enum proto_result rle_walk(const uint8_t *data, size_t len, size_t total, size_t esize,
                                  struct blit_cursor *c)
{
    size_t pos = 0, done = 0;
    while (done < total) {
        if (pos >= len)
            return PROTO_BAD_LENGTH;            /* data ended early */
        uint8_t ctl = data[pos++];
        size_t count = ctl < 0x80 ? (size_t)ctl + 1 : (size_t)ctl - 0x80 + 2;
        size_t bytes = ctl < 0x80 ? count * esize : esize;
        if (count > total - done)
            return PROTO_BAD_FIELD;             /* oversized run */
        if (bytes > len - pos)
            return PROTO_BAD_LENGTH;            /* run cut short */
        if (c) {
            for (size_t i = 0; i < count; i++)
                put_element(c, data + pos + (ctl < 0x80 ? i * esize : 0));
        }
        pos += bytes;
        done += count;
    }
    return pos == len ? PROTO_OK : PROTO_BAD_LENGTH;  /* bytes left over */
}

enum proto_result fb_blit(struct fb *fb, const struct ledproto_blit *b,
                          const uint8_t *data, size_t len)
{
    size_t esize = ledproto_fmt_element_size(b->format);
    if (!esize || (b->flags & ~(LEDPROTO_BLIT_RLE | LEDPROTO_BLIT_KEEP_BG)))
        return PROTO_BAD_FIELD;
    if ((b->flags & LEDPROTO_BLIT_KEEP_BG) && b->format != LEDPROTO_FMT_MONO1)
        return PROTO_BAD_FIELD;
    if (!fb_rect_ok(fb, b->x, b->y, b->w, b->h))
        return PROTO_BAD_FIELD;
    struct blit_cursor c = { fb, b, 0, 0,
                             b->format == LEDPROTO_FMT_MONO1 ? (b->w + 7u) / 8 : b->w };
    size_t total = (size_t)c.row_elems * b->h;
    if (b->flags & LEDPROTO_BLIT_RLE) {
        enum proto_result r = rle_walk(data, len, total, esize, NULL);
        if (r != PROTO_OK)
            return r;
        return rle_walk(data, len, total, esize, &c);
    }
    if (len != total * esize)
        return PROTO_BAD_LENGTH;
    for (size_t i = 0; i < total; i++)
        put_element(&c, data + i * esize);
    return PROTO_OK;
}

/* ---- SCROLL ------------------------------------------------------------- */

/* Overlapping copies within one row, by hand: the core uses no libc
 * beyond memcpy and memset. */
static void copy_forward(uint8_t *dst, const uint8_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i];
}

static void copy_backward(uint8_t *dst, const uint8_t *src, size_t n)
{
    while (n--)
        dst[n] = src[n];
}

/* One destination row of a scroll: the source row `sy` shifted by dx, or
 * the fill colour where nothing moves in. */
static void scroll_row(struct fb *fb, unsigned x, unsigned w, unsigned dy_row, int sy_ok,
                       unsigned sy, int dx, const uint8_t rgb[3])
{
    uint8_t *dst = fb_back_pixel(fb, x, dy_row);
    if (!sy_ok) {
        fill_span(dst, w, rgb);
        return;
    }
    const uint8_t *src = fb_back_pixel(fb, x, sy);
    unsigned shift = (unsigned)(dx < 0 ? -dx : dx);
    unsigned keep = w - shift;
    if (dx <= 0) {
        copy_forward(dst, src + shift * 3, keep * 3);     /* dst <= src */
        fill_span(dst + keep * 3, shift, rgb);
    } else {
        copy_backward(dst + shift * 3, src, keep * 3);    /* dst >= src */
        fill_span(dst, shift, rgb);
    }
}

enum proto_result fb_scroll(struct fb *fb, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                            int dx, int dy, const uint8_t rgb[3])
{
    if (!fb_rect_ok(fb, x, y, w, h))
        return PROTO_BAD_FIELD;
    if (dx < -(int)w || dx > (int)w || dy < -(int)h || dy > (int)h)
        return PROTO_BAD_FIELD;
    /* Rows are visited so that a source row is read before it is written:
     * bottom-up when moving down, top-down otherwise. */
    for (unsigned i = 0; i < h; i++) {
        unsigned r = dy > 0 ? h - 1 - i : i;           /* row within the rect */
        int sr = (int)r - dy;
        scroll_row(fb, x, w, y + r, sr >= 0 && sr < (int)h, (unsigned)(y + sr), dx, rgb);
    }
    return PROTO_OK;
}

void fb_present(struct fb *fb)
{
    memcpy(fb->front, fb->back, (size_t)fb->width * fb->height * 3);
}
