#include "termdraw.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fw.h"

/* Longest cell: "\x1b[38;2;255;255;255;48;2;255;255;255m" + 3-byte glyph. */
#define CELL_MAX 40
#define LINE_END "\x1b[0m\n"
/* A pixel counts as lit for braille from this channel value (the panel's
 * own rule, max(R,G,B) >= 128, would drop the soft edges of gray text). */
#define BRAILLE_LIT 96

static unsigned div_up(unsigned a, unsigned b)
{
    return (a + b - 1) / b;
}

/* Lines of `cell_h` pixels that fit in `rows`: one row stays free for the
 * cursor, so that the last '\n' does not scroll. 0 rows = no limit. */
static bool fits_rows(unsigned h, unsigned cell_h, unsigned rows)
{
    return !rows || div_up(h, cell_h) < rows;
}

void termdraw_fit(unsigned width, unsigned height, unsigned cols, unsigned rows,
                  struct termdraw_fit *fit)
{
    static const unsigned cell_w[] = { 1, 2, 2 }, cell_h[] = { 2, 2, 4 };
    enum termdraw_cell c;
    memset(fit, 0, sizeof *fit);
    if ((!cols || width <= cols) && fits_rows(height, 2, rows))
        c = TERMDRAW_HALF;
    else if ((!cols || div_up(width, 2) <= cols) && fits_rows(height, 2, rows))
        c = TERMDRAW_QUADRANT;
    else if (!cols || div_up(width, 2) <= cols)
        c = TERMDRAW_BRAILLE;
    else                    /* too narrow for all: the left part, as sharp as rows allow */
        c = fits_rows(height, 2, rows) ? TERMDRAW_QUADRANT : TERMDRAW_BRAILLE;
    fit->cell = c;
    fit->px_w = width;
    fit->px_h = height;
    if (cols && div_up(width, cell_w[c]) > cols) {
        fit->cols_needed = div_up(width, cell_w[c]);
        fit->px_w = cols * cell_w[c];
    }
    if (rows && !fits_rows(height, cell_h[c], rows))
        fit->px_h = (rows > 1 ? rows - 1 : 1) * cell_h[c];
    fit->cols = div_up(fit->px_w, cell_w[c]);
    fit->lines = div_up(fit->px_h, cell_h[c]);
}

size_t termdraw_max_bytes(unsigned width, unsigned height)
{
    return ((size_t)height + 1) / 2 * ((size_t)width * CELL_MAX + sizeof LINE_END);
}

struct sink {
    char *out;
    size_t len, cap;
    uint8_t fg[3], bg[3];       /* the colours in force on this line */
    bool fg_set, bg_set;        /* false after a reset: none in force */
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

static bool same_rgb(const uint8_t a[3], const uint8_t b[3])
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

/* Sets the foreground or background colour, only where it changes. */
static void set_colour(struct sink *s, bool background, const uint8_t rgb[3])
{
    uint8_t *now = background ? s->bg : s->fg;
    bool *set = background ? &s->bg_set : &s->fg_set;
    if (*set && same_rgb(now, rgb))
        return;
    *set = true;
    put(s, background ? "\x1b[48;2;" : "\x1b[38;2;", 7);
    for (int i = 0; i < 3; i++) {
        put_u8(s, rgb[i]);
        put(s, i < 2 ? ";" : "m", 1);
    }
    memcpy(now, rgb, 3);
}

static void end_line(struct sink *s)
{
    put(s, LINE_END, sizeof LINE_END - 1);
    s->fg_set = s->bg_set = false;
}

/* A space, or a code point from U+0800 to U+FFFF as UTF-8 (block and
 * braille glyphs). */
static void put_glyph(struct sink *s, unsigned cp)
{
    if (cp < 0x80) {
        char c = (char)cp;
        put(s, &c, 1);
        return;
    }
    char u[3] = { (char)(0xE0 | cp >> 12), (char)(0x80 | (cp >> 6 & 0x3F)),
                  (char)(0x80 | (cp & 0x3F)) };
    put(s, u, 3);
}

/* Pixel (x, y), black outside the picture. */
static void pixel(termdraw_get_fn get, const void *src, const struct termdraw_fit *fit,
                  unsigned x, unsigned y, uint8_t rgb[3])
{
    if (x < fit->px_w && y < fit->px_h)
        get(src, x, y, rgb);
    else
        rgb[0] = rgb[1] = rgb[2] = 0;
}

static void draw_half(struct sink *s, termdraw_get_fn get, const void *src,
                      const struct termdraw_fit *fit, unsigned y)
{
    for (unsigned x = 0; x < fit->cols; x++) {
        uint8_t up[3], down[3];
        pixel(get, src, fit, x, y, up);
        pixel(get, src, fit, x, y + 1, down);
        set_colour(s, false, up);
        set_colour(s, true, down);
        put_glyph(s, 0x2580);               /* ▀ UPPER HALF BLOCK */
    }
}

static unsigned distance(const uint8_t a[3], const uint8_t b[3])
{
    unsigned d = 0;
    for (int i = 0; i < 3; i++)
        d += (unsigned)((a[i] - b[i]) * (a[i] - b[i]));
    return d;
}

static unsigned brightness(const uint8_t rgb[3])
{
    return (unsigned)rgb[0] + rgb[1] + rgb[2];
}

/* The quadrant glyph for a mask of lit quarters (1 upper left, 2 upper
 * right, 4 lower left, 8 lower right). */
static const uint16_t quadrant[16] = {
    0x0020, 0x2598, 0x259D, 0x2580, 0x2596, 0x258C, 0x259E, 0x259B,
    0x2597, 0x259A, 0x2590, 0x259C, 0x2584, 0x2599, 0x259F, 0x2588,
};

/* Two colours a cell: the two of its four pixels furthest apart, the
 * brighter as the foreground; each pixel takes the nearer of the two. */
static void draw_quadrant(struct sink *s, termdraw_get_fn get, const void *src,
                          const struct termdraw_fit *fit, unsigned y)
{
    for (unsigned cx = 0; cx < fit->cols; cx++) {
        uint8_t p[4][3];
        for (unsigned k = 0; k < 4; k++)
            pixel(get, src, fit, 2 * cx + (k & 1), y + k / 2, p[k]);
        unsigned a = 0, b = 0, far = 0;
        for (unsigned i = 0; i < 4; i++)
            for (unsigned j = i + 1; j < 4; j++)
                if (distance(p[i], p[j]) > far) {
                    far = distance(p[i], p[j]);
                    a = i;
                    b = j;
                }
        if (brightness(p[b]) > brightness(p[a])) {
            unsigned t = a;
            a = b;
            b = t;
        }
        unsigned mask = 0;
        for (unsigned k = 0; k < 4; k++)
            if (far && distance(p[k], p[a]) < distance(p[k], p[b]))
                mask |= 1u << k;
        if (mask)
            set_colour(s, false, p[a]);
        if (mask != 15)
            set_colour(s, true, far ? p[b] : p[a]);
        put_glyph(s, quadrant[mask]);
    }
}

/* Braille dot bits for (column, row) of a 2x4 cell (Unicode's order). */
static const uint8_t braille_bit[4][2] = {
    { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 },
};

/* One colour a cell, on black: the brightest lit pixel's. */
static void draw_braille(struct sink *s, termdraw_get_fn get, const void *src,
                         const struct termdraw_fit *fit, unsigned y)
{
    static const uint8_t black[3] = { 0, 0, 0 };
    set_colour(s, true, black);
    for (unsigned cx = 0; cx < fit->cols; cx++) {
        uint8_t colour[3] = { 0, 0, 0 }, rgb[3];
        unsigned bits = 0;
        for (unsigned r = 0; r < 4; r++)
            for (unsigned c = 0; c < 2; c++) {
                pixel(get, src, fit, 2 * cx + c, y + r, rgb);
                uint8_t top = rgb[0] > rgb[1] ? rgb[0] : rgb[1];
                if ((top > rgb[2] ? top : rgb[2]) < BRAILLE_LIT)
                    continue;
                bits |= braille_bit[r][c];
                if (brightness(rgb) > brightness(colour))
                    memcpy(colour, rgb, 3);
            }
        if (bits)
            set_colour(s, false, colour);
        put_glyph(s, bits ? 0x2800 + bits : 0x0020);
    }
}

size_t termdraw_pixels(termdraw_get_fn get, const void *src, const struct termdraw_fit *fit,
                       char *out, size_t cap)
{
    struct sink s = { out, 0, cap, { 0 }, { 0 }, false, false };
    unsigned step = fit->cell == TERMDRAW_BRAILLE ? 4 : 2;
    for (unsigned line = 0; line < fit->lines; line++) {
        unsigned y = line * step;
        if (fit->cell == TERMDRAW_HALF)
            draw_half(&s, get, src, fit, y);
        else if (fit->cell == TERMDRAW_QUADRANT)
            draw_quadrant(&s, get, src, fit, y);
        else
            draw_braille(&s, get, src, fit, y);
        end_line(&s);
    }
    return s.len;
}

static void get_visible(const void *src, unsigned x, unsigned y, uint8_t rgb[3])
{
    fw_visible_rgb(src, x, y, rgb);
}

size_t termdraw_fw(const struct fw *fw, const struct termdraw_fit *fit, char *out, size_t cap)
{
    return termdraw_pixels(get_visible, fw, fit, out, cap);
}
