#include "termdraw.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fw.h"

/* Longest cell: "\x1b[38;2;255;255;255;48;2;255;255;255m" + 3-byte glyph. */
#define CELL_MAX 40
#define LINE_END "\x1b[0m\n"

size_t termdraw_max_bytes(unsigned width, unsigned height)
{
    return ((size_t)height + 1) / 2 * ((size_t)width * CELL_MAX + sizeof LINE_END);
}

struct sink {
    char *out;
    size_t len, cap;
};

static void put(struct sink *s, const char *text, size_t n)
{
    if (n > s->cap - s->len)
        n = s->cap - s->len;
    memcpy(s->out + s->len, text, n);
    s->len += n;
}

static void put_u8(struct sink *s, unsigned v)
{
    char d[3];
    size_t n = 0;
    if (v >= 100)
        d[n++] = (char)('0' + v / 100);
    if (v >= 10)
        d[n++] = (char)('0' + v / 10 % 10);
    d[n++] = (char)('0' + v % 10);
    put(s, d, n);
}

static void put_colour(struct sink *s, const char *sgr, const uint8_t rgb[3])
{
    put(s, sgr, 7);                       /* "38;2;" or "48;2;" with ESC [ or ; */
    for (int i = 0; i < 3; i++) {
        put_u8(s, rgb[i]);
        put(s, i < 2 ? ";" : "m", 1);
    }
}

static bool same_rgb(const uint8_t a[3], const uint8_t b[3])
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

size_t termdraw_pixels(termdraw_get_fn get, const void *src, unsigned w,
                       unsigned h, unsigned max_cols, char *out, size_t cap)
{
    struct sink s = { out, 0, cap };
    if (max_cols && max_cols < w)
        w = max_cols;
    for (unsigned y = 0; y < h; y += 2) {
        uint8_t last_up[3] = { 0 }, last_down[3] = { 0 };
        for (unsigned x = 0; x < w; x++) {
            uint8_t up[3], down[3] = { 0, 0, 0 };
            get(src, x, y, up);
            if (y + 1 < h)
                get(src, x, y + 1, down);
            /* Colours are sent again only where they change. */
            if (x == 0 || !same_rgb(up, last_up))
                put_colour(&s, "\x1b[38;2;", up);
            if (x == 0 || !same_rgb(down, last_down))
                put_colour(&s, "\x1b[48;2;", down);
            memcpy(last_up, up, 3);
            memcpy(last_down, down, 3);
            put(&s, "\xe2\x96\x80", 3);   /* U+2580 UPPER HALF BLOCK */
        }
        put(&s, LINE_END, sizeof LINE_END - 1);
    }
    return s.len;
}

static void get_visible(const void *src, unsigned x, unsigned y, uint8_t rgb[3])
{
    fw_visible_rgb(src, x, y, rgb);
}

size_t termdraw_fw(const struct fw *fw, unsigned max_cols, char *out, size_t cap)
{
    return termdraw_pixels(get_visible, fw, fw->board->width, fw->board->height,
                           max_cols, out, cap);
}
