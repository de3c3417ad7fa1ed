#include "schedule/reload.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/ini.h"
#include "util/monotime.h"

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | \
                    IN_DELETE_SELF | IN_MOVE_SELF)

struct reload_snapshot {
    atomic_uint refs;
    struct config *cfg;
    struct sched *sched;
    unsigned generation;
};

struct watch {
    int wd;
    char *dir, *pattern;
};

struct reload {
    char *path;
    struct reload_options opt;
    const struct diag *d;
    pthread_mutex_t lock;               /* guards `current` against acquire/swap races */
    struct reload_snapshot *current;
    int epfd, infd, evfd;
    struct watch *watches;
    size_t nwatches;
    bool pending;
    int64_t deadline_ms;
    bool watch_failed;                  /* refresh_watches ran out of memory */
    time_t missing_since;               /* the config file is gone (0: it is there) */
};

const char *reload_strerror(int err)
{
    switch (err) {
    case RELOAD_OK: return "success";
    case RELOAD_ERR_INVALID: return "the config has errors; the last good one stays";
    case RELOAD_ERR_IO: return "cannot watch the config";
    case RELOAD_ERR_NO_MEM: return "out of memory";
    }
    return "unknown error";
}

/* ---- snapshots -------------------------------------------------------- */

static int snapshot_load(struct reload *r, unsigned generation, struct reload_snapshot **out)
{
    struct config_options o = r->opt.config;
    if (!o.now)
        o.now = time(NULL);
    struct config *cfg;
    int rc = config_load(&cfg, r->path, &o, r->d);
    if (rc == CONFIG_ERR_NO_MEM)
        return RELOAD_ERR_NO_MEM;
    if (rc != CONFIG_OK)
        return RELOAD_ERR_INVALID;
    struct reload_snapshot *s = calloc(1, sizeof *s);
    if (!s || sched_new(&s->sched, cfg) != SCHED_OK) {
        free(s);
        config_free(cfg);
        return RELOAD_ERR_NO_MEM;
    }
    atomic_init(&s->refs, 1);
    s->cfg = cfg;
    s->generation = generation;
    *out = s;
    return RELOAD_OK;
}

struct reload_snapshot *reload_acquire(struct reload *r)
{
    pthread_mutex_lock(&r->lock);
    struct reload_snapshot *s = r->current;
    atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&r->lock);
    return s;
}

void reload_snapshot_release(struct reload_snapshot *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        sched_free(s->sched);
        config_free(s->cfg);
        free(s);
    }
}

const struct config *reload_snapshot_config(const struct reload_snapshot *s)
{
    return s->cfg;
}

const struct sched *reload_snapshot_sched(const struct reload_snapshot *s)
{
    return s->sched;
}

unsigned reload_snapshot_generation(const struct reload_snapshot *s)
{
    return s->generation;
}

/* ---- watches ---------------------------------------------------------- */

static bool wd_in_use(const struct watch *w, size_t n, int wd)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].wd == wd)
            return true;
    return false;
}

/* Frees the rows w[0..n-1], removing each inotify watch that no row of the
 * current list still uses. */
static void drop_watches(struct reload *r, struct watch *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (w[i].wd >= 0 && !wd_in_use(r->watches, r->nwatches, w[i].wd) && !wd_in_use(w, i, w[i].wd))
            inotify_rm_watch(r->infd, w[i].wd);
        free(w[i].dir);
        free(w[i].pattern);
    }
    free(w);
}

static void add_watch(struct reload *r, const char *dir, const char *pattern)
{
    struct watch *w = realloc(r->watches, (r->nwatches + 1) * sizeof *w);
    if (!w) {
        r->watch_failed = true;
        return;
    }
    r->watches = w;
    w = &r->watches[r->nwatches];
    w->dir = strdup(dir);
    w->pattern = strdup(pattern);
    if (!w->dir || !w->pattern) {
        free(w->dir);
        free(w->pattern);
        r->watch_failed = true;
        return;
    }
    /* A directory already watched keeps its descriptor, and the events
     * queued on it, so nothing saved meanwhile is lost; a directory watched
     * twice gets the same descriptor and each (dir, pattern) its own row. */
    w->wd = inotify_add_watch(r->infd, dir, WATCH_MASK);
    if (w->wd < 0)
        diag_emit(r->d, DIAG_DEBUG, dir, 0, "cannot watch: %s", strerror(errno));
    r->nwatches++;
}

/* Watches what the config read. When the config was rejected, the reader
 * alone (no validation) still says which files and patterns it involves,
 * so that fixing a broken include is noticed too. Watches still wanted are
 * kept, never removed and added again: their queued events stay valid. */
static void add_wanted(struct reload *r, const struct config *cfg);

static void refresh_watches(struct reload *r, const struct config *cfg)
{
    struct watch *old = r->watches;
    size_t nold = r->nwatches;
    r->watches = NULL;
    r->nwatches = 0;
    r->watch_failed = false;
    add_wanted(r, cfg);
    if (r->watch_failed) {
        /* Out of memory: a list with holes would stop noticing saves for
         * good. Keep the old one (the next reload tries again). */
        struct watch *fresh = r->watches;
        size_t nfresh = r->nwatches;
        r->watches = old;
        r->nwatches = nold;
        drop_watches(r, fresh, nfresh);
        return;
    }
    drop_watches(r, old, nold);
}

static void add_wanted(struct reload *r, const struct config *cfg)
{
    const char *dir, *pattern;
    if (cfg) {
        for (size_t i = 0; i < config_watch_count(cfg); i++) {
            config_watch_at(cfg, i, &dir, &pattern);
            add_watch(r, dir, pattern);
        }
        return;
    }
    /* Quiet: the errors were reported by config_load already. */
    struct ini_doc *doc;
    int rc = ini_load(&doc, r->path, 0, &diag_silent);
    if (rc == INI_ERR_NO_MEM)
        r->watch_failed = true;
    if (rc != INI_ERR_IO && doc) {
        for (size_t i = 0; i < ini_watch_count(doc); i++) {
            ini_watch_at(doc, i, &dir, &pattern);
            add_watch(r, dir, pattern);
        }
        ini_free(doc);
    }
    /* Always the config's own directory, even if it could not be read. */
    const char *slash = strrchr(r->path, '/');
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%.*s", slash ? (int)(slash == r->path ? 1 : slash - r->path) : 1,
             slash ? r->path : ".");
    add_watch(r, d, slash ? slash + 1 : r->path);
}

static bool event_matters(const struct reload *r, const struct inotify_event *ev)
{
    for (size_t i = 0; i < r->nwatches; i++) {
        if (r->watches[i].wd != ev->wd)
            continue;
        if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
            return true;
        if (ev->len && fnmatch(r->watches[i].pattern, ev->name, FNM_PERIOD) == 0)
            return true;
    }
    return false;
}

/* A save that lands while the config is being read is heard by the watch
 * on its directory, but not in a directory the config just started to
 * use (a new include): that watch came after the read. So once the
 * watches are in place, compare what was read with the disk, and read
 * again when they differ. */
static void recheck(struct reload *r, const struct config *cfg)
{
    if (!config_changed_on_disk(cfg))
        return;
    diag_emit(r->d, DIAG_DEBUG, r->path, 0, "changed while it was read: reading it again");
    r->pending = true;
    r->deadline_ms = monotime_ms() + r->opt.debounce_ms;
}

/* ---- lifecycle -------------------------------------------------------- */

int reload_new(struct reload **out, const char *path, const struct reload_options *opt,
               const struct diag *d)
{
    *out = NULL;
    struct reload *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return RELOAD_ERR_NO_MEM;
    }
    r->epfd = r->infd = r->evfd = -1;
    if (opt)
        r->opt = *opt;
    if (r->opt.debounce_ms <= 0)
        r->opt.debounce_ms = 300;
    r->d = d;
    pthread_mutex_init(&r->lock, NULL);
    int rc = snapshot_load(r, 1, &r->current);
    if (rc != RELOAD_OK) {
        reload_free(r);
        return rc;
    }
    r->infd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    r->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    r->epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event e1 = { .events = EPOLLIN, .data.fd = r->infd };
    struct epoll_event e2 = { .events = EPOLLIN, .data.fd = r->evfd };
    if (r->infd < 0 || r->evfd < 0 || r->epfd < 0 ||
        epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->infd, &e1) || epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->evfd, &e2)) {
        diag_emit(d, DIAG_ERROR, path, 0, "cannot watch for changes: %s", strerror(errno));
        reload_free(r);
        return RELOAD_ERR_IO;
    }
    refresh_watches(r, r->current->cfg);
    recheck(r, r->current->cfg);
    *out = r;
    return RELOAD_OK;
}

void reload_free(struct reload *r)
{
    if (!r)
        return;
    struct watch *w = r->watches;
    size_t n = r->nwatches;
    r->watches = NULL;
    r->nwatches = 0;
    if (r->infd >= 0)
        drop_watches(r, w, n);
    else
        free(w);
    for (int *fd = &r->epfd; fd <= &r->evfd; fd++)
        if (*fd >= 0)
            close(*fd);
    reload_snapshot_release(r->current);
    pthread_mutex_destroy(&r->lock);
    free(r->path);
    free(r);
}

void reload_request(struct reload *r)
{
    uint64_t one = 1;
    ssize_t n = write(r->evfd, &one, sizeof one);   /* async-signal-safe */
    (void)n;
}

int reload_fd(const struct reload *r)
{
    return r->epfd;
}

static void drain(struct reload *r)
{
    uint64_t count;
    if (read(r->evfd, &count, sizeof count) == (ssize_t)sizeof count) {
        r->pending = true;
        r->deadline_ms = monotime_ms();                  /* asked for: no debounce */
    }
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(r->infd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (event_matters(r, ev) || (ev->mask & IN_Q_OVERFLOW)) {
                int64_t when = monotime_ms() + r->opt.debounce_ms;
                if (!r->pending || r->deadline_ms < when)
                    r->deadline_ms = when;
                r->pending = true;
            }
            p += sizeof *ev + ev->len;
        }
}

/* The config file is gone (deleted, or moved away by a cleaner or a
 * half-done restore): say so once, keep the last good one, and wait for
 * the file to come back, which the watch on its directory hears. An
 * editor's delete-and-rename is over before the debounce ends. */
static bool config_gone(struct reload *r)
{
    struct stat st;
    if (stat(r->path, &st) == 0 || errno != ENOENT) {
        if (r->missing_since)
            diag_emit(r->d, DIAG_NOTICE, r->path, 0, "the config is back; reading it");
        r->missing_since = 0;
        return false;
    }
    if (!r->missing_since)
        diag_emit(r->d, DIAG_WARN, r->path, 0, "the config is gone (deleted or moved away); "
                  "still playing the last good one (generation %u) until it is back",
                  r->current->generation);
    if (!r->missing_since)
        r->missing_since = time(NULL);
    refresh_watches(r, NULL);           /* its directory, to hear it come back */
    return true;
}

time_t reload_missing_since(const struct reload *r)
{
    return r->missing_since;
}

static int do_reload(struct reload *r)
{
    r->pending = false;
    if (config_gone(r))
        return 0;
    struct reload_snapshot *fresh;
    int rc = snapshot_load(r, r->current->generation + 1, &fresh);
    if (rc != RELOAD_OK) {
        if (rc == RELOAD_ERR_INVALID)
            diag_emit(r->d, DIAG_ERROR, r->path, 0,
                      "config rejected; still playing the last good one (generation %u)",
                      r->current->generation);
        refresh_watches(r, NULL);
        return rc;
    }
    pthread_mutex_lock(&r->lock);
    struct reload_snapshot *old = r->current;
    r->current = fresh;
    pthread_mutex_unlock(&r->lock);
    reload_snapshot_release(old);
    refresh_watches(r, fresh->cfg);
    recheck(r, fresh->cfg);
    diag_emit(r->d, DIAG_INFO, r->path, 0, "config reloaded (generation %u)", fresh->generation);
    return 1;
}

int reload_poll(struct reload *r, int timeout_ms)
{
    int64_t end = timeout_ms < 0 ? INT64_MAX : monotime_ms() + timeout_ms;
    for (;;) {
        drain(r);
        int64_t now = monotime_ms();
        if (r->pending && now >= r->deadline_ms)
            return do_reload(r);
        int64_t until = r->pending && r->deadline_ms < end ? r->deadline_ms : end;
        if (now >= until && !r->pending)
            return 0;
        if (now >= end)
            return 0;
        int wait = until == INT64_MAX ? -1 : (int)(until - now > INT32_MAX ? INT32_MAX : until - now);
        struct epoll_event ev;
        if (epoll_wait(r->epfd, &ev, 1, wait) < 0 && errno != EINTR)
            return RELOAD_ERR_IO;
    }
}
