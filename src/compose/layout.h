/* layout — where the zones sit on the panel, and where still text goes.
 *
 *   +-------+----------------------------------------+-------+
 *   | label |  scrolling zone (the rest)             | clock |
 *   +-------+----------------------------------------+-------+
 *
 * The label (e.g. 新闻) and the clock (HH:MM, or the date with 星期) are
 * optional and span the panel's height. On a panel at least twice the font
 * size tall the middle splits into two rows: the headline row on top and
 * the scrolling summary below. Pure arithmetic, no allocation.
 */
#ifndef LEDTICKER_LAYOUT_H
#define LEDTICKER_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "compose/blend.h"

struct layout_params {
    int width, height;      /* the panel */
    int row_height;         /* the strip height (font size) */
    int label_width;        /* 0: no label zone */
    int clock_width;        /* 0: no clock zone */
    int pad;                /* px between a fixed zone and the scrolling zone */
    bool allow_two_rows;
};

struct layout {
    struct blend_rect label, clock;     /* w == 0 when absent */
    struct blend_rect scroll;           /* the scrolling row */
    struct blend_rect headline;         /* the still headline row; w == 0 in one-row mode */
    bool two_rows;
};

/* The scrolling zone is never narrower than this. */
#define LAYOUT_MIN_SCROLL 8

/* Returns 0, or -1 when the fixed zones leave no room to scroll (less
 * than LAYOUT_MIN_SCROLL px). */
int layout_compute(const struct layout_params *p, struct layout *out);

/* The widest clock zone that still leaves room to scroll beside p's label
 * (p->clock_width is ignored); < 1 when there is none. */
int layout_clock_room(const struct layout_params *p);

/* Top of a strip `h` px tall centred vertically in `zone_h`. */
int layout_center_y(int zone_h, int h);

/* x of a headline `strip_w` wide in a row `zone_w` wide, `elapsed` ns into
 * its showing: centred and still when it fits; otherwise it starts with
 * its first character at the left edge and loops leftward at `speed`,
 * `gap` px between the end and the next start. *copy_x gets the x of the
 * second copy needed to fill the row (or a value past the row). */
double layout_headline_x(int zone_w, int strip_w, int gap, double speed, int64_t elapsed,
                         double *copy_x);

#endif
