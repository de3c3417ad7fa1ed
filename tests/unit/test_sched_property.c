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

/* Checks a playlist (message indexes) against the model. */
static void verify(const struct model *md, long day, int minute, const int *got, int ngot,
                   bool got_emergency, struct stats *st, const char *config)
{
    int order[MAX_MSGS], n;
    bool emergency;
    n = model_order(md, day, minute, order, &emergency);
    int first[MAX_MSGS], nfirst = 0, count[MAX_MSGS] = { 0 };
    for (int j = 0; j < ngot; j++) {
        if (!count[got[j]]++)
            first[nfirst++] = got[j];
    }
    bool ok = nfirst == n && got_emergency == emergency;
    for (int j = 0; ok && j < n; j++)
        ok = first[j] == order[j];
    bool repeats = false;
    for (int j = 0; ok && j < n; j++) {
        int r = md->m[order[j]].repeat;
        repeats |= r > 1;
        ok = count[order[j]] >= 1 && count[order[j]] <= r && (n > 1 || count[order[j]] == r);
        st->copies_wanted += r;
        st->copies_played += count[order[j]];
    }
    for (int j = 1; ok && n > 1 && j < ngot; j++)
        ok = got[j] != got[j - 1];
    if (ok && n > 1 && ngot > 1)
        ok = got[ngot - 1] != got[0];
    if (ok && !repeats)
        ok = ngot == n;
    if (!ok) {
        fprintf(stderr, "MISMATCH at day %ld minute %d (weekday %d)\nconfig:\n%s\nwant:", day, minute,
                weekday_of(day), config);
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
            assert_int_equal(sched_parse_time(when, &t), SCHED_OK);
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

/* The best any layout can do: the most copies in a cycle that keeps the
 * first copies in play order and never puts twins side by side (wrap
 * included), found by trying every sequence. */
static int bf_n, bf_r[8], bf_best, bf_cnt[8], bf_seq[64];

static void bf_search(int len, int nstarted)
{
    if (nstarted == bf_n && (bf_n == 1 || bf_seq[len - 1] != bf_seq[0]) && len > bf_best)
        bf_best = len;
    for (int x = 0; x < bf_n; x++) {
        if (bf_cnt[x] >= bf_r[x] || (len && bf_seq[len - 1] == x) || (!bf_cnt[x] && x != nstarted))
            continue;
        bf_cnt[x]++;
        bf_seq[len] = x;
        bf_search(len + 1, nstarted + (bf_cnt[x] == 1));
        bf_cnt[x]--;
    }
}

/* Repeats: the spreading places as many copies as the best layout that
 * keeps first copies in order and twins apart, on random small cases where
 * every layout can be tried. */
static void repeats_as_many_as_fit(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    int cases = 2000;
    size_t placed = 0;
    for (int it = 0; it < cases; it++) {
        char text[4096];
        size_t o = 0;
        bf_n = 2 + (int)rnd(4);
        for (int i = 0; i < bf_n; i++) {
            bf_r[i] = rnd(3) == 0 ? 1 + (int)rnd(4) : 1;
            o += (size_t)snprintf(text + o, sizeof text - o, "[message m%d]\nheadline = x\nrepeat = %d\n", i, bf_r[i]);
        }
        bf_best = 0;
        memset(bf_cnt, 0, sizeof bf_cnt);
        bf_search(0, 0);
        struct config *cfg;
        assert_int_equal(config_parse(&cfg, "r.ini", text, o, NULL, NULL), CONFIG_OK);
        struct sched *s;
        assert_int_equal(sched_new(&s, cfg), SCHED_OK);
        struct sched_playlist pl = { 0 };
        assert_int_equal(sched_playlist_at(s, 1795737600, &pl), SCHED_OK);
        if ((int)pl.count != bf_best) {
            fprintf(stderr, "%zu copies where %d fit:\n%s", pl.count, bf_best, text);
            fail();
        }
        placed += pl.count;
        sched_playlist_release(&pl);
        sched_free(s);
        config_free(cfg);
    }
    printf("repeats: %d random cases, %zu copies, each case as many as fit\n", cases, placed);
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
    };
    return cmocka_run_group_tests_name("sched_property", tests, NULL, NULL);
}
