#include "snapshot.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define DOT_PITCH 8             /* PNG pixels per LED in the dot view */
#define DOT_RADIUS 3.3
static const uint8_t board_colour[3] = { 16, 16, 16 };

/* Coverage of a pixel (px, py) inside one LED cell by the round dot:
 * 4x4 supersampling, so edges are smooth. */
static double dot_coverage(int px, int py)
{
    int inside = 0;
    for (int sy = 0; sy < 4; sy++)
        for (int sx = 0; sx < 4; sx++) {
            double dx = px + (sx + 0.5) / 4 - DOT_PITCH / 2.0;
            double dy = py + (sy + 0.5) / 4 - DOT_PITCH / 2.0;
            inside += dx * dx + dy * dy <= DOT_RADIUS * DOT_RADIUS;
        }
    return inside / 16.0;
}

static void fill_dots(const struct fw *fw, uint8_t *img, unsigned iw, unsigned ih)
{
    for (unsigned y = 0; y < ih; y++)
        for (unsigned x = 0; x < iw; x++) {
            uint8_t led[3];
            fw_visible_rgb(fw, x / DOT_PITCH, y / DOT_PITCH, led);
            double a = dot_coverage((int)(x % DOT_PITCH), (int)(y % DOT_PITCH));
            uint8_t *p = img + ((size_t)y * iw + x) * 3;
            for (int c = 0; c < 3; c++)
                p[c] = (uint8_t)lround(a * led[c] + (1 - a) * board_colour[c]);
        }
}

static int write_rgb_png(const char *path, const uint8_t *img, unsigned w, unsigned h,
                         char *err, size_t cap)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        snprintf(err, cap, "%s: cannot write PNG", path);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (unsigned y = 0; y < h; y++)
        png_write_row(png, img + (size_t)y * w * 3);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fclose(f) != 0) {
        snprintf(err, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int snapshot_write_png(const struct fw *fw, const char *path, bool raw, char *err, size_t cap)
{
    unsigned w = fw->board->width, h = fw->board->height;
    if (raw)
        return write_rgb_png(path, fw_front(fw), w, h, err, cap);
    unsigned iw = w * DOT_PITCH, ih = h * DOT_PITCH;
    uint8_t *img = malloc((size_t)iw * ih * 3);
    if (!img) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    fill_dots(fw, img, iw, ih);
    int rc = write_rgb_png(path, img, iw, ih, err, cap);
    free(img);
    return rc;
}
