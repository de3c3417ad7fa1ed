#include "schedule/sched.h"

#include "schedule/calendar.h"
#include "schedule/sched_lunar.h"
#include "schedule/sched_repeat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HORIZON_DAYS 16         /* more than two weeks: every weekday twice */
/* With workday/restday/holiday the pattern is not weekly: holidays and
 * swapped workdays can lie months apart (October to January), so a quiet
 * stretch proves nothing until it spans more than a year. */
#define HORIZON_DAYS_CALENDAR 400

struct entry {
    const struct config_message *m;
    time_t from, until;         /* INT64 extremes when unset */
};

struct sched {
    const struct config *cfg;
    struct entry *order;        /* enabled messages in play order */
    size_t count;
    long horizon;               /* seconds of no change after which only from/until (or a lunar day) can change it */
    struct sched_lunar *lunar;  /* the `lunar` keys' days; NULL when no message has one */
};

const char *sched_strerror(int err)
{
    switch (err) {
    case SCHED_OK: return "success";
    case SCHED_ERR_NO_MEM: return "out of memory";
    case SCHED_ERR_NOT_FOUND: return "no change";
    case SCHED_ERR_INVALID: return "not a time: use YYYY-MM-DD HH:MM";
    }
    return "unknown error";
}

static int by_priority(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->m->priority != y->m->priority)
        return x->m->priority > y->m->priority ? -1 : 1;
    return x->m->index < y->m->index ? -1 : x->m->index > y->m->index;
}

int sched_new(struct sched **out, const struct config *cfg)
{
    *out = NULL;
    struct sched *s = calloc(1, sizeof *s);
    size_t n = config_message_count(cfg);
    if (!s || !(s->order = malloc((n ? n : 1) * sizeof *s->order))) {
        free(s);
        return SCHED_ERR_NO_MEM;
    }
    s->cfg = cfg;
    if (config_uses_lunar(cfg) && !(s->lunar = sched_lunar_new())) {
        sched_free(s);
        return SCHED_ERR_NO_MEM;
    }
    s->horizon = (config_uses_calendar(cfg) ? HORIZON_DAYS_CALENDAR : HORIZON_DAYS) * 86400L;
    for (size_t i = 0; i < n; i++) {
        const struct config_message *m = config_message_at(cfg, i);
        if (!m->enabled)
            continue;
        struct entry *e = &s->order[s->count++];
        e->m = m;
        e->from = m->from.set ? civil_instant(m->from.day, m->from.minute) : (time_t)INT64_MIN;
        e->until = m->until.set ? civil_instant(m->until.day, m->until.minute) : (time_t)INT64_MAX;
    }
    qsort(s->order, s->count, sizeof *s->order, by_priority);
    *out = s;
    return SCHED_OK;
}

void sched_free(struct sched *s)
{
    if (!s)
        return;
    free(s->order);
    sched_lunar_free(s->lunar);
    free(s);
}

const struct config *sched_config(const struct sched *s)
{
    return s->cfg;
}

/* ---- is one message active ------------------------------------------- */

/* Whether a window of m may start on `day` by `days`: its weekday, or its
 * kind in the statutory calendar (workday, restday, holiday). */
static bool weekday_matches(const struct sched *s, const struct config_message *m, civil_day day)
{
    if (m->days >> civil_weekday(day) & 1)
        return true;
    if (!(m->days & CONFIG_DAYS_CALENDAR))
        return false;
    unsigned kind = calendar_day(config_calendar(s->cfg), day);
    return ((m->days & CONFIG_DAYS_WORKDAY) && (kind & CALENDAR_WORKDAY)) ||
           ((m->days & CONFIG_DAYS_RESTDAY) && !(kind & CALENDAR_WORKDAY)) ||
           ((m->days & CONFIG_DAYS_HOLIDAY) && (kind & CALENDAR_HOLIDAY));
}

/* Whether a window of m may start on `day`: `days` and `lunar` both allow it. */
static bool day_matches(const struct sched *s, const struct config_message *m, civil_day day)
{
    return weekday_matches(s, m, day) && (!m->lunar.count || sched_lunar_allows(s->lunar, &m->lunar, day));
}

/* The days a window active at t can start on: the wall date of t and the
 * days either side (a window lasts at most a day, and around a clock that
 * goes back at midnight the wall date can lag). */
static void span_for(time_t t, struct civil_span *sp, civil_day *today)
{
    int minute;
    civil_local(t, today, &minute);
    civil_span_init(sp, *today - 1, 4);
}

static bool active_in_span(const struct sched *s, const struct entry *e, const struct civil_span *sp,
                           civil_day today, time_t t)
{
    const struct config_message *m = e->m;
    if (t < e->from || t >= e->until)
        return false;
    static const struct config_hours all_day = { 1, { { 0, 0 } } };
    const struct config_hours *h = m->hours.count ? &m->hours : &all_day;
    for (civil_day day = today - 1; day <= today + 1; day++) {
        if (!day_matches(s, m, day))
            continue;
        for (size_t i = 0; i < h->count; i++) {
            int start = h->w[i].start, end = h->w[i].end;
            if (end <= start)
                end += 1440;                    /* crosses midnight */
            if (t >= civil_span_instant(sp, day, start) && t < civil_span_instant(sp, day, end))
                return true;
        }
    }
    return false;
}

bool sched_message_active(const struct sched *s, const struct config_message *m, time_t t)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->order[i].m == m) {
            struct civil_span sp;
            civil_day today;
            span_for(t, &sp, &today);
            return active_in_span(s, &s->order[i], &sp, today, t);
        }
    return false;
}

/* The messages that play at t (emergency pre-emption applied), as indexes
 * into s->order, in play order. Returns how many; *emergency says which.
 * Stops at `enough` messages (SIZE_MAX: all), for a caller that needs no
 * more and knows no emergency can follow. */
static size_t effective_at(const struct sched *s, time_t t, size_t *idx, bool *emergency, size_t enough)
{
    struct civil_span sp;
    civil_day today;
    span_for(t, &sp, &today);
    size_t n = 0;
    *emergency = false;
    for (size_t i = 0; i < s->count; i++) {
        if (!active_in_span(s, &s->order[i], &sp, today, t))
            continue;
        if (s->order[i].m->emergency && !*emergency) {
            *emergency = true;
            n = 0;                              /* drop the ordinary ones seen so far */
        }
        if (*emergency && !s->order[i].m->emergency)
            continue;
        idx[n++] = i;
        if (n == enough)
            break;
    }
    return n;
}

/* ---- playlists --------------------------------------------------------- */

void sched_playlist_release(struct sched_playlist *pl)
{
    free(pl->items);
    memset(pl, 0, sizeof *pl);
}

static int reserve(struct sched_playlist *pl, size_t n)
{
    if (n <= pl->cap)
        return 0;
    const struct config_message **p = realloc(pl->items, n * sizeof *p);
    if (!p)
        return SCHED_ERR_NO_MEM;
    pl->items = p;
    pl->cap = n;
    return 0;
}

/* The cycle of the n messages idx[] (play order), repeats applied. */
static int fill(const struct sched *s, const size_t *idx, size_t n, struct sched_playlist *pl)
{
    int *want = malloc(2 * n * sizeof *want), *keep = want + n;
    if (!want)
        return SCHED_ERR_NO_MEM;
    for (size_t i = 0; i < n; i++)
        want[i] = s->order[idx[i]].m->repeat;
    size_t big = sched_repeat_fit(n, want, keep), L = 0;
    for (size_t i = 0; i < n; i++)
        L += (size_t)keep[i];
    size_t *slots = malloc(L * sizeof *slots);
    int rc = slots ? reserve(pl, L) : SCHED_ERR_NO_MEM;
    if (rc == SCHED_OK && n == 1)
        for (size_t j = 0; j < L; j++)
            slots[j] = 0;                       /* alone: back to back */
    else if (rc == SCHED_OK && L == n)
        for (size_t j = 0; j < L; j++)
            slots[j] = j;                       /* no repeats */
    else if (rc == SCHED_OK)
        rc = sched_repeat_spread(n, keep, L, slots);
    if (rc == SCHED_OK) {
        for (size_t j = 0; j < L && slots[j] != SIZE_MAX; j++)
            pl->items[pl->count++] = s->order[idx[slots[j]]].m;
        if (big < n) {
            pl->short_msg = s->order[idx[big]].m;
            pl->dropped = want[big] - keep[big];
        }
    }
    free(slots);
    free(want);
    return rc;
}

int sched_playlist_at(const struct sched *s, time_t t, struct sched_playlist *pl)
{
    pl->count = 0;
    pl->emergency = false;
    pl->short_msg = NULL;
    pl->dropped = 0;
    if (!s->count)
        return SCHED_OK;
    size_t *idx = malloc(s->count * sizeof *idx);
    if (!idx)
        return SCHED_ERR_NO_MEM;
    size_t n = effective_at(s, t, idx, &pl->emergency, SIZE_MAX);
    int rc = n ? fill(s, idx, n, pl) : SCHED_OK;
    free(idx);
    if (rc != SCHED_OK) {
        pl->count = 0;
        pl->short_msg = NULL;
        pl->dropped = 0;
    }
    return rc;
}

bool sched_playlist_equal(const struct sched_playlist *a, const struct sched_playlist *b)
{
    if (a->count != b->count || a->emergency != b->emergency)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (a->items[i] != b->items[i])
            return false;
    return true;
}

/* ---- changes ----------------------------------------------------------- */

/* The playlist is a function of the effective set, so compare those. */
struct eff {
    size_t *idx;
    size_t n;
    bool emergency;
};

static bool eff_equal(const struct eff *a, const struct eff *b)
{
    return a->n == b->n && a->emergency == b->emergency &&
           !memcmp(a->idx, b->idx, a->n * sizeof *a->idx);
}

struct times {
    time_t *t;
    size_t n, cap;
};

static int push(struct times *v, time_t t)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        time_t *p = realloc(v->t, cap * sizeof *p);
        if (!p)
            return -1;
        v->t = p;
        v->cap = cap;
    }
    v->t[v->n++] = t;
    return 0;
}

static int by_time(const void *a, const void *b)
{
    time_t x = *(const time_t *)a, y = *(const time_t *)b;
    return x < y ? -1 : x > y;
}

/* Every instant in [lo, hi] where some message may start or stop, sorted.
 * Thousands of messages share a few window edges, so the edges are first
 * marked on a minute grid of the wall-clock days concerned (cheap, and
 * each minute counted once), then turned into instants. */
static int candidates(const struct sched *s, time_t lo, time_t hi, struct times *v)
{
    v->n = 0;
    civil_day d0, d1;
    int minute;
    civil_local(lo, &d0, &minute);
    civil_local(hi, &d1, &minute);
    d0 -= 2;
    d1 += 1;
    size_t minutes = (size_t)(d1 - d0 + 3) * 1440;     /* an end may lie a day after its start */
    unsigned char *mark = calloc(minutes / 8 + 1, 1);
    if (!mark)
        return -1;
    static const struct config_hours all_day = { 1, { { 0, 0 } } };
    for (size_t i = 0; i < s->count; i++) {
        const struct entry *e = &s->order[i];
        if (e->until <= lo || e->from > hi)
            continue;
        if ((e->from >= lo && e->from <= hi && push(v, e->from)) ||
            (e->until >= lo && e->until <= hi && push(v, e->until))) {
            free(mark);
            return -1;
        }
        const struct config_hours *h = e->m->hours.count ? &e->m->hours : &all_day;
        for (civil_day day = d0; day <= d1; day++) {
            if (!day_matches(s, e->m, day))
                continue;
            for (size_t w = 0; w < h->count; w++) {
                int start = h->w[w].start, end = h->w[w].end;
                if (end <= start)
                    end += 1440;
                size_t base = (size_t)(day - d0) * 1440;
                mark[(base + (size_t)start) / 8] |= (unsigned char)(1u << ((base + (size_t)start) % 8));
                mark[(base + (size_t)end) / 8] |= (unsigned char)(1u << ((base + (size_t)end) % 8));
            }
        }
    }
    struct civil_span sp;
    civil_span_init(&sp, d0, (int)(d1 - d0) + 3);
    int rc = 0;
    for (size_t k = 0; k < minutes && rc == 0; k++) {
        if (!mark[k / 8]) {
            k |= 7;                                     /* skip an empty byte */
            continue;
        }
        if (!(mark[k / 8] >> (k % 8) & 1))
            continue;
        time_t t = civil_span_instant(&sp, d0 + (civil_day)(k / 1440), (int)(k % 1440));
        if (t >= lo && t <= hi)
            rc = push(v, t);
    }
    free(mark);
    if (rc == 0 && v->n)
        qsort(v->t, v->n, sizeof *v->t, by_time);
    return rc;
}

/* The nearest from/until strictly beyond `t` in direction dir (+1/-1). */
static bool next_bound(const struct sched *s, time_t t, int dir, time_t *out)
{
    bool found = false;
    for (size_t i = 0; i < s->count; i++) {
        time_t b[2] = { s->order[i].from, s->order[i].until };
        for (int k = 0; k < 2; k++) {
            if (b[k] == (time_t)INT64_MIN || b[k] == (time_t)INT64_MAX)
                continue;
            if ((dir > 0 ? b[k] > t : b[k] < t) && (!found || (dir > 0 ? b[k] < *out : b[k] > *out))) {
                *out = b[k];
                found = true;
            }
        }
    }
    return found;
}

/* The nearest day beyond `t` on which a lunar key changes its answer, as
 * an instant early enough (dir +1) or late enough (dir -1) to scan that
 * day's windows, those crossing midnight included; into *out when it is
 * nearer than *out (or `have` is false). */
static bool lunar_bound(const struct sched *s, time_t t, int dir, time_t *out, bool have)
{
    civil_day today, day;
    int minute;
    civil_local(t, &today, &minute);
    if (!sched_lunar_next_edge(s->lunar, s->cfg, today, dir, 0, &day))
        return false;
    time_t at = dir > 0 ? civil_instant(day, 0) - 1 : civil_instant(day + 2, 0) + 1;
    if (dir < 0 && at > t)
        at = t;
    if (have && (dir > 0 ? at >= *out : at <= *out))
        return false;
    *out = at;
    return true;
}

/* Whether a lunar key changed its answer within the horizon behind
 * `edge` (the stretch searched so far): then the pattern has not held
 * for a whole horizon yet, and *covered becomes the time since. */
static bool lunar_recent(const struct sched *s, time_t edge, int dir, time_t *covered)
{
    civil_day today, last;
    int minute;
    civil_local(edge, &today, &minute);
    long days = s->horizon / 86400 + 2;
    if (!sched_lunar_next_edge(s->lunar, s->cfg, today, -dir, days, &last))
        return false;
    long since = (dir > 0 ? today - last : last - today) - 2;
    *covered = since > 0 ? since * 86400 : 0;
    return true;
}

static int find_change(const struct sched *s, time_t t, int dir, time_t *out)
{
    size_t *buf = malloc(3 * (s->count ? s->count : 1) * sizeof *buf);
    struct times v = { 0 };
    if (!buf)
        return SCHED_ERR_NO_MEM;
    struct eff ref = { buf, 0, false }, a = { buf + s->count, 0, false }, b = { buf + 2 * s->count, 0, false };
    ref.n = effective_at(s, t, ref.idx, &ref.emergency, SIZE_MAX);
    int rc = SCHED_ERR_NOT_FOUND;
    time_t edge = t;                            /* searched up to here */
    time_t chunk = 86400, covered = 0;
    for (;;) {
        time_t lo = dir > 0 ? edge : edge - chunk, hi = dir > 0 ? edge + chunk : edge;
        if (candidates(s, lo, hi, &v) != 0) {
            rc = SCHED_ERR_NO_MEM;
            break;
        }
        for (size_t k = 0; k < v.n && rc == SCHED_ERR_NOT_FOUND; k++) {
            time_t c = dir > 0 ? v.t[k] : v.t[v.n - 1 - k];
            if (k && c == (dir > 0 ? v.t[k - 1] : v.t[v.n - k]))
                continue;                       /* many messages share an edge: look once */
            if (dir > 0) {
                if (c <= t || c <= lo)
                    continue;
                a.n = effective_at(s, c, a.idx, &a.emergency, SIZE_MAX);
                if (!eff_equal(&a, &ref)) {
                    *out = c;
                    rc = SCHED_OK;
                }
            } else {
                if (c > t || c > hi || c < lo)
                    continue;
                a.n = effective_at(s, c, a.idx, &a.emergency, SIZE_MAX);
                b.n = effective_at(s, c - 1, b.idx, &b.emergency, SIZE_MAX);
                if (!eff_equal(&a, &b)) {
                    *out = c;
                    rc = SCHED_OK;
                }
            }
        }
        if (rc != SCHED_ERR_NOT_FOUND)
            break;
        edge = dir > 0 ? hi : lo - 1;
        covered += chunk;
        if (chunk < 8 * 86400)
            chunk *= 2;
        if (covered >= s->horizon && !(s->lunar && lunar_recent(s, edge, dir, &covered))) {
            /* The same pattern has held past the horizon, so only
             * a from or until, or a day a lunar key starts or stops
             * allowing, can bring the next change. */
            time_t bound = 0;
            bool found = next_bound(s, edge, dir, &bound);
            if (s->lunar && lunar_bound(s, edge, dir, &bound, found))
                found = true;
            if (!found)
                break;
            edge = dir > 0 ? bound - 1 : bound + 1;
            covered = 0;
            chunk = 86400;
        }
    }
    free(v.t);
    free(buf);
    return rc;
}

int sched_next_change(const struct sched *s, time_t t, time_t *out)
{
    return find_change(s, t, +1, out);
}

int sched_prev_change(const struct sched *s, time_t t, time_t *out)
{
    return find_change(s, t, -1, out);
}

int sched_warn_lunar(const struct sched *s, time_t now, const struct diag *d)
{
    return s->lunar ? sched_lunar_warn(s->lunar, s->cfg, now, d) : SCHED_OK;
}

/* ---- dropped copies ----------------------------------------------------- */

int sched_warn_dropped(const struct sched *s, time_t from, time_t to, const struct diag *d)
{
    int most = 1;
    bool emergencies = false;
    for (size_t i = 0; i < s->count; i++) {
        most = s->order[i].m->repeat > most ? s->order[i].m->repeat : most;
        emergencies |= s->order[i].m->emergency;
    }
    if (most == 1)
        return SCHED_OK;                        /* nothing can be cut short */
    /* With `most` others active, no message can want more copies than they
     * have: counting further is needed only when an emergency may follow. */
    size_t enough = emergencies ? SIZE_MAX : (size_t)most + 1;
    /* The playlist can only change where some message starts or stops, so
     * look at `from` and at each of those instants (sched_repeat_fit's rule on
     * the active set; no layout needed). */
    bool *warned = calloc(s->count, sizeof *warned);
    size_t *idx = malloc(s->count * sizeof *idx);
    int *want = malloc(2 * s->count * sizeof *want), *keep = want + s->count;
    struct times v = { 0 };
    int rc = warned && idx && want && candidates(s, from, to, &v) == 0 && push(&v, from) == 0 ? SCHED_OK : SCHED_ERR_NO_MEM;
    if (rc == SCHED_OK)
        qsort(v.t, v.n, sizeof *v.t, by_time);
    for (size_t k = 0; rc == SCHED_OK && k < v.n; k++) {
        if ((k && v.t[k] == v.t[k - 1]) || v.t[k] < from)
            continue;
        bool emergency;
        size_t n = effective_at(s, v.t[k], idx, &emergency, enough);
        if (n == enough)
            continue;
        for (size_t i = 0; i < n; i++)
            want[i] = s->order[idx[i]].m->repeat;
        size_t big = sched_repeat_fit(n, want, keep);
        if (big == n || warned[idx[big]])
            continue;
        warned[idx[big]] = true;
        const struct config_message *m = s->order[idx[big]].m;
        int kept = keep[big], dropped = want[big] - kept;
        char when[32];
        civil_format(v.t[k], false, when);
        diag_emit(d, DIAG_WARN, m->file, m->line,
                  "message '%s' has repeat = %d, but at %s only %d %s (each needs another "
                  "message's copy after it, and the others have %d): %d dropped",
                  m->id, m->repeat, when, kept, kept == 1 ? "copy fits" : "copies fit", kept, dropped);
    }
    free(v.t);
    free(want);
    free(idx);
    free(warned);
    return rc;
}
