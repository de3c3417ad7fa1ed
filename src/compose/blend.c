#include "compose/blend.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static struct blend_rect clip_to_frame(const struct frame *f, const struct blend_rect *z)
{
    struct blend_rect r = *z;
    if (r.x < 0) { r.w += r.x; r.x = 0; }
    if (r.y < 0) { r.h += r.y; r.y = 0; }
    if (r.x + r.w > f->width) r.w = f->width - r.x;
    if (r.y + r.h > f->height) r.h = f->height - r.y;
    if (r.w < 0) r.w = 0;
    if (r.h < 0) r.h = 0;
    return r;
}

/* dst + (c - dst) * a / 255, rounded. */
static inline uint8_t over(uint8_t dst, uint8_t c, unsigned a)
{
    int v = dst * 255 + ((int)c - (int)dst) * (int)a;
    return (uint8_t)((v + 127) / 255);
}

static inline void put(uint8_t *p, struct blend_rgb c, unsigned a)
{
    if (a == 255) {
        p[0] = c.r;
        p[1] = c.g;
        p[2] = c.b;
    } else if (a) {
        p[0] = over(p[0], c.r, a);
        p[1] = over(p[1], c.g, a);
        p[2] = over(p[2], c.b, a);
    }
}

/* The inked pixels of one strip byte: bit 7 - i of `ink` is the pixel at
 * column `col` + i, drawn at p + 3 * (col + i) (only set bits are ever
 * at columns >= 0). Only the set bits are visited. */
static inline void paint_byte(uint8_t *p, int col, unsigned ink, const uint8_t rgb[3])
{
    while (ink) {
        int bit = __builtin_ctz(ink);
        memcpy(p + (size_t)(col + 7 - bit) * 3, rgb, 3);
        ink &= ink - 1;
    }
}

/* Strip columns [u0, u1) of a 1-bit row at full weight, drawn from p on:
 * inked pixels take the colour, the rest stay. A partial byte at either
 * end is masked; the bytes between are taken whole. */
static void copy_bits(uint8_t *p, const uint8_t *bits, int u0, int u1, struct blend_rgb c)
{
    if (u0 >= u1)
        return;
    const uint8_t rgb[3] = { c.r, c.g, c.b };
    int first = u0 >> 3, last = (u1 - 1) >> 3;
    unsigned head = 0xFFu >> (u0 & 7), tail = 0xFFu << (7 - ((u1 - 1) & 7));
    if (first == last) {
        paint_byte(p, first * 8 - u0, bits[first] & head & tail, rgb);
        return;
    }
    paint_byte(p, first * 8 - u0, bits[first] & head, rgb);
    for (int i = first + 1; i < last; i++)
        if (bits[i])
            paint_byte(p, i * 8 - u0, bits[i], rgb);
    paint_byte(p, last * 8 - u0, bits[last] & tail, rgb);
}

void blend_strip(struct frame *f, const struct blend_rect *zone, const struct bitmap *strip,
                 double x, int y, struct blend_rgb color, bool smooth)
{
    if (!strip || !strip->data || strip->width <= 0 || strip->height <= 0 || !isfinite(x))
        return;
    struct blend_rect z = clip_to_frame(f, zone);
    /* Columns of the frame this strip can touch. */
    double left = zone->x + x;
    if (left >= z.x + z.w || left + strip->width + 1 <= z.x || left < -1e9 || left > 1e9)
        return;
    int base = (int)floor(left);
    double frac = left - base;
    unsigned wb = 256, wa = 0;        /* weights of strip columns u and u - 1 */
    if (!smooth) {
        base = (int)lround(left);
        frac = 0;
    } else {
        wa = (unsigned)lround(frac * 256);
        wb = 256 - wa;
        if (wa == 256) { base++; wa = 0; wb = 256; }
    }
    int x0 = base > z.x ? base : z.x;
    int x1 = base + strip->width + (wa ? 1 : 0);
    if (x1 > z.x + z.w)
        x1 = z.x + z.w;
    for (int row = 0; row < strip->height; row++) {
        int fy = zone->y + y + row;
        if (fy < z.y || fy >= z.y + z.h)
            continue;
        uint8_t *p = frame_pixel(f, x0, fy);
        if (!wa && strip->bpp == 1) {
            copy_bits(p, strip->data + (size_t)row * strip->stride, x0 - base, x1 - base, color);
            continue;
        }
        for (int fx = x0; fx < x1; fx++, p += 3) {
            int u = fx - base;      /* strip column at full weight */
            unsigned a;
            if (!wa) {
                a = bitmap_get(strip, u, row);
            } else {
                unsigned cu = u < strip->width ? bitmap_get(strip, u, row) : 0;
                unsigned cp = u >= 1 ? bitmap_get(strip, u - 1, row) : 0;
                a = (cu * wb + cp * wa + 128) >> 8;
            }
            put(p, color, a);
        }
    }
}

void blend_fill(struct frame *f, const struct blend_rect *zone, struct blend_rgb color)
{
    struct blend_rect z = clip_to_frame(f, zone);
    for (int y = z.y; y < z.y + z.h; y++) {
        uint8_t *p = frame_pixel(f, z.x, y);
        for (int x = 0; x < z.w; x++, p += 3) {
            p[0] = color.r;
            p[1] = color.g;
            p[2] = color.b;
        }
    }
}

int blend_parse_rgb(const char *s, struct blend_rgb *out)
{
    if (!s)
        return -1;
    if (*s == '#')
        s++;
    if (strlen(s) != 6 || strspn(s, "0123456789abcdefABCDEF") != 6)
        return -1;
    unsigned r, g, b;
    if (sscanf(s, "%2x%2x%2x", &r, &g, &b) != 3)
        return -1;
    out->r = (uint8_t)r;
    out->g = (uint8_t)g;
    out->b = (uint8_t)b;
    return 0;
}
