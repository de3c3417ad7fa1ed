/* shown — what a controller shows for the colours the host meant, written
 * here from docs/protocol.md and nowhere else, so that tests of the encoder
 * do not take their expectation from the encoder (or from ledproto.h):
 *
 *   RGB888 accepted      every colour exactly;
 *   RGB565, no RGB888    5/6/5 bits, expanded by replicating the high bits;
 *   MONO1 only           a single-colour panel: lit exactly where the
 *                        meant colour's strongest channel is 128 or more.
 *
 * Header only (static inline): the fuzz targets build without tests/support. */
#ifndef TESTS_SHOWN_H
#define TESTS_SHOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHOWN_RGB888 0x04u     /* the GET_INFO pixel_formats bits, from the document */
#define SHOWN_RGB565 0x02u

static inline bool shown_lit(const uint8_t c[3])
{
    return c[0] >= 128 || c[1] >= 128 || c[2] >= 128;
}

static inline uint8_t shown_expand(uint8_t v, int bits)
{
    uint8_t top = (uint8_t)(v >> (8 - bits));
    return (uint8_t)(top << (8 - bits) | top >> (2 * bits - 8));
}

/* True when a pixel showing `got` is what a device taking `formats` shows
 * for the meant colour `want`. */
static inline bool shown_pixel_ok(uint8_t formats, const uint8_t got[3], const uint8_t want[3])
{
    if (formats & SHOWN_RGB888)
        return got[0] == want[0] && got[1] == want[1] && got[2] == want[2];
    if (formats & SHOWN_RGB565)
        return got[0] == shown_expand(want[0], 5) && got[1] == shown_expand(want[1], 6) &&
               got[2] == shown_expand(want[2], 5);
    return shown_lit(got) == shown_lit(want);
}

/* The first of n pixels (RGB888) where `got` is not what the device shows
 * for `want`, or -1 when they all are. */
static inline long shown_mismatch(uint8_t formats, const uint8_t *got, const uint8_t *want,
                                  size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!shown_pixel_ok(formats, got + 3 * i, want + 3 * i))
            return (long)i;
    return -1;
}

#endif
