/* fleetrun — `run` on a fleet kiosk: the kiosk client (fleet/kiosk.h) on
 * its own thread, wired to the ticker's reload path.
 *
 * The client checks a received bundle with the same load `check` does
 * (the boards, outputs and statutory calendar of cfgcheck.h) on the
 * layered config with the staged bundle in its layer's place, and stores
 * only a bundle that passes. Once stored, it asks for a reload
 * (reload_request): the frame loop swaps the new show in at the next
 * frame, and the passes under way finish first.
 *
 * The frame loop hands its state over at most once a second
 * (fleetrun_tick): a copy under the client's short lock, never a wait on
 * the network. The client starts after the cached layers were loaded, so
 * a kiosk plays its cache at once, broker or not. */
#ifndef LEDTICKER_FLEETRUN_H
#define LEDTICKER_FLEETRUN_H

#include <stdint.h>

#include "cli/fleetlayers.h"
#include "schedule/config.h"
#include "schedule/reload.h"
#include "util/diag.h"

struct fleetrun;
struct kiosk_state;

/* Starts the client for the kiosk of `fl` (fleetlayers_open, installed in
 * the options `run` loads with, `opt`, which must outlive it; so must fl,
 * path and rl). Warns when the broker is plain mqtt:// to a host other
 * than loopback. *out NULL (and 0) when the config has no [fleet]; -1 when
 * the client cannot be set up (reported; the ticker plays on without it).
 * status_interval_s: how often the status goes out unchanged (0: 60 s). */
int  fleetrun_start(struct fleetrun **out, struct fleetlayers *fl, const char *path,
                    const struct config_options *opt, struct reload *rl, int status_interval_s,
                    const struct diag *d);
/* On the loop's thread, before reload_poll: lays the layers the client
 * stored a bundle in since the start (when their cache had been refused). */
void fleetrun_poll(struct fleetrun *fr);
/* On the loop's thread, every frame: hands `s` to the client when a second
 * of real time (CLOCK_MONOTONIC ns `now`) has passed since the last time.
 * `fill` is called only then, to fill it. */
void fleetrun_tick(struct fleetrun *fr, int64_t now,
                   void (*fill)(void *user, struct kiosk_state *s), void *user);
/* Stops the client (its will marks the kiosk offline) and frees it. */
void fleetrun_stop(struct fleetrun *fr);

#endif
