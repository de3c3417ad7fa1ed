#include "cli/showbuild.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "schedule/lunar.h"
#include "schedule/reload.h"
#include "util/monotime.h"

struct showbuild {
    const char *fonts_dir;
    struct show_panel panel;
    const struct diag *d;
    showbuild_built_fn built;
    void *user;
    pthread_t worker;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    /* Under lock: */
    struct reload_snapshot *wanted;     /* the next snapshot to build */
    int64_t wanted_wall;                /* and about when it will play */
    bool building;
    bool quit;
    struct show *done_show;             /* a finished build not taken yet */
    struct engine *done_engine;
    uint64_t done_ms;                   /* how long that build took */
    bool failed;                        /* the last build failed, not told to the loop yet */
    struct lunar *lunar;                /* the worker's, for dated messages (lunar.h: one per owner) */
};

/* One build, outside the lock: the snapshot's show, then its engine. */
static int build(struct showbuild *b, struct reload_snapshot *snap, int64_t wall,
                 struct show **show, struct engine **engine)
{
    *engine = NULL;
    if (show_from_snapshot(show, snap, b->fonts_dir, b->d) != 0)
        return -1;
    if (show_engine(*show, &b->panel, engine) != 0) {
        show_free(*show);
        return -1;
    }
    /* The answer is thrown away: asking fills the schedule's caches. */
    char ids[256];
    int64_t since;
    show_playing(*show, wall, ids, sizeof ids, &since);
    /* Dated messages (placeholders) get their strips for that day here too. */
    if (show_has_dated(*show)) {
        if (!b->lunar)
            b->lunar = lunar_new();
        if (b->lunar)
            show_prepare_day(*show, wall, b->lunar);
    }
    if (b->built)
        b->built(b->user, wall);
    return 0;
}

/* Drops a finished build nobody took: the newer one replaces it. */
static void drop_done(struct showbuild *b)
{
    engine_free(b->done_engine);        /* frees its show */
    b->done_engine = NULL;
    b->done_show = NULL;
}

static void *work(void *arg)
{
    struct showbuild *b = arg;
    pthread_mutex_lock(&b->lock);
    for (;;) {
        while (!b->wanted && !b->quit)
            pthread_cond_wait(&b->wake, &b->lock);
        if (b->quit)
            break;
        struct reload_snapshot *snap = b->wanted;
        int64_t wall = b->wanted_wall;
        b->wanted = NULL;
        b->building = true;
        pthread_mutex_unlock(&b->lock);
        struct show *s = NULL;
        struct engine *e = NULL;
        uint64_t from = monotime_ms();
        int rc = build(b, snap, wall, &s, &e);
        uint64_t took = monotime_ms() - from;
        pthread_mutex_lock(&b->lock);
        b->building = false;
        if (rc == 0) {
            drop_done(b);
            b->done_show = s;
            b->done_engine = e;
            b->done_ms = took;
            b->failed = false;
        } else {
            b->failed = true;
        }
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

int showbuild_new(struct showbuild **out, const char *fonts_dir, const struct show_panel *panel,
                  showbuild_built_fn built, void *user, const struct diag *d)
{
    struct showbuild *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return -1;
    b->fonts_dir = fonts_dir;
    b->panel = *panel;
    b->d = d;
    b->built = built;
    b->user = user;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->wake, NULL);
    *out = b;
    return 0;
}

/* The worker starts with the first request: a run that never reloads has
 * no extra thread. */
static int start(struct showbuild *b)
{
    if (b->started)
        return 0;
    if (pthread_create(&b->worker, NULL, work, b) != 0)
        return -1;
    b->started = true;
    return 0;
}

int showbuild_request(struct showbuild *b, struct reload_snapshot *snap, int64_t wall)
{
    if (start(b) != 0) {
        reload_snapshot_release(snap);
        diag_error(b->d, "reload: cannot start the thread that builds the new config");
        return -1;
    }
    pthread_mutex_lock(&b->lock);
    struct reload_snapshot *old = b->wanted;
    b->wanted = snap;
    b->wanted_wall = wall;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->lock);
    if (old)
        reload_snapshot_release(old);
    return 0;
}

int showbuild_take(struct showbuild *b, struct show **show, struct engine **engine,
                   unsigned *took_ms)
{
    int rc = 0;
    pthread_mutex_lock(&b->lock);
    if (b->done_engine) {
        *show = b->done_show;
        *engine = b->done_engine;
        *took_ms = (unsigned)b->done_ms;
        b->done_show = NULL;
        b->done_engine = NULL;
        rc = 1;
    } else if (b->failed) {
        b->failed = false;
        rc = -1;
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

int showbuild_busy(struct showbuild *b)
{
    pthread_mutex_lock(&b->lock);
    int busy = b->wanted || b->building;
    pthread_mutex_unlock(&b->lock);
    return busy;
}

void showbuild_free(struct showbuild *b)
{
    if (!b)
        return;
    if (b->started) {
        pthread_mutex_lock(&b->lock);
        b->quit = true;
        pthread_cond_signal(&b->wake);
        pthread_mutex_unlock(&b->lock);
        pthread_join(b->worker, NULL);
    }
    lunar_free(b->lunar);
    if (b->wanted)
        reload_snapshot_release(b->wanted);
    drop_done(b);
    pthread_cond_destroy(&b->wake);
    pthread_mutex_destroy(&b->lock);
    free(b);
}
