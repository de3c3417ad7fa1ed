/* fleetlayers — a kiosk's config as its panel plays it: the local file,
 * then the fleet's cached bundles laid over it (fleetcache.h): `all`,
 * `site`, `all-emergency`, `site-emergency`, in that order.
 *
 * `run`, `preview`, `schedule` and `check` load every config through this,
 * so on a kiosk they all show what the panel shows, the fleet's emergency
 * included. A config without [fleet] gets no layers.
 *
 * The [fleet] section is the local file's: it is read with a first, quiet
 * load of the local file alone (its errors come out in the real load,
 * once). A layer is laid only when the cache's raw signed message for it
 * decodes with the configured public keys (a cache someone edited by hand
 * is not played); the layer's path is fixed (LAYER/current/bundle.ini), so
 * a reload sees what the kiosk client committed since. */
#ifndef LEDTICKER_FLEETLAYERS_H
#define LEDTICKER_FLEETLAYERS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fleet/bundle.h"
#include "fleet/fleetcache.h"
#include "schedule/config.h"
#include "util/diag.h"

struct fleetlayers {
    struct config *local;                   /* the local file alone; NULL when it has errors */
    const struct config_fleet *fleet;       /* its [fleet]; NULL: not a fleet kiosk */
    uint8_t (*keys)[BUNDLE_KEY_BYTES];      /* the public keys read from fleet->public_keys */
    size_t nkeys;
    char topic[FLEETCACHE_LAYERS][160];     /* "" for the site layers of a kiosk with no site */
    char root[FLEETCACHE_LAYERS][PATH_MAX]; /* cache_dir/LAYER/current/bundle.ini */
    char name[FLEETCACHE_LAYERS][48];       /* "fleet bundle 'all'", for messages */
    char refused[FLEETCACHE_LAYERS][PATH_MAX + 16];  /* laid instead when not verified */
    bool verified[FLEETCACHE_LAYERS];       /* its cache decodes with the keys (or is empty) */
    struct config_layer layers[FLEETCACHE_LAYERS];
    size_t index[FLEETCACHE_LAYERS];        /* layer -> its place in layers */
    size_t count;
};

/* Reads [fleet] from the config at `path` (loaded with `base`, quietly)
 * and finds the cached layers. Problems with the fleet's keys or its cache
 * go to `d` as warnings: the local config still plays. 0, or -1 out of
 * memory (reported). Always pair with fleetlayers_close. */
int  fleetlayers_open(struct fleetlayers *fl, const char *path, const struct config_options *base,
                      const struct diag *d);
/* Lays the cached bundles in opt (opt->layers, opt->layer_count points
 * into fl: it must outlive every load with opt). A layer whose cache was
 * refused keeps its place but reads as absent. */
void fleetlayers_install(struct fleetlayers *fl, struct config_options *opt);
/* A running kiosk: layer l now holds a bundle the client checked and
 * stored; lay it from now on. Same thread as the loads. */
bool fleetlayers_accept(struct fleetlayers *fl, enum fleetcache_layer l);
/* The layers with layer l's root replaced by `root` (a staged bundle the
 * kiosk client checks before it commits it), into out[FLEETCACHE_LAYERS];
 * a refused layer is laid when stored[] (may be NULL) says the client has
 * since stored a good bundle in it. Reads only what fleetlayers_open set,
 * so the client's thread may call it. Returns how many. */
size_t fleetlayers_with(const struct fleetlayers *fl, enum fleetcache_layer l, const char *root,
                        const bool stored[FLEETCACHE_LAYERS], struct config_layer *out);
/* The topic each layer comes on for this kiosk (as fl->topic). */
int  fleetlayers_topic(const struct config_fleet *f, enum fleetcache_layer l, char *buf, size_t len);
void fleetlayers_close(struct fleetlayers *fl);

#endif
