/* termdraw — the panel as text for a 24-bit colour terminal: two pixels
 * per character cell, the upper one as the foreground of "▀" (U+2580),
 * the lower one as the background. Writes into a caller's buffer (no
 * stdio, no malloc), so ledsim and the host's `sim` transport share it. */
#ifndef FW_TERMDRAW_H
#define FW_TERMDRAW_H

#include <stddef.h>

struct fw;

/* Bytes termdraw_fw may need for a width x height panel. */
size_t termdraw_max_bytes(unsigned width, unsigned height);

/* Draws what an onlooker sees (fw_visible_rgb) as (height + 1) / 2 lines,
 * each ending in a colour reset and '\n'. No cursor movement: the caller
 * adds "\x1b[H" or the like. Returns the bytes written; stops early (and
 * says so by returning cap) when cap is too small. */
size_t termdraw_fw(const struct fw *fw, char *out, size_t cap);

#endif
