/* preview — frames as an animated GIF for people to look at.
 *
 * The panel is drawn as round LED dots on black, `pitch` image pixels per
 * LED (unlit LEDs show as dim dots, so the panel's grid can be seen).
 * Frames come with their time; they are merged so that every GIF delay is
 * a whole number of centiseconds and at least 2 (20 ms): browsers play
 * shorter delays as 100 ms. Merging keeps the timeline: a frame shows from
 * its own centisecond to the next kept frame's, so a 60 fps scroll plays at
 * the right speed as a 50 fps GIF. Identical frames in a row become one.
 *
 * Colours: each GIF frame gets its own palette of the frame's colours;
 * beyond 255 of them (gray mode), colours are rounded to 3-3-2 bits.
 */
#ifndef LEDTICKER_PREVIEW_H
#define LEDTICKER_PREVIEW_H

#include <stdint.h>

#include "util/frame.h"
#include "util/diag.h"

#define PREVIEW_MIN_DELAY_CS 2

enum preview_error {
    PREVIEW_OK = 0,
    PREVIEW_ERR_IO = -1,
    PREVIEW_ERR_NO_MEM = -2,
    PREVIEW_ERR_INVALID = -3,
};

struct preview;

/* Creates the GIF at `path` for frames of width x height LEDs. */
int  preview_open(struct preview **out, const char *path, int width, int height, int pitch,
                  const struct diag *d);
/* Adds the frame shown from time t (ns; any origin, increasing). */
int  preview_add(struct preview *p, const struct frame *f, int64_t t);
/* Writes the last frame, shown until t_end, and closes the file. Frees p
 * whatever happens; returns the first error met. */
int  preview_close(struct preview *p, int64_t t_end);

/* Draws `f` as LED dots into `rgb` (width*pitch x height*pitch x 3). */
void preview_draw_dots(const struct frame *f, int pitch, uint8_t *rgb);

const char *preview_strerror(int err);

#endif
