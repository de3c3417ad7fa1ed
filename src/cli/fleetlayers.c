#include "cli/fleetlayers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const layer_names[FLEETCACHE_LAYERS] = {
    [FLEETCACHE_ALL] = "fleet bundle 'all'",
    [FLEETCACHE_SITE] = "fleet bundle 'site'",
    [FLEETCACHE_ALL_EMERGENCY] = "fleet emergency 'all'",
    [FLEETCACHE_SITE_EMERGENCY] = "fleet emergency 'site'",
};

int fleetlayers_topic(const struct config_fleet *f, enum fleetcache_layer l, char *buf, size_t len)
{
    bool site = l == FLEETCACHE_SITE || l == FLEETCACHE_SITE_EMERGENCY;
    const char *what = l == FLEETCACHE_ALL || l == FLEETCACHE_SITE ? "config" : "emergency";
    int n;
    if (!site)
        n = snprintf(buf, len, "ledticker/v1/all/%s", what);
    else if (f->site && *f->site)
        n = snprintf(buf, len, "ledticker/v1/site/%s/%s", f->site, what);
    else
        n = snprintf(buf, len, "%s", "");
    return n >= 0 && (size_t)n < len ? 0 : -1;
}

static int read_keys(struct fleetlayers *fl, const struct diag *d)
{
    const struct config_fleet *f = fl->fleet;
    if (!f->public_key_count)
        return 0;
    fl->keys = calloc(f->public_key_count, sizeof *fl->keys);
    if (!fl->keys) {
        diag_error(d, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < f->public_key_count; i++)
        if (bundle_key_read_public(f->public_keys[i], fl->keys[fl->nkeys], d) == BUNDLE_OK)
            fl->nkeys++;
    return 0;
}

/* Whether layer l's cache holds what was signed: the raw message under
 * `current` decodes with the keys (or there is none). */
static bool verify_layer(struct fleetlayers *fl, enum fleetcache_layer l, const struct diag *d)
{
    struct bundle_in_use in_use;
    int rc = fleetcache_in_use(fl->fleet->cache_dir, l,
                               (const uint8_t (*)[BUNDLE_KEY_BYTES])fl->keys, fl->nkeys,
                               fl->topic[l], &in_use);
    if (rc == BUNDLE_OK)
        return true;
    diag_warn(d, "%s: the cached %s is not what was signed (%s): it is not played until the "
              "broker sends a good one", fl->fleet->cache_dir, fleetcache_layer_name(l),
              bundle_strerror(rc));
    return false;
}

int fleetlayers_open(struct fleetlayers *fl, const char *path, const struct config_options *base,
                     const struct diag *d)
{
    memset(fl, 0, sizeof *fl);
    struct config_options quiet = base ? *base : (struct config_options){ 0 };
    quiet.layers = NULL;
    quiet.layer_count = 0;
    quiet.uncovered = NULL;
    quiet.unlit = NULL;
    int rc = config_load(&fl->local, path, &quiet, &diag_silent);
    if (rc == CONFIG_ERR_NO_MEM) {
        diag_error(d, "out of memory");
        return -1;
    }
    if (rc != CONFIG_OK)
        return 0;           /* the real load says what is wrong */
    fl->fleet = config_fleet(fl->local);
    if (!fl->fleet)
        return 0;
    if (read_keys(fl, d) != 0)
        return -1;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++) {
        if (fleetlayers_topic(fl->fleet, l, fl->topic[l], sizeof fl->topic[l]) != 0 ||
            !*fl->topic[l])
            continue;       /* no site: the site layers are not ours */
        if (fleetcache_root(fl->fleet->cache_dir, l, fl->root[l], sizeof fl->root[l]) != 0) {
            diag_warn(d, "%s: cache directory path too long; %s is not laid",
                      fl->fleet->cache_dir, fleetcache_layer_name(l));
            continue;
        }
        fl->verified[l] = verify_layer(fl, l, d);
        /* cache_dir/LAYER/refused+/bundle.ini: a name the cache never
         * makes ('+' is no bundle name's), so always a missing file. */
        if (snprintf(fl->refused[l], sizeof fl->refused[l], "%s/%s/refused+/bundle.ini",
                     fl->fleet->cache_dir, fleetcache_layer_name(l)) >= (int)sizeof fl->refused[l]) {
            *fl->root[l] = '\0';
            continue;
        }
        snprintf(fl->name[l], sizeof fl->name[l], "%s", layer_names[l]);
    }
    return 0;
}

/* A layer whose cache was refused is laid from a path that is never there
 * (a missing file is an absent layer), so that the list of layers keeps
 * its length for the reloads of a running kiosk: fleetlayers_accept puts
 * the real path back once the kiosk client has stored a good bundle. */
void fleetlayers_install(struct fleetlayers *fl, struct config_options *opt)
{
    fl->count = 0;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++) {
        if (!*fl->root[l])
            continue;
        fl->index[l] = fl->count;
        fl->layers[fl->count++] = (struct config_layer){
            fl->verified[l] ? fl->root[l] : fl->refused[l], fl->name[l] };
    }
    opt->layers = fl->count ? fl->layers : NULL;
    opt->layer_count = fl->count;
}

bool fleetlayers_accept(struct fleetlayers *fl, enum fleetcache_layer l)
{
    if (!*fl->root[l] || fl->index[l] >= fl->count || fl->layers[fl->index[l]].path == fl->root[l])
        return false;
    fl->layers[fl->index[l]].path = fl->root[l];
    return true;
}

size_t fleetlayers_with(const struct fleetlayers *fl, enum fleetcache_layer l, const char *root,
                        const bool stored[FLEETCACHE_LAYERS], struct config_layer *out)
{
    size_t n = 0;
    for (int i = 0; i < FLEETCACHE_LAYERS; i++) {
        if (!*fl->root[i])
            continue;
        const char *path = fl->verified[i] || (stored && stored[i]) ? fl->root[i] : fl->refused[i];
        out[n++] = (struct config_layer){ i == (int)l ? root : path, fl->name[i] };
    }
    return n;
}

void fleetlayers_close(struct fleetlayers *fl)
{
    config_free(fl->local);
    free(fl->keys);
    memset(fl, 0, sizeof *fl);
}
