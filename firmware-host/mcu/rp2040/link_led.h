/* link_led — the board's RGB LED as the link light, so that someone at the
 * screen can tell a cable fault from a host fault without a laptop:
 *
 *   off       no USB host (not configured): unplugged, or the PC is off
 *   blue      connected: the host configured us, no frame yet
 *   green     streaming: frames arrive (PRESENT within the silence time)
 *   amber     silent: the host stopped sending (SILENT; the notice follows)
 *   red       error: the decoder dropped bytes or frames, or the host broke
 *             the credit rule, in the last LINK_LED_ERROR_MS
 *
 * Main loop: link_led_update(&led, &controller, configured, now_ms). The
 * pins are the board file's led_* (Interstate 75: GPIO 16, 17, 18, active
 * low). A board with one plain LED (the Pico: GPIO 25) blinks it: on =
 * streaming, 1 Hz = connected or silent, 5 Hz = error, off = no host. */
#ifndef RP2040_LINK_LED_H
#define RP2040_LINK_LED_H

#include <stdbool.h>
#include <stdint.h>

#include "fw.h"

#define LINK_LED_ERROR_MS 2000u

enum link_state { LINK_OFF, LINK_CONNECTED, LINK_STREAMING, LINK_SILENT, LINK_ERROR };

struct link_led {
    uint8_t pin_r, pin_g, pin_b;
    bool active_low;
    bool mono;                      /* one LED (pin_g), blinking */
    enum link_state shown;
    uint32_t errors_seen;           /* error counters' sum at the last look */
    uint32_t error_at_ms;
    bool error;
};

void link_led_init(struct link_led *l);
/* The state for this moment (also remembers error counters). */
enum link_state link_led_state(struct link_led *l, const struct fw *fw, bool configured,
                               uint32_t now_ms);
/* Works out the state and drives the LED when it changed. */
void link_led_update(struct link_led *l, const struct fw *fw, bool configured, uint32_t now_ms);

#endif
