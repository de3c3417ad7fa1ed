/* sim — what only the `sim` transport can show: the simulated controller's
 * front buffer (what its panel shows). For tests and previews; private to
 * code that knows it opened "sim". */
#ifndef LEDTICKER_SIM_H
#define LEDTICKER_SIM_H

#include <stdint.h>

struct transport;

/* RGB888, width x height of the board, 3 * width bytes per row; NULL when
 * t is not a sim transport. Valid until the next call on t. */
const uint8_t *sim_front(struct transport *t);

#endif
