/* light — brightness and gamma, applied once.
 *
 * A controller that says (GET_INFO) it applies gamma and brightness gets
 * the colours as composed, plus a BRIGHTNESS command; for one that does
 * not, the host maps every channel through one table: brightness scales
 * the light output, and gamma turns the composed (perceptual) values into
 * PWM duty. The table is built when brightness changes, not per frame.
 */
#ifndef LEDTICKER_LIGHT_H
#define LEDTICKER_LIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/frame.h"

struct light {
    uint8_t lut[256];
    double brightness;      /* 0..1 */
    double gamma;           /* 1 = linear */
    bool identity;
};

/* brightness 0..1 (clamped); gamma >= 1 for the host to apply it, or 1
 * when the controller applies it (then brightness is for the controller
 * too, and the table is the identity: pass host_applies = false). */
void light_init(struct light *l, double brightness, double gamma, bool host_applies);
void light_apply(const struct light *l, struct frame *f);
/* Brightness as the controller's BRIGHTNESS command takes it, 0..255. */
uint8_t light_level(const struct light *l);

#endif
