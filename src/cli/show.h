/* show — a loaded config as the engine's content: the schedule answers
 * what plays when, the text renderer draws each message's strips once,
 * and both reach the engine through struct engine_source. `run` and
 * `preview` build their frames through this one path.
 *
 * Ownership: show_engine hands the show to the engine it makes; freeing
 * the engine (or the engine that continued from it after a reload) frees
 * the show, its strips, its schedule and its config.
 */
#ifndef LEDTICKER_SHOW_H
#define LEDTICKER_SHOW_H

#include <stdbool.h>
#include <stdint.h>

#include "compose/engine.h"
#include "schedule/config.h"
#include "util/diag.h"

struct config;
struct config_display;
struct show;

struct show_panel {
    int width, height;
    bool host_light;            /* the controller does not apply gamma/brightness */
};

/* Loads and validates the config at `path` and builds its schedule.
 * `generation` makes this config's message keys differ from those of the
 * config it replaces. `fonts_dir` as for datadir_find (NULL = search); `opt`
 * how to load the config (its checks: cfgcheck.h). */
struct config_options;
int  show_load(struct show **out, const char *path, const char *fonts_dir,
               const struct config_options *opt, uint32_t generation, const struct diag *d);
/* The same from a snapshot of the reload library (a running ticker's
 * config): takes over the caller's reference, released with the show. Its
 * generation is the snapshot's. */
struct reload_snapshot;
int  show_from_snapshot(struct show **out, struct reload_snapshot *snap, const char *fonts_dir,
                        const struct diag *d);
void show_free(struct show *s);
const struct config_display *show_display(const struct show *s);
/* The IDs of the playlist in force at wall time t ("a, b, c", or
 * "nothing" when none is active), and when it took effect (wall ns) in
 * *since. For `status`. 0, or -1 (out of memory). */
int  show_playing(const struct show *s, int64_t t, char *buf, size_t len, int64_t *since);

/* The lunar clock's and {lunar}'s library object, kept by a long-lived
 * owner (run: one for all its reloads, since the library leaks per
 * object); borrowed, it must outlive the show and every engine that owns
 * it. Without one the show makes its own when first asked. */
struct lunar;
void show_use_lunar(struct show *s, struct lunar *l);

/* Whether an enabled message's text has placeholders (placeholder.h). */
bool show_has_dated(const struct show *s);
/* Makes those messages' strips for the local day of wall time t now, with
 * `l` for {lunar} (NULL: the show's), so that the day's first frame renders
 * nothing; otherwise the first playlist that names them that day does. */
void show_prepare_day(struct show *s, int64_t t, struct lunar *l);

/* The engine's clock format for the config's. */
enum engine_clock show_clock(enum config_clock c);

/* The engine for this show on `panel`. On success the engine owns the
 * show; on failure the show is still the caller's. */
int  show_engine(struct show *s, const struct show_panel *panel, struct engine **out);


#endif
