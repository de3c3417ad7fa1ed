/* Property test: for random configs and random moments, the scheduler
 * agrees with a direct evaluation of the rules in docs/config.md, written
 * separately here on wall-clock dates and minutes (no instants, no spans).
 *
 * Run with no argument it drives the library (make test). Run as
 *   test_sched_property --cli build/ledticker
 * it drives the real `ledticker schedule --at --json` instead (the e2e test
 * tests/e2e/schedule_property.sh does that). PROPERTY_SEED picks the seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diagcap.h"
#include "schedule/config.h"
#include "schedule/sched.h"

#define MAX_MSGS 12

static uint64_t rng_state;
static const char *cli_binary;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

/* The model: what the generator wrote, kept as plain numbers. */
struct model_msg {
    char id[16];
    int priority, repeat;
    bool emergency, enabled;
    unsigned days;                  /* bit 0 = Sunday */
    int nwin, ws[3], we[3];         /* minutes; we may be 1440 */
    bool has_from, has_until;
    long from, until;               /* day * 1440 + minute (until: bare date = next midnight) */
};

struct model {
    int n;
    struct model_msg m[MAX_MSGS];
};

static long days_from_civil(int y, int m, int d)    /* independent of civil.c on purpose */
{
    struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };
    return (long)(timegm(&tm) / 86400);
}

static void civil_text(long daymin, bool with_time, char *out, size_t len)
{
    time_t t = (time_t)(daymin / 1440) * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (with_time)
        snprintf(out, len, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 (int)(daymin % 1440 / 60) & 31, (int)(daymin % 60) & 63);
    else
        snprintf(out, len, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static const char *dayname[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

static size_t gen_config(struct model *md, char *out, size_t len, long base_day)
{
    size_t o = 0;
    md->n = 1 + (int)rnd(MAX_MSGS);
    for (int i = 0; i < md->n; i++) {
        struct model_msg *m = &md->m[i];
        memset(m, 0, sizeof *m);
        snprintf(m->id, sizeof m->id, "m%d", i % 100);
        m->priority = 40 + 10 * (int)rnd(3);
        m->repeat = rnd(4) == 0 ? 2 + (int)rnd(3) : 1;
        m->emergency = rnd(8) == 0;
        m->enabled = rnd(10) != 0;
        o += (size_t)snprintf(out + o, len - o, "[message %s]\nheadline = 第%d条\npriority = %d\nrepeat = %d\n"
                              "emergency = %s\nenabled = %s\n", m->id, i, m->priority, m->repeat,
                              m->emergency ? "yes" : "no", m->enabled ? "yes" : "no");
        switch (rnd(4)) {
        case 0:
            m->days = 0x7F;
            break;
        case 1: {                                   /* a range, maybe wrapping */
            int a = (int)rnd(7), b = (int)rnd(7);
            for (int d = a;; d = (d + 1) % 7) {
                m->days |= 1u << d;
                if (d == b)
                    break;
            }
            o += (size_t)snprintf(out + o, len - o, "days = %s－%s\n", dayname[a], dayname[b]);
            break;
        }
        default: {                                  /* a list */
            o += (size_t)snprintf(out + o, len - o, "days = ");
            int k = 1 + (int)rnd(3);
            for (int j = 0; j < k; j++) {
                int d = (int)rnd(7);
                m->days |= 1u << d;
                o += (size_t)snprintf(out + o, len - o, "%s%s", j ? "，" : "", dayname[d]);
            }
            o += (size_t)snprintf(out + o, len - o, "\n");
        }
        }
        m->nwin = (int)rnd(4);
        if (m->nwin) {
            o += (size_t)snprintf(out + o, len - o, "hours = ");
            for (int w = 0; w < m->nwin; w++) {
                m->ws[w] = 15 * (int)rnd(96);
                m->we[w] = rnd(8) == 0 ? 1440 : 15 * (int)rnd(96);
                o += (size_t)snprintf(out + o, len - o, "%s%02d:%02d-%02d:%02d", w ? ", " : "",
                                      m->ws[w] / 60, m->ws[w] % 60, m->we[w] / 60, m->we[w] % 60);
            }
            o += (size_t)snprintf(out + o, len - o, "\n");
        }
        char text[64];
        if (rnd(3) == 0) {
            m->has_from = true;
            bool timed = rnd(2);
            m->from = (base_day + (long)rnd(10)) * 1440 + (timed ? 15 * (long)rnd(96) : 0);
            civil_text(m->from, timed, text, sizeof text);
            o += (size_t)snprintf(out + o, len - o, "from = %s\n", text);
        }
        if (rnd(3) == 0) {
            bool timed = rnd(2);
            long u = (base_day + 3 + (long)rnd(10)) * 1440 + (timed ? 15 * (long)rnd(96) : 0);
            if (!m->has_from || u > m->from + (timed ? 0 : -1440)) {
                m->has_until = true;
                m->until = timed ? u : u + 1440;
                civil_text(u, timed, text, sizeof text);
                if (!(m->has_from && m->until <= m->from))
                    o += (size_t)snprintf(out + o, len - o, "until = %s\n", text);
                else
                    m->has_until = false;
            }
        }
    }
    return o;
}

static int weekday_of(long day)
{
    return (int)(((day + 4) % 7 + 7) % 7);
}

/* The rules, read straight off the docs, on wall-clock day and minute. */
static bool model_active(const struct model_msg *m, long day, int minute)
{
    long now = day * 1440 + minute;
    if (!m->enabled || (m->has_from && now < m->from) || (m->has_until && now >= m->until))
        return false;
    bool today = m->days >> weekday_of(day) & 1, yesterday = m->days >> weekday_of(day - 1) & 1;
    if (!m->nwin)
        return today;
    for (int w = 0; w < m->nwin; w++) {
        int s = m->ws[w], e = m->we[w];
        if (e > s) {
            if (today && minute >= s && minute < e)
                return true;
        } else if ((today && minute >= s) || (yesterday && minute < e))
            return true;
    }
    return false;
}

/* The expected play order (first copies) and the emergency flag. */
static int model_order(const struct model *md, long day, int minute, int *order, bool *emergency)
{
    int n = 0;
    *emergency = false;
    for (int i = 0; i < md->n; i++)
        if (model_active(&md->m[i], day, minute) && md->m[i].emergency)
            *emergency = true;
    for (int p = 100; p >= 0; p--)
        for (int i = 0; i < md->n; i++)
            if (md->m[i].priority == p && model_active(&md->m[i], day, minute) &&
                (!*emergency || md->m[i].emergency))
                order[n++] = i;
    return n;
}

struct stats {
    long checks, copies_wanted, copies_played;
};

/* A cycle of messages (any numbering) keeps the rule of docs/config.md,
 * "Repeats", for the messages order[0..n-1] (play order) wanting want[i]
 * copies each: it starts with order[0]; order[] is a subsequence of it
 * (each message's first copy, in play order, extra copies anywhere
 * between); every message has 1..want copies (alone: exactly want, back to
 * back); no copy touches another copy of its message, the wrap included.
 * Stores the copies of order[i] in count[i]. Returns what is wrong, or NULL. */
static const char *layout_fault(const int *order, const int *want, int n, const int *got, int ngot,
                                int *count)
{
    for (int i = 0; i < n; i++)
        count[i] = 0;
    int matched = 0;
    for (int j = 0; j < ngot; j++) {
        int i = 0;
        while (i < n && order[i] != got[j])
            i++;
        if (i == n)
            return "a message that is not active";
        count[i]++;
        if (matched < n && order[matched] == got[j])
            matched++;
    }
    if (!n)
        return ngot ? "copies while idle" : NULL;
    if (got[0] != order[0])
        return "the cycle does not start with the first message in play order";
    if (matched < n)
        return "the first copies are not in play order";
    for (int i = 0; i < n; i++) {
        if (count[i] < 1 || count[i] > want[i])
            return "a message with no copy or too many";
        if (n == 1 && count[i] != want[i])
            return "a message alone does not play all its copies";
    }
    for (int j = 0; n > 1 && j < ngot; j++)
        if (got[j] == got[(j + 1) % ngot])
            return "two copies of one message touch";
    return NULL;
}

/* The most copies any layout can hold: no message can have more than the
 * others together (each copy needs another after it, the wrap included). */
static int most_copies(const int *want, int n)
{
    int total = 0, big = 0;
    for (int i = 0; i < n; i++) {
        total += want[i];
        big = want[i] > big ? want[i] : big;
    }
    return n < 2 || 2 * big <= total ? total : 2 * (total - big);
}

/* Checks a playlist (message indexes) against the model. */
static void verify(const struct model *md, long day, int minute, const int *got, int ngot,
                   bool got_emergency, struct stats *st, const char *config)
{
    int order[MAX_MSGS], want[MAX_MSGS], count[MAX_MSGS], n;
    bool emergency;
    n = model_order(md, day, minute, order, &emergency);
    for (int j = 0; j < n; j++) {
        want[j] = md->m[order[j]].repeat;
        st->copies_wanted += want[j];
    }
    const char *fault = got_emergency != emergency ? "the emergency flag"
                        : layout_fault(order, want, n, got, ngot, count);
    if (!fault && ngot != most_copies(want, n))
        fault = "fewer copies than fit";
    st->copies_played += ngot;
    if (fault) {
        fprintf(stderr, "MISMATCH (%s) at day %ld minute %d (weekday %d)\nconfig:\n%s\nwant:", fault, day,
                minute, weekday_of(day), config);
        for (int j = 0; j < n; j++)
            fprintf(stderr, " %s", md->m[order[j]].id);
        fprintf(stderr, "%s\ngot: ", emergency ? " (emergency)" : "");
        for (int j = 0; j < ngot; j++)
            fprintf(stderr, " %s", md->m[got[j]].id);
        fprintf(stderr, "%s\n", got_emergency ? " (emergency)" : "");
        fail();
    }
    st->checks++;
}

static int id_index(const char *id)
{
    return atoi(id + 1);
}

/* ---- the library ---------------------------------------------------------- */

static void run_library(long base_day, int configs, int moments, struct stats *st)
{
    static char text[16384];
    for (int c = 0; c < configs; c++) {
        struct model md;
        gen_config(&md, text, sizeof text, base_day);
        struct config *cfg;
        struct diagcap cap;
        diagcap_init(&cap);
        if (config_parse(&cfg, "p.ini", text, strlen(text), NULL, &cap.diag) != CONFIG_OK) {
            fprintf(stderr, "generated config rejected: %s\n%s\n", cap.count ? cap.msgs[0].text : "", text);
            fail();
        }
        struct sched *s;
        assert_int_equal(sched_new(&s, cfg), SCHED_OK);
        struct sched_playlist pl = { 0 };
        for (int k = 0; k < moments; k++) {
            long day = base_day - 1 + (long)rnd(16);
            int minute = (int)rnd(1440);
            char when[64];
            civil_text(day * 1440 + minute, true, when, sizeof when);
            time_t t;
            assert_int_equal(civil_parse_instant(when, &t), 0);
            assert_int_equal(sched_playlist_at(s, t, &pl), SCHED_OK);
            int got[512], ngot = 0;
            for (size_t j = 0; j < pl.count && ngot < 512; j++)
                got[ngot++] = id_index(pl.items[j]->id);
            verify(&md, day, minute, got, ngot, pl.emergency, st, text);
        }
        sched_playlist_release(&pl);
        sched_free(s);
        config_free(cfg);
    }
}

static void seed(void)
{
    const char *env = getenv("PROPERTY_SEED");
    rng_state = env ? strtoull(env, NULL, 0) : 0x9E3779B97F4A7C15u;
    if (!rng_state)
        rng_state = 1;
}

static void report(const char *tz, const struct stats *st)
{
    printf("property %s: %ld moments agree; %ld of %ld wanted copies played (the rest dropped to keep twins apart)\n",
           tz, st->checks, st->copies_played, st->copies_wanted);
}

static void agrees_in_shanghai(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    struct stats st = { 0 };
    run_library(days_from_civil(2026, 11, 20), 2000, 25, &st);
    report("Asia/Shanghai", &st);
}

static void agrees_in_utc(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    struct stats st = { 0 };
    run_library(days_from_civil(2027, 2, 20), 300, 25, &st);
    report("UTC", &st);
}

/* New York away from its clock changes: the wall-clock rules hold there
 * unchanged (the DST days have their own unit tests). */
static void agrees_in_new_york(void **state)
{
    (void)state;
    setenv("TZ", "America/New_York", 1);
    tzset();
    struct stats st = { 0 };
    run_library(days_from_civil(2026, 6, 10), 300, 25, &st);
    report("America/New_York", &st);
}

/* The best layout by the rule, found by trying every layout: a search over
 * every state a cycle can be in while it is written left to right (copies
 * used so far, the message before, the next first copy due), independent
 * of how sched.c lays copies out. Among the cycles that can be completed it
 * keeps the most copies in all, then drops from the end of the play order
 * first (lowest priority, then later in the config): the count vector that
 * is greatest in play order. */
#define BF_MAX 6
static int bf_n, bf_r[BF_MAX], bf_best[BF_MAX], bf_best_total;
static unsigned char *bf_seen;

static size_t bf_key(const int *used, int prev, int next)
{
    size_t k = 0;
    for (int i = 0; i < bf_n; i++)
        k = k * (size_t)(bf_r[i] + 1) + (size_t)used[i];
    return (k * (size_t)bf_n + (size_t)prev) * (size_t)(bf_n + 1) + (size_t)next;
}

static void bf_visit(int *used, int prev, int next)
{
    size_t key = bf_key(used, prev, next);
    if (bf_seen[key])
        return;
    bf_seen[key] = 1;
    if (next == bf_n && prev != 0) {                /* a cycle: the wrap joins prev to message 0 */
        int total = 0;
        for (int i = 0; i < bf_n; i++)
            total += used[i];
        bool better = total > bf_best_total;
        for (int i = 0; !better && total == bf_best_total && i < bf_n; i++) {
            if (used[i] != bf_best[i]) {
                better = used[i] > bf_best[i];
                break;
            }
        }
        if (better) {
            bf_best_total = total;
            memcpy(bf_best, used, sizeof bf_best);
        }
    }
    for (int x = 0; x < bf_n; x++) {
        /* A message whose first copy is still to come may stand early
         * only with a copy kept for its turn. */
        int room = x > next ? bf_r[x] - 1 : bf_r[x];
        if (x == prev || used[x] >= room)
            continue;
        used[x]++;
        bf_visit(used, x, next + (x == next));
        used[x]--;
    }
}

static void brute_force(void)
{
    size_t states = (size_t)bf_n * (size_t)(bf_n + 1);
    for (int i = 0; i < bf_n; i++)
        states *= (size_t)(bf_r[i] + 1);
    bf_seen = calloc(states, 1);
    assert_non_null(bf_seen);
    int used[BF_MAX] = { 1 };
    bf_best_total = 0;
    memset(bf_best, 0, sizeof bf_best);
    bf_visit(used, 0, 1);                           /* the cycle starts with message 0 */
    free(bf_seen);
}

/* Messages m0, m1, ... with these repeats, all active: their cycle, as
 * message numbers in got[] (returns how many), and what it reports as cut
 * short (*short_at: the message number or -1, *dropped). */
static int cycle_of(const int *repeat, int n, int *got, int max, int *short_at, int *dropped)
{
    static char text[1 << 17];
    size_t o = 0;
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "[message m%d]\nheadline = x\nrepeat = %d\n", i, repeat[i]);
    struct config *cfg;
    assert_int_equal(config_parse(&cfg, "r.ini", text, o, NULL, NULL), CONFIG_OK);
    struct sched *s;
    assert_int_equal(sched_new(&s, cfg), SCHED_OK);
    struct sched_playlist pl = { 0 };
    assert_int_equal(sched_playlist_at(s, 1795737600, &pl), SCHED_OK);
    int ngot = 0;
    for (size_t j = 0; j < pl.count && ngot < max; j++)
        got[ngot++] = id_index(pl.items[j]->id);
    *short_at = pl.short_msg ? id_index(pl.short_msg->id) : -1;
    *dropped = pl.dropped;
    sched_playlist_release(&pl);
    sched_free(s);
    config_free(cfg);
    return ngot;
}

/* Repeats, on random small cases where every layout can be tried: as many
 * copies as the best layout, the same drops, none touching, and a warning
 * naming the message whenever a copy is dropped. */
static void repeats_as_many_as_fit(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    int cases = 3000, short_cases = 0;
    size_t placed = 0;
    for (int it = 0; it < cases; it++) {
        bf_n = 2 + (int)rnd(BF_MAX - 1);
        int order[BF_MAX];
        for (int i = 0; i < bf_n; i++) {
            bf_r[i] = rnd(3) == 0 ? 1 + (int)rnd(it % 2 ? 4 : 7) : 1;
            order[i] = i;
        }
        brute_force();
        int got[64], count[BF_MAX], got_short, dropped;
        int ngot = cycle_of(bf_r, bf_n, got, 64, &got_short, &dropped);
        const char *fault = layout_fault(order, bf_r, bf_n, got, ngot, count);
        for (int i = 0; !fault && i < bf_n; i++)
            if (count[i] != bf_best[i])
                fault = "not the best layout's copies";
        int short_at = -1;
        for (int i = 0; i < bf_n; i++)
            if (bf_best[i] < bf_r[i])
                short_at = i;
        if (!fault && short_at != got_short)
            fault = short_at < 0 ? "a warning where nothing was dropped" : "the dropped copies are not reported";
        if (!fault && short_at >= 0 && dropped != bf_r[short_at] - bf_best[short_at])
            fault = "the dropped copies are not counted right";
        if (fault) {
            fprintf(stderr, "%s:", fault);
            for (int i = 0; i < bf_n; i++)
                fprintf(stderr, " m%d (repeat %d)", i, bf_r[i]);
            fprintf(stderr, "\ngot:");
            for (int j = 0; j < ngot; j++)
                fprintf(stderr, " m%d", got[j]);
            fprintf(stderr, "\nbest counts:");
            for (int i = 0; i < bf_n; i++)
                fprintf(stderr, " %d", bf_best[i]);
            fprintf(stderr, "\n");
            fail();
        }
        short_cases += short_at >= 0;
        placed += (size_t)ngot;
    }
    printf("repeats: %d random cases (%d with dropped copies), %zu copies, each case the best layout\n",
           cases, short_cases, placed);
}

/* The examples in docs/config.md and issue 9. */
static void repeats_examples(void **state)
{
    (void)state;
    static const struct {
        const char *config, *want;
    } cases[] = {
        /* f (repeat 2, lowest priority) plays twice: c f a f. */
        { "[message c]\npriority = 90\n[message a]\npriority = 80\n[message f]\npriority = 10\nrepeat = 2\n",
          "c f a f" },
        { "[message a]\nrepeat = 2\n[message b]\n[message c]\n[message d]\n", "a b c a d" },
        { "[message a]\nrepeat = 3\n", "a a a" },
        /* b wants 5 of a cycle of 7: it keeps 2, one after each other copy. */
        { "[message a]\n[message b]\nrepeat = 5\n[message c]\n", "a b c b" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[512];
        int o = 0, at = 0;
        /* Every message needs a headline; add one after each header. */
        for (const char *p = cases[k].config; *p; p++) {
            text[o++] = *p;
            if (*p == ']' )
                at = 1;
            if (*p == '\n' && at) {
                o += snprintf(text + o, sizeof text - (size_t)o, "headline = x\n");
                at = 0;
            }
        }
        text[o] = '\0';
        struct config *cfg;
        assert_int_equal(config_parse(&cfg, "e.ini", text, (size_t)o, NULL, NULL), CONFIG_OK);
        struct sched *s;
        assert_int_equal(sched_new(&s, cfg), SCHED_OK);
        struct sched_playlist pl = { 0 };
        assert_int_equal(sched_playlist_at(s, 1795737600, &pl), SCHED_OK);
        char got[128] = "";
        for (size_t j = 0; j < pl.count; j++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", j ? " " : "", pl.items[j]->id);
        assert_string_equal(got, cases[k].want);
        sched_playlist_release(&pl);
        sched_free(s);
        config_free(cfg);
    }
}

/* Many messages and large repeats, beyond what can be tried exhaustively:
 * the layout keeps the rule and holds as many copies as can fit. */
static void repeats_large(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    for (int it = 0; it < 200; it++) {
        int n = 2 + (int)rnd(it % 4 ? 40 : 300), want[400], order[400], count[400];
        for (int i = 0; i < n; i++) {
            want[i] = rnd(2) ? 1 : 1 + (int)rnd(rnd(5) ? 10 : 100);
            order[i] = i;
        }
        static int got[40000];
        int short_at, dropped;
        int ngot = cycle_of(want, n, got, 40000, &short_at, &dropped);
        const char *fault = layout_fault(order, want, n, got, ngot, count);
        if (!fault && ngot != most_copies(want, n))
            fault = "fewer copies than fit";
        if (fault) {
            fprintf(stderr, "%s: %d messages, %d copies\n", fault, n, ngot);
            fail();
        }
    }
}

/* ---- the command line --------------------------------------------------------- */

static int run_cli(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    char dir[256], path[300];
    tmpdir_make(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/p.ini", dir);
    static char text[16384];
    struct stats st = { 0 };
    long base = days_from_civil(2026, 11, 20);
    for (int c = 0; c < 60; c++) {
        struct model md;
        size_t n = gen_config(&md, text, sizeof text, base);
        tmpdir_write_bytes(dir, "p.ini", text, n);
        for (int k = 0; k < 4; k++) {
            long day = base - 1 + (long)rnd(16);
            int minute = (int)rnd(1440);
            char when[64], cmd[1024], line[8192];
            civil_text(day * 1440 + minute, true, when, sizeof when);
            snprintf(cmd, sizeof cmd, "%s schedule -c %s --at '%s' --json", cli_binary, path, when);
            FILE *p = popen(cmd, "r");
            if (!p || !fgets(line, sizeof line, p)) {
                fprintf(stderr, "no output from: %s\n", cmd);
                return 1;
            }
            int rc = pclose(p);
            char head[128];
            snprintf(head, sizeof head, "{\"at\":\"%s\",\"emergency\":", when);
            if (rc != 0 || strncmp(line, head, strlen(head)) || line[strlen(line) - 1] != '\n') {
                fprintf(stderr, "bad output (exit %d) from %s:\n%s\n", rc, cmd, line);
                return 1;
            }
            bool emergency = !strncmp(line + strlen(head), "true", 4);
            const char *pl = strstr(line, ",\"playlist\":[");
            if (!pl || strcmp(line + strlen(line) - 3, "]}\n")) {
                fprintf(stderr, "bad JSON: %s\n", line);
                return 1;
            }
            int got[512], ngot = 0;
            for (const char *q = pl + 13; *q == '"' && ngot < 512;) {
                got[ngot++] = id_index(q + 1);
                q = strchr(q + 1, '"') + 1;
                if (*q == ',')
                    q++;
            }
            verify(&md, day, minute, got, ngot, emergency, &st, text);
        }
    }
    tmpdir_remove(dir);
    report("CLI Asia/Shanghai", &st);
    return 0;
}

int main(int argc, char **argv)
{
    seed();
    if (argc == 3 && !strcmp(argv[1], "--cli")) {
        cli_binary = argv[2];
        return run_cli();
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agrees_in_shanghai),
        cmocka_unit_test(agrees_in_utc),
        cmocka_unit_test(agrees_in_new_york),
        cmocka_unit_test(repeats_as_many_as_fit),
        cmocka_unit_test(repeats_examples),
        cmocka_unit_test(repeats_large),
    };
    return cmocka_run_group_tests_name("sched_property", tests, NULL, NULL);
}
