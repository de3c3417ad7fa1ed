#include "compose/light.h"

#include <math.h>

void light_init(struct light *l, double brightness, double gamma, bool host_applies)
{
    if (!(brightness >= 0))
        brightness = 0;
    if (brightness > 1)
        brightness = 1;
    if (!(gamma >= 1) || gamma > 4)
        gamma = 1;
    l->brightness = brightness;
    l->gamma = gamma;
    l->identity = !host_applies || (gamma == 1 && brightness == 1);
    for (int i = 0; i < 256; i++) {
        double v = host_applies ? pow(i / 255.0, gamma) * brightness : i / 255.0;
        long q = lround(v * 255);
        /* Dim but lit stays lit: a dot that should glow never goes dark. */
        if (i > 0 && q == 0 && brightness > 0)
            q = 1;
        l->lut[i] = (uint8_t)q;
    }
}

void light_apply(const struct light *l, struct frame *f)
{
    if (l->identity)
        return;
    for (int y = 0; y < f->height; y++) {
        uint8_t *p = frame_pixel(f, 0, y);
        for (int x = 0; x < 3 * f->width; x++)
            p[x] = l->lut[p[x]];
    }
}

uint8_t light_level(const struct light *l)
{
    return (uint8_t)lround(l->brightness * 255);
}
