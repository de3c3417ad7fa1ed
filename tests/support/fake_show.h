/* A small hand-made engine source for tests: message 1 (red, id news-1)
 * plays all the time, message 2 (blue, id alarm) is an emergency between
 * emergency_from and emergency_to when those are set. Both strips are 100
 * px wide with only their first column lit, so their leading edge is easy
 * to find in a frame. Any text renders as an 8 px solid block. */
#ifndef FAKE_SHOW_H
#define FAKE_SHOW_H

#include <stdbool.h>
#include <stdint.h>

#include "compose/engine.h"

struct fake_show {
    int64_t emergency_from, emergency_to;
    bool off;
    double brightness;
    struct engine_message msg[2];
};

/* Resets *fs (and the shared strips) to the defaults above. */
void fake_show_init(struct fake_show *fs);
struct engine_source fake_show_source(struct fake_show *fs);

#endif
