#include "cli/fleetrun.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/kiosk.h"

#define TICK_NS 1000000000LL        /* the loop's state goes out once a second at most */

struct fleetrun {
    struct fleetlayers *fl;
    const char *path;
    struct config_options opt;      /* how `run` loads (cfgcheck installed) */
    struct reload *rl;
    const struct diag *d;
    struct kiosk *k;
    /* Kiosk thread only: layers it stored a bundle in, laid by its checks. */
    bool stored[FLEETCACHE_LAYERS];
    /* Set by the kiosk thread, taken by the loop's (fleetrun_poll). */
    atomic_uint accepted;
    int64_t next_tick;
};

/* Keeps the first error a load reports, as "FILE:LINE: MESSAGE". */
struct first_error {
    char *buf;
    size_t len;
    bool got;
};

static void keep_first_error(void *user, enum diag_level level, const char *file, int line,
                             const char *msg)
{
    struct first_error *fe = user;
    if (level != DIAG_ERROR || fe->got)
        return;
    fe->got = true;
    if (file && line)
        snprintf(fe->buf, fe->len, "%s:%d: %s", file, line, msg);
    else if (file)
        snprintf(fe->buf, fe->len, "%s: %s", file, msg);
    else
        snprintf(fe->buf, fe->len, "%s", msg);
}

/* The client's check (its thread): the kiosk's config as `run` would load
 * it after the commit, the staged bundle in layer l's place. */
static int check_staged(void *user, enum fleetcache_layer l, const char *staged_root,
                        char *why, size_t len)
{
    struct fleetrun *fr = user;
    struct config_layer layers[FLEETCACHE_LAYERS];
    struct config_options o = fr->opt;
    o.layers = layers;
    o.layer_count = fleetlayers_with(fr->fl, l, staged_root, fr->stored, layers);
    o.uncovered = NULL;         /* warnings only: the config check's errors decide */
    o.unlit = NULL;
    struct first_error fe = { why, len, false };
    struct diag d = { keep_first_error, &fe };
    struct config *cfg = NULL;
    int rc = config_load(&cfg, fr->path, &o, &d);
    config_free(cfg);
    if (rc == CONFIG_OK)
        return 0;
    if (!fe.got)
        snprintf(why, len, "%s", config_strerror(rc));
    return -1;
}

/* The client's thread, after a bundle became the one in use. */
static void applied(void *user, enum fleetcache_layer l)
{
    struct fleetrun *fr = user;
    fr->stored[l] = true;
    atomic_fetch_or(&fr->accepted, 1u << l);
    reload_request(fr->rl);     /* the loop reloads; the pass under way finishes */
}

void fleetrun_poll(struct fleetrun *fr)
{
    if (!fr)
        return;
    unsigned bits = atomic_exchange(&fr->accepted, 0u);
    bool laid = false;
    for (int l = 0; l < FLEETCACHE_LAYERS; l++)
        if (bits & (1u << l))
            laid |= fleetlayers_accept(fr->fl, l);
    if (laid)
        reload_request(fr->rl); /* a reload may have run before the layer was laid */
}

void fleetrun_tick(struct fleetrun *fr, int64_t now,
                   void (*fill)(void *user, struct kiosk_state *s), void *user)
{
    if (!fr || now < fr->next_tick)
        return;
    fr->next_tick = now + TICK_NS;
    struct kiosk_state s;
    memset(&s, 0, sizeof s);
    fill(user, &s);
    kiosk_set_state(fr->k, &s);
}

int fleetrun_start(struct fleetrun **out, struct fleetlayers *fl, const char *path,
                   const struct config_options *opt, struct reload *rl, int status_interval_s,
                   const struct diag *d)
{
    *out = NULL;
    const struct config_fleet *f = fl->fleet;
    if (!f)
        return 0;
    /* Plain mqtt:// to another host was warned about by the config load
     * that gave us `f`, at its line: once per start, as docs/config.md says. */
    struct fleetrun *fr = calloc(1, sizeof *fr);
    if (!fr) {
        diag_error(d, "fleet: out of memory; playing without the broker");
        return -1;
    }
    *fr = (struct fleetrun){ .fl = fl, .path = path, .opt = *opt, .rl = rl, .d = d };
    atomic_init(&fr->accepted, 0u);
    struct kiosk_options ko = {
        .broker = f->broker, .site = f->site, .ca_file = f->ca_file, .username = f->username,
        .password_file = f->password_file, .cache_dir = f->cache_dir,
        .keys = (const uint8_t (*)[32])fl->keys, .nkeys = fl->nkeys,
        .check = check_staged, .applied = applied, .user = fr,
        .status_interval_s = status_interval_s, .d = d,
    };
    if (kiosk_new(&fr->k, &ko) != 0 || kiosk_start(fr->k) != 0) {
        diag_error(d, "fleet: the kiosk client cannot start; the cached bundles play, "
                   "without updates");
        kiosk_free(fr->k);
        free(fr);
        return -1;
    }
    *out = fr;
    return 0;
}

void fleetrun_stop(struct fleetrun *fr)
{
    if (!fr)
        return;
    kiosk_free(fr->k);
    free(fr);
}
