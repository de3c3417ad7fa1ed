/* monotime — milliseconds on the monotonic clock, for timeouts and
 * debouncing that must not jump when the wall clock is set. The zero is
 * arbitrary (boot, usually): only differences mean anything. */
#ifndef LEDTICKER_MONOTIME_H
#define LEDTICKER_MONOTIME_H

#include <stdint.h>

uint64_t monotime_ms(void);

#endif
