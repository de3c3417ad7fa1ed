/* showbuild — a reloaded config's show and engine, built off the frame loop.
 *
 * Building a show opens the fonts and renders every message's strips:
 * 100 ms to more than a second on a kiosk PC, during which frames are due
 * every 20-40 ms. So `run` hands the new snapshot to a worker thread here
 * and keeps playing the last good engine; once the build is done the loop
 * takes it (showbuild_take, which never blocks) and continues from the old
 * engine in one step. A snapshot that arrives while another is being built
 * replaces any waiting one: only the newest config is worth building.
 *
 * One builder per run; all calls from one thread (the loop's), the worker
 * is internal. */
#ifndef LEDTICKER_SHOWBUILD_H
#define LEDTICKER_SHOWBUILD_H

#include <stdint.h>

#include "cli/show.h"

struct showbuild;
struct reload_snapshot;

/* Called on the builder's thread after each good build, with the wall
 * time of its request: for what else is slow and only reports (run's
 * warnings about the week ahead), so that it stays off the frame loop. */
typedef void (*showbuild_built_fn)(void *user, int64_t wall);

/* A builder for panels like `panel`; fonts_dir as for show_from_snapshot;
 * `built` may be NULL. */
int  showbuild_new(struct showbuild **out, const char *fonts_dir,
                   const struct show_panel *panel, showbuild_built_fn built, void *user,
                   const struct diag *d);
/* Waits for a build under way to end and frees what was never taken. */
void showbuild_free(struct showbuild *b);

/* Build this snapshot (the builder takes the caller's reference). `wall`
 * (ns) is about when it will play: the build also asks the new schedule
 * what plays then, so that its caches (the lunar days of a `lunar` key, the
 * repeat layout) are filled here and not by the first frame. 0, or -1 when
 * the worker cannot be started (the snapshot is released). */
int  showbuild_request(struct showbuild *b, struct reload_snapshot *snap, int64_t wall);

/* A finished build, if any: 1 with *show and *engine (the engine owns the
 * show, as after show_engine) and how long building took in *took_ms, 0
 * when nothing is ready, -1 when a build failed (reported through the
 * diag; nothing to take). */
int  showbuild_take(struct showbuild *b, struct show **show, struct engine **engine,
                    unsigned *took_ms);

/* Whether a build is waiting or under way (for tests and the state file). */
int  showbuild_busy(struct showbuild *b);

#endif
