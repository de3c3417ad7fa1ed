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
    for (int y = 0; y < f->height; y++) {
        uint8_t *p = frame_pixel(f, 0, y);
        for (int x = 0; x < f->width; x++, p += 3) {
            p[0] = r;
            p[1] = g;
            p[2] = b;
        }
    }
}
