/* pngout — PNG files of any width that fits in memory.
 *
 * hb-view and cairo stop at 32,767 px; a whole page of news in one strip is
 * over 100,000. libpng has no such limit once its default user limit (one
 * million pixels a row) is lifted, which pngout does.
 *
 * The caller owns every buffer; pngout only reads them. Library code: it
 * reports failures through `struct diag`, never prints. */
#ifndef LEDTICKER_PNGOUT_H
#define LEDTICKER_PNGOUT_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

enum pngout_format {
    PNGOUT_GRAY1,   /* 1 bit a pixel, MSB leftmost; 1 = white, 0 = black */
    PNGOUT_GRAY8,   /* one byte a pixel, 0 = black */
    PNGOUT_RGB8,    /* R, G, B bytes */
};

struct pngout_image {
    int width, height;          /* both >= 1 */
    size_t stride;              /* bytes from one row to the next */
    enum pngout_format format;
    const uint8_t *data;
};

/* Produces row y (0..height-1) in the image's format: returns a pointer to
 * it (which may be into `scratch`, a buffer of one row's bytes). */
typedef const uint8_t *(*pngout_row_fn)(void *user, int y, uint8_t *scratch);

/* Writes `img` to `path`. Returns 0, or -1 with a message through `d`. */
int pngout_write(const char *path, const struct pngout_image *img, const struct diag *d);

/* Same, with rows made on demand (no whole-image copy for colouring). */
int pngout_write_rows(const char *path, int width, int height, enum pngout_format format,
                      pngout_row_fn row, void *user, const struct diag *d);

/* Bytes in one row of `format` at `width` pixels. */
size_t pngout_row_bytes(enum pngout_format format, int width);

#endif
