/* termdraw — the panel as text for a 24-bit colour terminal: two pixels
 * per character cell, the upper one as the foreground of "▀" (U+2580),
 * the lower one as the background. Writes into a caller's buffer (no
 * stdio, no malloc), so ledsim and the host's `sim` transport share it. */
#ifndef FW_TERMDRAW_H
#define FW_TERMDRAW_H

#include <stddef.h>
#include <stdint.h>

struct fw;

/* Bytes termdraw_fw may need for a width x height panel. */
size_t termdraw_max_bytes(unsigned width, unsigned height);

/* Reads the colour of pixel (x, y) of `src` into rgb. */
typedef void (*termdraw_get_fn)(const void *src, unsigned x, unsigned y, uint8_t rgb[3]);

/* Draws a width x height picture as (height + 1) / 2 lines, each ending in
 * a colour reset and '\n'. Only the first `max_cols` columns are drawn
 * (0 = all), because a line wider than the terminal wraps and turns the
 * picture into noise. No cursor movement: the caller adds "\x1b[H" or the
 * like. Returns the bytes written; stops early (and says so by returning
 * cap) when cap is too small. */
size_t termdraw_pixels(termdraw_get_fn get, const void *src, unsigned width,
                       unsigned height, unsigned max_cols, char *out, size_t cap);

/* termdraw_pixels over what an onlooker sees of the panel (fw_visible_rgb). */
size_t termdraw_fw(const struct fw *fw, unsigned max_cols, char *out, size_t cap);

#endif
