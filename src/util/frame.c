#include "util/frame.h"

#include <stdlib.h>
#include <string.h>

int frame_init(struct frame *f, int width, int height)
{
    f->width = width;
    f->height = height;
    f->stride = (size_t)width * 3;
    f->rgb = calloc((size_t)height ? (size_t)height : 1, f->stride ? f->stride : 1);
    return f->rgb ? 0 : -1;
}

void frame_release(struct frame *f)
{
    free(f->rgb);
    f->rgb = NULL;
}

void frame_clear(struct frame *f, uint8_t r, uint8_t g, uint8_t b)
{
    if (f->height <= 0 || f->width <= 0)
        return;
    size_t row = (size_t)f->width * 3;
    if (r == g && g == b) {         /* black, most often: one memset a row */
        for (int y = 0; y < f->height; y++)
            memset(frame_pixel(f, 0, y), r, row);
        return;
    }
    uint8_t *first = frame_pixel(f, 0, 0);
    for (int x = 0; x < f->width; x++) {
        first[3 * x] = r;
        first[3 * x + 1] = g;
        first[3 * x + 2] = b;
    }
    for (int y = 1; y < f->height; y++)
        memcpy(frame_pixel(f, 0, y), first, row);
}
