/* font — a tiny built-in 3x5 pixel font (digits, capitals, " -.:") for the
 * controller's own notice, so it can say something with no host at all. */
#ifndef FW_FONT_H
#define FW_FONT_H

#include <stdint.h>

#define FONT_GLYPH_W 3
#define FONT_GLYPH_H 5
#define FONT_ADVANCE 4      /* glyph plus one blank column */

/* Pixels wide that `text` takes (0 for ""). */
unsigned font_text_width(const char *text);

/* Draws `text` into an RGB888 image of width x height pixels, its top-left
 * at (x, y), clipped to the image. Characters without a glyph are drawn as
 * blanks. */
void font_draw_text(uint8_t *rgb, unsigned width, unsigned height, int x, int y,
                    const char *text, const uint8_t colour[3]);

#endif
