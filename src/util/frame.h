/* frame — one picture at the panel's resolution, as the engine composes it
 * and the encoder and the `term` transport consume it.
 *
 * A plain struct, not opaque: it is the currency between modules, so it
 * lives in util/, below all of them: the encoder and the transports take
 * frames without depending on the compositor that makes them. Pixels are
 * RGB888, row-major, `stride` bytes apart. Whoever calls frame_init owns the
 * pixels and calls frame_release. */
#ifndef LEDTICKER_FRAME_H
#define LEDTICKER_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct frame {
    int width, height;
    size_t stride;          /* bytes per row, >= 3 * width */
    uint8_t *rgb;           /* width x height x 3, R G B */
};

/* Allocates a black frame. Returns 0, or -1 when out of memory. */
int frame_init(struct frame *f, int width, int height);
void frame_release(struct frame *f);
void frame_clear(struct frame *f, uint8_t r, uint8_t g, uint8_t b);

static inline uint8_t *frame_pixel(const struct frame *f, int x, int y)
{
    return f->rgb + (size_t)y * f->stride + (size_t)x * 3;
}

#endif
