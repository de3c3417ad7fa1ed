#include "schedule/sched.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HORIZON_DAYS 16         /* more than two weeks: every weekday twice */

struct entry {
    const struct config_message *m;
    time_t from, until;         /* INT64 extremes when unset */
};

struct sched {
    const struct config *cfg;
    struct entry *order;        /* enabled messages in play order */
    size_t count;
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
    free(s);
}

const struct config *sched_config(const struct sched *s)
{
    return s->cfg;
}

/* ---- is one message active ------------------------------------------- */

/* The days a window active at t can start on: the wall date of t and the
 * days either side (a window lasts at most a day, and around a clock that
 * goes back at midnight the wall date can lag). */
static void span_for(time_t t, struct civil_span *sp, civil_day *today)
{
    int minute;
    civil_local(t, today, &minute);
    civil_span_init(sp, *today - 1, 4);
}

static bool active_in_span(const struct entry *e, const struct civil_span *sp, civil_day today, time_t t)
{
    const struct config_message *m = e->m;
    if (t < e->from || t >= e->until)
        return false;
    static const struct config_hours all_day = { 1, { { 0, 0 } } };
    const struct config_hours *h = m->hours.count ? &m->hours : &all_day;
    for (civil_day day = today - 1; day <= today + 1; day++) {
        if (!(m->days >> civil_weekday(day) & 1))
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
            return active_in_span(&s->order[i], &sp, today, t);
        }
    return false;
}

/* The messages that play at t (emergency pre-emption applied), as indexes
 * into s->order, in play order. Returns how many; *emergency says which. */
static size_t effective_at(const struct sched *s, time_t t, size_t *idx, bool *emergency)
{
    struct civil_span sp;
    civil_day today;
    span_for(t, &sp, &today);
    size_t n = 0;
    *emergency = false;
    for (size_t i = 0; i < s->count; i++) {
        if (!active_in_span(&s->order[i], &sp, today, t))
            continue;
        if (s->order[i].m->emergency && !*emergency) {
            *emergency = true;
            n = 0;                              /* drop the ordinary ones seen so far */
        }
        if (*emergency && !s->order[i].m->emergency)
            continue;
        idx[n++] = i;
    }
    return n;
}

/* ---- repeats ----------------------------------------------------------- */

/* Copy k of the i-th message of n; its target place in a cycle of L slots
 * is i*L/n + k*L/r, kept as the fraction num/den to make ties exact. */
struct copy {
    size_t msg;
    int k;
    int64_t num, den;
};

static int by_target(const void *a, const void *b)
{
    const struct copy *x = a, *y = b;
    __int128 l = (__int128)x->num * y->den, r = (__int128)y->num * x->den;
    if (l != r)
        return l < r ? -1 : 1;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;            /* first copies before extras */
    return x->msg < y->msg ? -1 : x->msg > y->msg;
}

/* How many copies of a message fit, none side by side, in `slots` slots
 * after one that is not it; one fewer place when the last slot is barred. */
static size_t room(size_t slots, bool last_barred)
{
    if (last_barred)
        return slots ? slots / 2 : 0;
    return (slots + 1) / 2;
}

struct spread_state {
    size_t L;
    const size_t *left;
    const bool *started;
    const size_t *heavy, nheavy;
    const size_t *nstarted;
    const size_t *out;
};

/* How many copies, in all, putting message x into `slot` would leave
 * without another message to keep them apart from their twins (0: none).
 * A message not yet started cannot count on the first copies due before
 * its own. */
static size_t starves(const struct spread_state *st, size_t x, size_t slot)
{
    size_t deficit = 0;
    size_t rest = st->L - slot - 1;                     /* copies left after this slot */
    size_t nstarted = *st->nstarted + !st->started[x];
    for (size_t h = 0; h < st->nheavy; h++) {
        size_t y = st->heavy[h], left = st->left[y] - (y == x);
        if (y == x || !left)
            continue;
        size_t others = rest - left, need = left - 1;
        if (st->started[y])
            need += slot > 0 && y == st->out[0];       /* the cycle may not end on it */
        else
            others = others > y - nstarted ? others - (y - nstarted) : 0;
        if (others < need)
            deficit += need - others;
    }
    return deficit;
}

/* Lays out n messages (repeats r[i]) into out[]; returns the cycle length.
 * See docs/config.md, "Repeats", for the algorithm in words. */
static size_t spread(size_t n, const int *r, size_t *out)
{
    size_t L = 0;
    for (size_t i = 0; i < n; i++)
        L += (size_t)r[i];
    if (n == 1) {
        for (size_t j = 0; j < L; j++)
            out[j] = 0;
        return L;
    }
    struct copy *c = malloc(L * sizeof *c);
    size_t *left = calloc(n, sizeof *left);
    bool *used = calloc(L, sizeof *used), *started = calloc(n, sizeof *started);
    size_t *heavy = malloc(n * sizeof *heavy), nheavy = 0, len = 0;
    if (!c || !left || !used || !started || !heavy)
        goto out;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        left[i] = (size_t)r[i];
        if (r[i] > 1)
            heavy[nheavy++] = i;
        for (int k = 0; k < r[i]; k++)
            c[j++] = (struct copy){ i, k, (int64_t)i * (int64_t)L * r[i] + (int64_t)k * (int64_t)L * (int64_t)n,
                                    (int64_t)n * r[i] };
    }
    qsort(c, L, sizeof *c, by_target);
    size_t prev = SIZE_MAX, head = 0, nstarted = 0;
    struct spread_state st = { L, left, started, heavy, nheavy, &nstarted, out };
    for (size_t slot = 0; slot < L; slot++) {
        size_t after = L - slot - 1, pick = SIZE_MAX;
        bool last = slot == L - 1;
        /* A message whose remaining copies no longer fit later must go now. */
        for (size_t h = 0; h < nheavy; h++) {
            size_t i = heavy[h];
            /* Only a started message, or the one whose first copy is next. */
            if (i == prev || !left[i] || (!started[i] && i != nstarted) || (last && i == out[0]))
                continue;
            if (left[i] > room(after, i == out[0]) && (pick == SIZE_MAX || left[i] > left[pick]))
                pick = i;
        }
        /* Otherwise the copy nearest its target that starves no one, or
         * failing that the one that starves least (among the first few). */
        size_t at = SIZE_MAX, best = SIZE_MAX, tried = 0;
        for (size_t q = head; q < L && pick == SIZE_MAX && tried < 64; q++) {
            if (used[q])
                continue;
            size_t i = c[q].msg;
            if (i == prev || (last && slot > 0 && i == out[0]) || (!started[i] && i != nstarted))
                continue;                       /* first copies go strictly in play order */
            size_t deficit = starves(&st, i, slot);
            tried++;
            if (deficit < best)
                best = deficit, at = q;
            if (!deficit)
                break;
        }
        if (pick == SIZE_MAX && at != SIZE_MAX)
            pick = c[at].msg;
        if (pick == SIZE_MAX)
            break;                              /* only copies that would touch their twin */
        if (at == SIZE_MAX)
            for (at = head; used[at] || c[at].msg != pick; at++)
                ;
        used[at] = true;
        while (head < L && used[head])
            head++;
        if (!started[pick])
            nstarted++;
        started[pick] = true;
        left[pick]--;
        out[len++] = pick;
        prev = pick;
    }
    if (len > 1 && out[len - 1] == out[0])
        len--;                                  /* the cycle's wrap would join them */
out:
    free(c);
    free(left);
    free(used);
    free(started);
    free(heavy);
    return len;
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

int sched_playlist_at(const struct sched *s, time_t t, struct sched_playlist *pl)
{
    pl->count = 0;
    pl->emergency = false;
    if (!s->count)
        return SCHED_OK;
    size_t *idx = malloc(s->count * sizeof *idx);
    if (!idx)
        return SCHED_ERR_NO_MEM;
    size_t n = effective_at(s, t, idx, &pl->emergency);
    size_t total = 0;
    bool repeats = false;
    for (size_t i = 0; i < n; i++) {
        total += (size_t)s->order[idx[i]].m->repeat;
        repeats |= s->order[idx[i]].m->repeat > 1;
    }
    int rc = reserve(pl, total ? total : 1);
    if (rc == 0 && !repeats) {
        for (size_t i = 0; i < n; i++)
            pl->items[i] = s->order[idx[i]].m;
        pl->count = n;
    } else if (rc == 0) {
        int *r = malloc(n * sizeof *r);
        size_t *slots = malloc(total * sizeof *slots);
        if (r && slots) {
            for (size_t i = 0; i < n; i++)
                r[i] = s->order[idx[i]].m->repeat;
            size_t len = spread(n, r, slots);
            for (size_t j = 0; j < len; j++)
                pl->items[j] = s->order[idx[slots[j]]].m;
            pl->count = len;
        } else
            rc = SCHED_ERR_NO_MEM;
        free(r);
        free(slots);
    }
    free(idx);
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

/* Every instant in [lo, hi] where some message may start or stop. */
static int candidates(const struct sched *s, time_t lo, time_t hi, struct times *v)
{
    v->n = 0;
    civil_day d0, d1;
    int minute;
    civil_local(lo, &d0, &minute);
    civil_local(hi, &d1, &minute);
    d0 -= 2;
    d1 += 1;
    struct civil_span sp;
    civil_span_init(&sp, d0, (int)(d1 - d0) + 2);
    static const struct config_hours all_day = { 1, { { 0, 0 } } };
    for (size_t i = 0; i < s->count; i++) {
        const struct entry *e = &s->order[i];
        if (e->until <= lo || e->from > hi)
            continue;
        if (e->from >= lo && e->from <= hi && push(v, e->from))
            return -1;
        if (e->until >= lo && e->until <= hi && push(v, e->until))
            return -1;
        const struct config_hours *h = e->m->hours.count ? &e->m->hours : &all_day;
        for (civil_day day = d0; day <= d1; day++) {
            if (!(e->m->days >> civil_weekday(day) & 1))
                continue;
            for (size_t w = 0; w < h->count; w++) {
                int start = h->w[w].start, end = h->w[w].end;
                if (end <= start)
                    end += 1440;
                time_t a = civil_span_instant(&sp, day, start), b = civil_span_instant(&sp, day, end);
                if (a >= lo && a <= hi && push(v, a))
                    return -1;
                if (b >= lo && b <= hi && push(v, b))
                    return -1;
            }
        }
    }
    if (v->n)
        qsort(v->t, v->n, sizeof *v->t, by_time);
    return 0;
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

static int find_change(const struct sched *s, time_t t, int dir, time_t *out)
{
    size_t *buf = malloc(3 * (s->count ? s->count : 1) * sizeof *buf);
    struct times v = { 0 };
    if (!buf)
        return SCHED_ERR_NO_MEM;
    struct eff ref = { buf, 0, false }, a = { buf + s->count, 0, false }, b = { buf + 2 * s->count, 0, false };
    ref.n = effective_at(s, t, ref.idx, &ref.emergency);
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
            if (dir > 0) {
                if (c <= t || c <= lo)
                    continue;
                a.n = effective_at(s, c, a.idx, &a.emergency);
                if (!eff_equal(&a, &ref)) {
                    *out = c;
                    rc = SCHED_OK;
                }
            } else {
                if (c > t || c > hi || c < lo)
                    continue;
                a.n = effective_at(s, c, a.idx, &a.emergency);
                b.n = effective_at(s, c - 1, b.idx, &b.emergency);
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
        if (covered >= HORIZON_DAYS * 86400) {
            /* The same weekly pattern has held for over two weeks, so only
             * a from or until can bring the next change. */
            time_t bound = 0;
            if (!next_bound(s, edge, dir, &bound))
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

/* ---- time text --------------------------------------------------------- */

int sched_parse_time(const char *text, time_t *out)
{
    struct config_when w;
    if (config_parse_when(text, false, &w) != 0)
        return SCHED_ERR_INVALID;
    *out = civil_instant(w.day, w.minute);
    return SCHED_OK;
}

void sched_format_time(time_t t, char out[32])
{
    civil_day day;
    int minute;
    civil_local(t, &day, &minute);
    struct civil_date c = civil_date_from_day(day);
    snprintf(out, 32, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, minute / 60, minute % 60);
}
