/* bitmap — a coverage image: what the text renderer writes and the
 * compositor reads. Coverage, not colour: strips are coloured at compose
 * time, so one rendered strip serves every colour and brightness.
 *
 *   bpp == 1: rows of bits, most significant bit leftmost, 1 = ink
 *   bpp == 8: one byte per pixel, 0 = none .. 255 = full coverage
 *
 * Rows are `stride` bytes apart, so a strip can be written straight into a
 * larger buffer. The struct never owns `data`: whoever allocated it frees it. */
#ifndef LEDTICKER_BITMAP_H
#define LEDTICKER_BITMAP_H

#include <stddef.h>
#include <stdint.h>

struct bitmap {
    int width, height;
    size_t stride;
    int bpp;                /* 1 or 8 */
    uint8_t *data;
};

/* Bytes per row needed for `width` pixels at `bpp`. */
static inline size_t bitmap_min_stride(int width, int bpp)
{
    return bpp == 1 ? ((size_t)width + 7) / 8 : (size_t)width;
}

/* Coverage at (x, y), 0..255, for either depth; no bounds check. */
static inline uint8_t bitmap_get(const struct bitmap *b, int x, int y)
{
    const uint8_t *row = b->data + (size_t)y * b->stride;
    if (b->bpp == 1)
        return (row[x >> 3] >> (7 - (x & 7))) & 1 ? 255 : 0;
    return row[x];
}

#endif
