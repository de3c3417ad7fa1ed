/* blend — colouring coverage strips into a frame.
 *
 * Strips are coverage (struct bitmap, 1 or 8 bpp); colour is applied here,
 * at compose time, so one rendered strip serves every colour. A strip is
 * drawn at a fractional x inside a clip rectangle (a zone): with `smooth`
 * off the position is rounded to whole columns, as a mono panel must; with
 * it on, coverage is split between the two columns the position falls
 * between, which gives smooth slow scrolls on panels with grey levels.
 */
#ifndef LEDTICKER_BLEND_H
#define LEDTICKER_BLEND_H

#include <stdbool.h>
#include <stdint.h>

#include "util/frame.h"
#include "util/bitmap.h"

struct blend_rect {
    int x, y, w, h;
};

struct blend_rgb {
    uint8_t r, g, b;
};

/* Draws `strip` with its left edge at zone-relative x and its top at
 * zone-relative y, in `color` over what is there, clipped to `zone` (which
 * is itself clipped to the frame). */
void blend_strip(struct frame *f, const struct blend_rect *zone, const struct bitmap *strip,
                 double x, int y, struct blend_rgb color, bool smooth);

/* Fills `zone` (clipped to the frame) with one colour. */
void blend_fill(struct frame *f, const struct blend_rect *zone, struct blend_rgb color);

/* Parses "#RRGGBB" or "RRGGBB". Returns 0, or -1 when it is not a colour. */
int blend_parse_rgb(const char *s, struct blend_rgb *out);

#endif
