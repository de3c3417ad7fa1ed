#include "compose/layout.h"

#include <math.h>

int layout_compute(const struct layout_params *p, struct layout *out)
{
    *out = (struct layout){ 0 };
    int left = 0, right = p->width;
    if (p->label_width > 0) {
        out->label = (struct blend_rect){ 0, 0, p->label_width, p->height };
        left = p->label_width + p->pad;
    }
    if (p->clock_width > 0) {
        out->clock = (struct blend_rect){ p->width - p->clock_width, 0, p->clock_width, p->height };
        right = p->width - p->clock_width - p->pad;
    }
    if (right - left < LAYOUT_MIN_SCROLL || p->height <= 0)
        return -1;
    int rh = p->row_height > 0 ? p->row_height : p->height;
    out->two_rows = p->allow_two_rows && p->height >= 2 * rh;
    if (out->two_rows) {
        int top = p->height / 2;
        out->headline = (struct blend_rect){ left, 0, right - left, top };
        out->scroll = (struct blend_rect){ left, top, right - left, p->height - top };
    } else {
        out->scroll = (struct blend_rect){ left, 0, right - left, p->height };
    }
    return 0;
}

int layout_clock_room(const struct layout_params *p)
{
    int left = p->label_width > 0 ? p->label_width + p->pad : 0;
    return p->width - left - p->pad - LAYOUT_MIN_SCROLL;
}

int layout_center_y(int zone_h, int h)
{
    return (zone_h - h) / 2;
}

double layout_headline_x(int zone_w, int strip_w, int gap, double speed, int64_t elapsed,
                         double *copy_x)
{
    if (strip_w <= zone_w) {
        *copy_x = zone_w;
        return (zone_w - strip_w) / 2;
    }
    double loop = (double)strip_w + gap;
    double moved = fmod((double)(elapsed > 0 ? elapsed : 0) * speed / 1e9, loop);
    double x = -moved;
    *copy_x = x + loop;
    return x;
}
