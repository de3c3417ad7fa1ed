#include "compose/timeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS 1e9
#define CACHE_KEEP 64      /* segments kept when none is in use */

/* A message already under way when a tape begins: it keeps its position
 * and finishes its pass. */
struct lead {
    uint32_t key;
    int width;
    double x;               /* tape position of its left edge, <= 0 */
    bool stop_pending;      /* its hold is still to come (or under way) */
    int64_t hold;           /* the hold still due at its stop */
    int64_t full_hold;
    int64_t pass_start;
};

/* Leads, then a cycle of items repeating forever from position `s`. */
struct tape {
    int nlead;
    struct lead *lead;
    int64_t *lead_t;        /* tape time of arrival at each pending lead stop */
    int n;
    struct timeline_item *item;
    double *x;              /* item j's offset within the cycle */
    int64_t *cyc_t;         /* time within a period to reach item j's stop */
    double s, q, c;         /* cycle start, first periodic stop, cycle length */
    int64_t tau_q, period;
    int maxw;
};

struct segment {
    bool used;
    int pins;
    uint64_t stamp;
    int64_t anchor;
    bool origin;            /* starts clean: the first change of its day, or none known */
    bool emergency;
    bool has_pre;           /* an emergency's last passes, then `main` */
    struct tape pre;
    int64_t pre_end;
    struct tape main;
    int64_t t0, tau0;       /* main: tape time tau0 at wall time t0 */
};

struct timeline {
    struct timeline_params p;
    struct timeline_source src;
    struct segment **cache; /* each allocated alone: pointers stay valid */
    int ncache;
    uint64_t clock;
    bool has_prelude;
    struct timeline_state *prelude;
    int error;
};

static int64_t px_ns(const struct timeline *tl, double px)
{
    return (int64_t)llround(px / tl->p.speed * NS);
}

static double ns_px(const struct timeline *tl, int64_t ns)
{
    return (double)ns * tl->p.speed / NS;
}

static void tape_free(struct tape *tp)
{
    free(tp->lead);
    free(tp->lead_t);
    free(tp->item);
    free(tp->x);
    free(tp->cyc_t);
    memset(tp, 0, sizeof *tp);
}

/* Fills in the derived fields once leads and items are set. */
static int tape_finish(const struct timeline *tl, struct tape *tp)
{
    double w = tl->p.width;
    tp->lead_t = calloc((size_t)tp->nlead + 1, sizeof *tp->lead_t);
    tp->x = calloc((size_t)tp->n + 1, sizeof *tp->x);
    tp->cyc_t = calloc((size_t)tp->n + 1, sizeof *tp->cyc_t);
    if (!tp->lead_t || !tp->x || !tp->cyc_t)
        return TIMELINE_ERR_NO_MEM;
    int64_t held = 0;
    for (int i = 0; i < tp->nlead; i++) {
        const struct lead *l = &tp->lead[i];
        if (l->stop_pending) {
            tp->lead_t[i] = px_ns(tl, l->x + w) + held;
            held += l->hold;
        }
        if (l->x + l->width + tl->p.gap > tp->s)
            tp->s = l->x + l->width + tl->p.gap;
    }
    tp->q = tp->s + w;
    tp->tau_q = px_ns(tl, tp->q) + held;
    double at = 0;
    int64_t cycle_held = 0;
    tp->maxw = 0;
    for (int j = 0; j < tp->n; j++) {
        tp->x[j] = at;
        tp->cyc_t[j] = px_ns(tl, at) + cycle_held;
        cycle_held += tp->item[j].hold;
        at += tp->item[j].width + tl->p.gap;
        if (tp->item[j].width > tp->maxw)
            tp->maxw = tp->item[j].width;
    }
    tp->c = at;
    tp->period = px_ns(tl, at) + cycle_held;
    if (tp->n > 0 && tp->period <= 0)
        tp->period = 1;
    return TIMELINE_OK;
}

/* Where the tape stands at tape time tau, and which stop it is paused at. */
struct tape_pos {
    double p;
    bool holding;
    int64_t hold_left;
    int hold_lead;          /* lead index holding, or -1 */
    int hold_j;             /* cycle item holding, or -1 */
};

static struct tape_pos tape_at(const struct timeline *tl, const struct tape *tp, int64_t tau)
{
    struct tape_pos r = { .hold_lead = -1, .hold_j = -1 };
    double w = tl->p.width;
    if (tp->n == 0 || tau < tp->tau_q) {
        double p = 0;
        int64_t t = 0;
        for (int i = 0; i < tp->nlead; i++) {
            const struct lead *l = &tp->lead[i];
            if (!l->stop_pending)
                continue;
            if (tau < tp->lead_t[i])
                break;
            if (tau < tp->lead_t[i] + l->hold) {
                r.p = l->x + w;
                r.holding = true;
                r.hold_left = tp->lead_t[i] + l->hold - tau;
                r.hold_lead = i;
                return r;
            }
            p = l->x + w;
            t = tp->lead_t[i] + l->hold;
        }
        r.p = p + ns_px(tl, tau - t);
        return r;
    }
    int64_t u = tau - tp->tau_q;
    int64_t k = u / tp->period;
    int64_t rem = u - k * tp->period;
    /* The last stop reached within this period. */
    int lo = 0, hi = tp->n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (tp->cyc_t[mid] <= rem)
            lo = mid;
        else
            hi = mid - 1;
    }
    double base = tp->q + (double)k * tp->c;
    int64_t after = rem - tp->cyc_t[lo];
    if (after < tp->item[lo].hold) {
        r.p = base + tp->x[lo];
        r.holding = true;
        r.hold_left = tp->item[lo].hold - after;
        r.hold_j = lo;
        return r;
    }
    r.p = base + tp->x[lo] + ns_px(tl, after - tp->item[lo].hold);
    return r;
}

/* Tape time of arriving at position p (before any hold there). */
static int64_t tape_time(const struct timeline *tl, const struct tape *tp, double p)
{
    if (tp->n == 0 || p < tp->q) {
        int64_t held = 0;
        for (int i = 0; i < tp->nlead; i++) {
            const struct lead *l = &tp->lead[i];
            if (l->stop_pending && l->x + tl->p.width < p)
                held += l->hold;
        }
        return px_ns(tl, p) + held;
    }
    double u = p - tp->q;
    double kf = floor(u / tp->c);
    int64_t k = (int64_t)kf;
    double rem = u - kf * tp->c;
    int64_t held = 0;
    for (int j = 0; j < tp->n && tp->x[j] < rem; j++)
        held += tp->item[j].hold;
    int64_t within = px_ns(tl, rem) + held;
    return tp->tau_q + k * tp->period + within;
}

static void add_view(struct timeline_state *st, const struct timeline_view *v)
{
    if (st->count < TIMELINE_MAX_VISIBLE)
        st->view[st->count++] = *v;
}

/* Visible messages of a tape at tape time tau; wall = base + tau. */
static void tape_eval(const struct timeline *tl, const struct tape *tp, int64_t tau,
                      int64_t base, struct timeline_state *st)
{
    double w = tl->p.width;
    struct tape_pos pos = tape_at(tl, tp, tau);
    double p = pos.p;
    for (int i = 0; i < tp->nlead; i++) {
        const struct lead *l = &tp->lead[i];
        double end = l->x + w + l->width;
        if (!(l->x < p && p < end))
            continue;
        struct timeline_view v = {
            .key = l->key, .width = l->width, .x = w - (p - l->x),
            .pass_start = l->pass_start, .pass_end = base + tape_time(tl, tp, end),
            .hold = l->full_hold,
        };
        if (pos.holding && pos.hold_lead == i) {
            v.x = 0;
            v.holding = true;
            v.hold_left = pos.hold_left;
        }
        add_view(st, &v);
    }
    if (tp->n == 0) {
        st->next_in = -1;
        return;
    }
    /* Cycle instances (k, j) start at s + kC + x[j]; visible when that is
     * in (p - w - width, p). */
    double rel = p - tp->s;
    int64_t k_hi = (int64_t)floor(rel / tp->c);
    int64_t k_lo = (int64_t)floor((rel - w - tp->maxw) / tp->c);
    if (k_lo < 0)
        k_lo = 0;
    double next = INFINITY;
    for (int64_t k = k_lo; k <= k_hi + 1; k++) {
        for (int j = 0; j < tp->n; j++) {
            double start = tp->s + (double)k * tp->c + tp->x[j];
            if (start >= p) {
                if (start < next)
                    next = start;
                continue;
            }
            double end = start + w + tp->item[j].width;
            if (p >= end)
                continue;
            struct timeline_view v = {
                .key = tp->item[j].key, .width = tp->item[j].width, .x = w - (p - start),
                .pass_start = base + tape_time(tl, tp, start),
                .pass_end = base + tape_time(tl, tp, end),
                .hold = tp->item[j].hold,
            };
            /* Paused at exactly this instance's stop. */
            if (pos.holding && pos.hold_lead < 0 && pos.hold_j == j &&
                fabs(start + w - p) < 1e-6) {
                v.x = 0;
                v.holding = true;
                v.hold_left = pos.hold_left;
            }
            add_view(st, &v);
        }
    }
    st->next_in = isfinite(next) ? next - p : -1;
}

static bool same_playlist(const struct tape *a, const struct timeline_playlist *pl)
{
    if (a->n != pl->count)
        return false;
    for (int j = 0; j < a->n; j++)
        if (a->item[j].key != pl->items[j].key || a->item[j].width != pl->items[j].width ||
            a->item[j].hold != pl->items[j].hold)
            return false;
    return true;
}

/* A tape whose leads are what `st` shows and whose cycle is `pl`. */
static int tape_build(const struct timeline *tl, struct tape *tp,
                      const struct timeline_state *st, const struct timeline_playlist *pl)
{
    memset(tp, 0, sizeof *tp);
    double w = tl->p.width;
    int nlead = st ? st->count : 0;
    tp->lead = calloc((size_t)nlead + 1, sizeof *tp->lead);
    tp->item = calloc((size_t)(pl ? pl->count : 0) + 1, sizeof *tp->item);
    if (!tp->lead || !tp->item)
        return TIMELINE_ERR_NO_MEM;
    for (int i = 0; i < nlead; i++) {
        const struct timeline_view *v = &st->view[i];
        struct lead *l = &tp->lead[i];
        l->key = v->key;
        l->width = v->width;
        l->full_hold = v->hold;
        l->pass_start = v->pass_start;
        if (v->holding) {
            l->x = -w;
            l->stop_pending = true;
            l->hold = v->hold_left;
        } else {
            l->x = v->x - w;
            l->stop_pending = v->x > 0 && v->hold > 0;
            l->hold = v->hold;
        }
    }
    tp->nlead = nlead;
    /* The new cycle follows where the next message would have entered. */
    if (st && st->next_in >= 0 && nlead > 0)
        tp->s = st->next_in;
    if (pl) {
        tp->n = pl->count;
        if (pl->count > 0)
            memcpy(tp->item, pl->items, (size_t)pl->count * sizeof *tp->item);
    }
    return tape_finish(tl, tp);
}

static int tape_copy(struct tape *dst, const struct tape *src)
{
    *dst = *src;
    dst->lead = malloc(((size_t)src->nlead + 1) * sizeof *dst->lead);
    dst->lead_t = malloc(((size_t)src->nlead + 1) * sizeof *dst->lead_t);
    dst->item = malloc(((size_t)src->n + 1) * sizeof *dst->item);
    dst->x = malloc(((size_t)src->n + 1) * sizeof *dst->x);
    dst->cyc_t = malloc(((size_t)src->n + 1) * sizeof *dst->cyc_t);
    if (!dst->lead || !dst->lead_t || !dst->item || !dst->x || !dst->cyc_t) {
        tape_free(dst);
        return TIMELINE_ERR_NO_MEM;
    }
    memcpy(dst->lead, src->lead, (size_t)src->nlead * sizeof *dst->lead);
    memcpy(dst->lead_t, src->lead_t, (size_t)src->nlead * sizeof *dst->lead_t);
    memcpy(dst->item, src->item, (size_t)src->n * sizeof *dst->item);
    memcpy(dst->x, src->x, (size_t)src->n * sizeof *dst->x);
    memcpy(dst->cyc_t, src->cyc_t, (size_t)src->n * sizeof *dst->cyc_t);
    return TIMELINE_OK;
}

static void segment_eval(const struct timeline *tl, const struct segment *sg, int64_t t,
                         struct timeline_state *st)
{
    st->t = t;
    st->anchor = sg->anchor;
    st->emergency = sg->emergency;
    st->active = sg->main.n > 0;
    st->count = 0;
    st->next_in = -1;
    if (sg->has_pre && t < sg->pre_end) {
        tape_eval(tl, &sg->pre, t - sg->anchor, sg->anchor, st);
        st->next_in = -1;
        return;
    }
    tape_eval(tl, &sg->main, sg->tau0 + (t - sg->t0), sg->t0 - sg->tau0, st);
}

static void segment_release(struct segment *sg)
{
    tape_free(&sg->pre);
    tape_free(&sg->main);
    sg->used = false;
}

static struct segment *cache_find(struct timeline *tl, int64_t anchor)
{
    for (int i = 0; i < tl->ncache; i++) {
        struct segment *sg = tl->cache[i];
        if (sg->used && sg->anchor == anchor) {
            sg->stamp = ++tl->clock;
            return sg;
        }
    }
    return NULL;
}

/* A free segment: the least recently used one not in use once CACHE_KEEP
 * are kept, else a new one (a long chain of changes in one day pins many). */
static struct segment *cache_slot(struct timeline *tl)
{
    struct segment *best = NULL;
    for (int i = 0; i < tl->ncache; i++) {
        struct segment *sg = tl->cache[i];
        if (!sg->used)
            return sg;
        if (sg->pins == 0 && (!best || sg->stamp < best->stamp))
            best = sg;
    }
    if (best && tl->ncache >= CACHE_KEEP) {
        segment_release(best);
        return best;
    }
    struct segment **grown = realloc(tl->cache, ((size_t)tl->ncache + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    tl->cache = grown;
    struct segment *sg = calloc(1, sizeof *sg);
    if (!sg)
        return NULL;
    tl->cache[tl->ncache++] = sg;
    return sg;
}

static struct segment *resolve(struct timeline *tl, int64_t t);

/* The normal content that the emergency run ending before `sg` interrupted:
 * the state at the emergency's first moment, and the segment it came from. */
static struct segment *find_interrupted(struct timeline *tl, struct segment *em,
                                        struct timeline_state *st)
{
    struct segment *e = em;
    while (e && e->emergency && !e->origin) {
        int64_t start = e->anchor;
        struct segment *before = resolve(tl, start - 1);
        if (!before)
            return NULL;
        if (!before->emergency) {
            segment_eval(tl, before, start, st);
            return before;
        }
        e = before;
    }
    return NULL;
}

static int build_segment_with(struct timeline *tl, struct segment *sg,
                              const struct timeline_playlist pl);

static int build_segment(struct timeline *tl, struct segment *sg)
{
    struct timeline_playlist pl = { 0 };
    if (tl->src.playlist_at(tl->src.user, sg->anchor, &pl) < 0 || pl.count < 0 ||
        (pl.count > 0 && !pl.items))
        return TIMELINE_ERR_SOURCE;
    /* The source may reuse its buffer when asked about earlier segments. */
    struct timeline_item *items = malloc(((size_t)pl.count + 1) * sizeof *items);
    if (!items)
        return TIMELINE_ERR_NO_MEM;
    if (pl.count)
        memcpy(items, pl.items, (size_t)pl.count * sizeof *items);
    pl.items = items;
    int rc = build_segment_with(tl, sg, pl);
    free(items);
    return rc;
}

static int build_segment_with(struct timeline *tl, struct segment *sg,
                              const struct timeline_playlist pl)
{
    sg->emergency = pl.emergency;
    sg->t0 = sg->anchor;
    sg->tau0 = 0;

    if (tl->has_prelude && sg->anchor == tl->prelude->t) {
        bool preempt = pl.emergency && !tl->prelude->emergency;
        return tape_build(tl, &sg->main, preempt ? NULL : tl->prelude, &pl);
    }
    if (sg->origin)
        return tape_build(tl, &sg->main, NULL, &pl);

    struct segment *prev = resolve(tl, sg->anchor - 1);
    if (!prev)
        return tl->error;
    prev->pins++;
    int rc;
    struct timeline_state *st = malloc(sizeof *st);
    if (!st) {
        prev->pins--;
        return TIMELINE_ERR_NO_MEM;
    }
    segment_eval(tl, prev, sg->anchor, st);

    if (sg->emergency && !prev->emergency) {
        /* Pre-emption: the zone clears at once. */
        rc = tape_build(tl, &sg->main, NULL, &pl);
    } else if (!sg->emergency && prev->emergency) {
        /* The emergency's passes finish, then the interrupted content resumes. */
        rc = tape_build(tl, &sg->pre, st, NULL);
        sg->has_pre = st->count > 0;
        sg->pre_end = sg->anchor;
        for (int i = 0; !rc && i < sg->pre.nlead; i++) {
            const struct lead *l = &sg->pre.lead[i];
            int64_t end = sg->anchor + tape_time(tl, &sg->pre, l->x + tl->p.width + l->width);
            if (end > sg->pre_end)
                sg->pre_end = end;
        }
        sg->t0 = sg->pre_end;
        struct segment *before = rc ? NULL : find_interrupted(tl, prev, st);
        if (rc) {
        } else if (before && !(before->has_pre && st->t < before->pre_end) &&
                   same_playlist(&before->main, &pl)) {
            rc = tape_copy(&sg->main, &before->main);
            sg->tau0 = before->tau0 + (st->t - before->t0);
        } else if (before) {
            /* The interrupted passes come back, then the new playlist. */
            for (int i = 0; i < st->count; i++)
                st->view[i].pass_start += sg->pre_end - st->t;
            rc = tape_build(tl, &sg->main, st, &pl);
        } else {
            rc = tape_build(tl, &sg->main, NULL, &pl);
        }
    } else if (!(prev->has_pre && sg->anchor < prev->pre_end) && same_playlist(&prev->main, &pl)) {
        /* Nothing changed that shows: the tape runs on. */
        rc = tape_copy(&sg->main, &prev->main);
        sg->t0 = prev->t0;
        sg->tau0 = prev->tau0;
    } else {
        rc = tape_build(tl, &sg->main, st, &pl);
    }
    free(st);
    prev->pins--;
    return rc;
}

/* Local midnight of the day that wall time t falls on. */
static int64_t day_start(int64_t t)
{
    time_t sec = (time_t)(t >= 0 ? t / 1000000000 : (t + 1) / 1000000000 - 1);
    struct tm tm;
    localtime_r(&sec, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t m = mktime(&tm);
    return m == (time_t)-1 ? INT64_MIN : (int64_t)m * 1000000000;
}

static struct segment *resolve(struct timeline *tl, int64_t t)
{
    int64_t anchor = tl->src.prev_change(tl->src.user, t);
    /* Never changed (or a source answering from the future): the cycle
     * runs from the epoch. */
    bool origin = anchor == INT64_MIN || anchor > t;
    if (origin)
        anchor = 0;
    if (tl->has_prelude && anchor <= tl->prelude->t) {
        anchor = tl->prelude->t;
        origin = true;
    }
    struct segment *sg = cache_find(tl, anchor);
    if (sg)
        return sg;
    /* The first change of a local day starts clean: the chain of segments
     * each state depends on ends there, so the state is the same whoever
     * asks, and a day's first frame needs only that day's changes. */
    if (!origin && !tl->has_prelude) {
        int64_t before = tl->src.prev_change(tl->src.user, anchor - 1);
        origin = before == INT64_MIN || before >= anchor || before < day_start(anchor);
    }
    sg = cache_slot(tl);
    if (!sg) {
        tl->error = TIMELINE_ERR_NO_MEM;
        return NULL;
    }
    memset(sg, 0, sizeof *sg);
    sg->used = true;
    sg->pins = 1;
    sg->anchor = anchor;
    sg->origin = origin;
    sg->stamp = ++tl->clock;
    int rc = build_segment(tl, sg);
    sg->pins = 0;
    if (rc) {
        segment_release(sg);
        tl->error = rc;
        return NULL;
    }
    return sg;
}

int timeline_new(struct timeline **out, const struct timeline_params *p,
                 const struct timeline_source *src)
{
    *out = NULL;
    if (!p || !src || !src->prev_change || !src->playlist_at || p->width <= 0 ||
        p->gap < 1 || !(p->speed > 0) || p->speed > 1e6)
        return TIMELINE_ERR_INVALID;
    struct timeline *tl = calloc(1, sizeof *tl);
    if (!tl)
        return TIMELINE_ERR_NO_MEM;
    tl->p = *p;
    tl->src = *src;
    *out = tl;
    return TIMELINE_OK;
}

void timeline_free(struct timeline *tl)
{
    if (!tl)
        return;
    for (int i = 0; i < tl->ncache; i++) {
        if (tl->cache[i]->used)
            segment_release(tl->cache[i]);
        free(tl->cache[i]);
    }
    free(tl->cache);
    free(tl->prelude);
    free(tl);
}

int timeline_at(struct timeline *tl, int64_t t, struct timeline_state *out)
{
    tl->error = TIMELINE_OK;
    struct segment *sg = resolve(tl, t);
    if (!sg)
        return tl->error ? tl->error : TIMELINE_ERR_SOURCE;
    segment_eval(tl, sg, t, out);
    return TIMELINE_OK;
}

int timeline_continue_from(struct timeline *tl, const struct timeline_state *old)
{
    if (!old)
        return TIMELINE_ERR_INVALID;
    struct timeline_state *copy = malloc(sizeof *copy);
    if (!copy)
        return TIMELINE_ERR_NO_MEM;
    *copy = *old;
    if (copy->emergency)
        copy->next_in = -1;
    free(tl->prelude);
    tl->prelude = copy;
    tl->has_prelude = true;
    for (int i = 0; i < tl->ncache; i++)
        if (tl->cache[i]->used)
            segment_release(tl->cache[i]);
    return TIMELINE_OK;
}

int64_t timeline_pass_duration(const struct timeline *tl, int width)
{
    return px_ns(tl, (double)tl->p.width + width);
}

const char *timeline_strerror(int err)
{
    switch (err) {
    case TIMELINE_OK: return "success";
    case TIMELINE_ERR_INVALID: return "invalid timeline parameters";
    case TIMELINE_ERR_NO_MEM: return "out of memory";
    case TIMELINE_ERR_SOURCE: return "the schedule could not say what plays";
    }
    return "unknown timeline error";
}
