#include "util/pngout.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

size_t pngout_row_bytes(enum pngout_format format, int width)
{
    switch (format) {
    case PNGOUT_GRAY1: return ((size_t)width + 7) / 8;
    case PNGOUT_GRAY8: return (size_t)width;
    case PNGOUT_RGB8: return (size_t)width * 3;
    }
    return 0;
}

/* libpng reports through these; we keep the text for the diag message. */
struct png_err {
    char msg[200];
};

static void on_error(png_structp png, png_const_charp msg)
{
    struct png_err *e = png_get_error_ptr(png);
    snprintf(e->msg, sizeof e->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png, (void)msg;
}

/* Everything libpng touches between setjmp and longjmp lives in here, so
 * that nothing local is clobbered by the jump. */
struct writer {
    FILE *f;
    png_structp png;
    png_infop info;
    uint8_t *scratch;
    struct png_err err;
};

static int write_body(struct writer *w, int width, int height, enum pngout_format format,
                      pngout_row_fn row, void *user)
{
    if (setjmp(png_jmpbuf(w->png)))
        return -1;
    png_init_io(w->png, w->f);
    /* The default user limit is 1,000,000 px a row; the PNG limit is 2^31-1. */
    png_set_user_limits(w->png, 0x7fffffff, 0x7fffffff);
    int depth = format == PNGOUT_GRAY1 ? 1 : 8;
    int type = format == PNGOUT_RGB8 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY;
    png_set_IHDR(w->png, w->info, (png_uint_32)width, (png_uint_32)height, depth, type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* Text strips are mostly flat runs: filters buy little and cost time. */
    png_set_filter(w->png, PNG_FILTER_TYPE_BASE,
                   format == PNGOUT_GRAY1 ? PNG_FILTER_NONE : PNG_FILTER_SUB);
    /* Run-length deflate: on a 139,000 px strip it takes 6 ms where the
     * default (level 6) takes 50, for a file a quarter larger. */
    png_set_compression_level(w->png, 6);
    png_set_compression_strategy(w->png, Z_RLE);
    png_write_info(w->png, w->info);
    for (int y = 0; y < height; y++)
        png_write_row(w->png, row(user, y, w->scratch));
    png_write_end(w->png, NULL);
    return 0;
}

int pngout_write_rows(const char *path, int width, int height, enum pngout_format format,
                      pngout_row_fn row, void *user, const struct diag *d)
{
    if (width < 1 || height < 1 || !row) {
        diag_error(d, "%s: cannot write a %d x %d PNG", path, width, height);
        return -1;
    }
    struct writer w = { 0 };
    w.scratch = malloc(pngout_row_bytes(format, width));
    if (!w.scratch) {
        diag_error(d, "%s: out of memory for a %d px row", path, width);
        return -1;
    }
    w.f = fopen(path, "wb");
    if (!w.f) {
        diag_error(d, "%s: %s", path, strerror(errno));
        free(w.scratch);
        return -1;
    }
    int rc = -1;
    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &w.err, on_error, on_warning);
    if (w.png)
        w.info = png_create_info_struct(w.png);
    if (!w.png || !w.info)
        snprintf(w.err.msg, sizeof w.err.msg, "out of memory");
    else
        rc = write_body(&w, width, height, format, row, user);
    png_destroy_write_struct(&w.png, &w.info);
    if (fclose(w.f) && rc == 0) {
        snprintf(w.err.msg, sizeof w.err.msg, "%s", strerror(errno));
        rc = -1;
    }
    if (rc) {
        diag_error(d, "%s: cannot write PNG: %s", path, w.err.msg);
        remove(path);
    }
    free(w.scratch);
    return rc;
}

static const uint8_t *image_row(void *user, int y, uint8_t *scratch)
{
    const struct pngout_image *img = user;
    (void)scratch;
    return img->data + (size_t)y * img->stride;
}

int pngout_write(const char *path, const struct pngout_image *img, const struct diag *d)
{
    if (!img || !img->data || img->stride < pngout_row_bytes(img->format, img->width)) {
        diag_error(d, "%s: invalid image for PNG output", path);
        return -1;
    }
    return pngout_write_rows(path, img->width, img->height, img->format, image_row,
                             (void *)img, d);
}
