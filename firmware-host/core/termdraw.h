/* termdraw — the panel as text for a 24-bit colour terminal, fitted to the
 * terminal's size. Three kinds of cell, finest first:
 *
 *   half blocks      1x2 pixels a cell: "▀" with the upper pixel as the
 *                    foreground and the lower as the background (exact)
 *   quadrant blocks  2x2 pixels a cell, two colours a cell ("▚", "▙"...):
 *                    exact for text of one colour on black
 *   braille          2x4 pixels a cell, one colour on black: dots for the
 *                    lit pixels, for a terminal too short for the others
 *
 * termdraw_fit picks the finest that shows the whole panel; when none
 * does, the left part is shown and the fit says how many columns the
 * whole would need. Writes into a caller's buffer (no stdio, no malloc),
 * so ledsim and the host's `sim` and `term` transports share it. */
#ifndef FW_TERMDRAW_H
#define FW_TERMDRAW_H

#include <stddef.h>
#include <stdint.h>

struct fw;

enum termdraw_cell { TERMDRAW_HALF, TERMDRAW_QUADRANT, TERMDRAW_BRAILLE };

struct termdraw_fit {
    enum termdraw_cell cell;
    unsigned px_w, px_h;        /* the pixels drawn: all, or the part that fits */
    unsigned cols, lines;       /* character cells used */
    unsigned cols_needed;       /* columns for the whole width; 0 when it fits */
};

/* The fit of a width x height panel in a terminal of cols x rows (0 =
 * unknown: no limit). A frame of `lines` lines each ending in '\n' keeps
 * lines < rows, so that drawing it never scrolls the terminal. */
void termdraw_fit(unsigned width, unsigned height, unsigned cols, unsigned rows,
                  struct termdraw_fit *fit);

/* Bytes termdraw_pixels may need for a width x height panel, any fit. */
size_t termdraw_max_bytes(unsigned width, unsigned height);

/* Reads the colour of pixel (x, y) of `src` into rgb. */
typedef void (*termdraw_get_fn)(const void *src, unsigned x, unsigned y, uint8_t rgb[3]);

/* Draws fit->px_w x fit->px_h pixels of `src` as fit->lines lines, each
 * ending in a colour reset and '\n'. No cursor movement: the caller adds
 * "\x1b[H" or the like. Returns the bytes written; stops early (and says
 * so by returning cap) when cap is too small. */
size_t termdraw_pixels(termdraw_get_fn get, const void *src, const struct termdraw_fit *fit,
                       char *out, size_t cap);

/* termdraw_pixels over what an onlooker sees of the panel (fw_visible_rgb). */
size_t termdraw_fw(const struct fw *fw, const struct termdraw_fit *fit, char *out, size_t cap);

#endif
