/* The scheduler: what is active when, in what order, and around midnight
 * and daylight-saving days. Dates: 2026-11-27 is a Friday. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diagcap.h"
#include "schedfix.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/sched.h"

struct fixture {
    struct config *cfg;
    struct sched *s;
    char out[1024];
};

static void use_tz(const char *tz)
{
    char path[256];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "tzdata is missing (%s): install it (packaging/deps.sh test)\n", path);
        fail();
    }
    setenv("TZ", tz, 1);
    tzset();
}

static void build(struct fixture *f, const char *text)
{
    schedfix_build(&f->cfg, &f->s, text);
}

static void teardown(struct fixture *f)
{
    sched_free(f->s);
    config_free(f->cfg);
}

static time_t T(const char *text)
{
    return schedfix_time(text);
}

/* The playlist at t as "id id id", with a leading "!" in an emergency. */
static const char *at_t(struct fixture *f, time_t t)
{
    struct sched_playlist pl = { 0 };
    assert_int_equal(sched_playlist_at(f->s, t, &pl), SCHED_OK);
    char *o = f->out;
    *o = '\0';
    if (pl.emergency)
        o += sprintf(o, "!");
    for (size_t i = 0; i < pl.count; i++)
        o += sprintf(o, "%s%s", i ? " " : "", pl.items[i]->id);
    sched_playlist_release(&pl);
    return f->out;
}

static const char *at(struct fixture *f, const char *when)
{
    return at_t(f, T(when));
}

static void midnight_crossing(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    struct fixture f;
    build(&f, "[message late]\nheadline = x\ndays = fri\nhours = 22:00-02:00\n"
              "[message whole]\nheadline = y\ndays = mon\nhours = 00:00-00:00\n"
              "[message eve]\nheadline = z\ndays = sat\nhours = 20:00-24:00\n");
    assert_string_equal(at(&f, "2026-11-27 21:59"), "");
    assert_string_equal(at(&f, "2026-11-27 22:00"), "late");
    assert_string_equal(at(&f, "2026-11-28 01:00"), "late");     /* Saturday, from Friday's window */
    assert_string_equal(at(&f, "2026-11-28 01:59"), "late");
    assert_string_equal(at(&f, "2026-11-28 02:00"), "");
    assert_string_equal(at(&f, "2026-11-27 01:00"), "");         /* Friday early: Thursday's, not Friday's */
    assert_string_equal(at(&f, "2026-11-30 00:00"), "whole");
    assert_string_equal(at(&f, "2026-11-30 23:59"), "whole");
    assert_string_equal(at(&f, "2026-12-01 00:00"), "");
    assert_string_equal(at(&f, "2026-11-29 23:59"), "");
    assert_string_equal(at(&f, "2026-11-28 23:59"), "eve");
    assert_string_equal(at(&f, "2026-11-29 00:00"), "");          /* 24:00 ends it */
    teardown(&f);
}

static void weekday_ranges(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    struct fixture f;
    build(&f, "[message wrap]\nheadline = x\ndays = fri-mon\n"
              "[message work]\nheadline = y\ndays = mon-fri\n"
              "[message wknd]\nheadline = z\ndays = sat，sun\n");
    /* 2026-11-23 is a Monday. */
    const char *want[7] = { "wrap work", "work", "work", "work", "wrap work", "wrap wknd", "wrap wknd" };
    for (int d = 0; d < 7; d++) {
        char when[32];
        snprintf(when, sizeof when, "2026-11-%02d 12:00", 23 + d);
        assert_string_equal(at(&f, when), want[d]);
    }
    teardown(&f);
}

static void from_until_edges(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    struct fixture f;
    build(&f, "[message a]\nheadline = x\nfrom = 2026-12-01 08:30\nuntil = 2026-12-05\n"
              "[message b]\nheadline = y\nfrom = 2026-12-03\nuntil = 2026-12-05 17:00\n");
    assert_string_equal(at(&f, "2026-12-01 08:29"), "");
    assert_string_equal(at(&f, "2026-12-01 08:30"), "a");
    assert_string_equal(at(&f, "2026-12-02 23:59"), "a");
    assert_string_equal(at(&f, "2026-12-03 00:00"), "a b");
    assert_string_equal(at(&f, "2026-12-05 16:59"), "a b");
    assert_string_equal(at(&f, "2026-12-05 17:00"), "a");
    assert_string_equal(at(&f, "2026-12-05 23:59"), "a");         /* bare until: the end of the day */
    assert_string_equal(at(&f, "2026-12-06 00:00"), "");
    assert_int_equal(T("2026-12-05 23:59") + 59, T("2026-12-06 00:00") - 1);
    assert_string_equal(at_t(&f, T("2026-12-06 00:00") - 1), "a");
    teardown(&f);
}

static void emergency_preempts(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    struct fixture f;
    build(&f, "[message news]\nheadline = x\npriority = 90\n"
              "[message storm]\nheadline = y\nemergency = yes\npriority = 10\nhours = 10:00-11:00\n"
              "[message fire]\nheadline = z\nemergency = yes\npriority = 20\nhours = 10:30-12:00\n"
              "[message drill]\nheadline = w\nemergency = yes\nenabled = no\n");
    assert_string_equal(at(&f, "2026-11-27 09:59"), "news");
    assert_string_equal(at(&f, "2026-11-27 10:00"), "!storm");
    assert_string_equal(at(&f, "2026-11-27 10:30"), "!fire storm");
    assert_string_equal(at(&f, "2026-11-27 11:00"), "!fire");
    assert_string_equal(at(&f, "2026-11-27 12:00"), "news");
    teardown(&f);
}

static void priority_and_ties_with_includes(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    char dir[256], path[300];
    tmpdir_make(dir, sizeof dir);
    tmpdir_write(dir, "main.ini", "[message a]\nheadline = 1\ninclude = shared.ini\n"
                                  "[message c]\nheadline = 3\n[message top]\nheadline = 0\npriority = 80\n"
                                  "[message low]\nheadline = 9\npriority = 5\n");
    tmpdir_write(dir, "shared.ini", "[message b]\nheadline = 2\n");
    snprintf(path, sizeof path, "%s/main.ini", dir);
    struct fixture f;
    assert_int_equal(config_load(&f.cfg, path, NULL, NULL), CONFIG_OK);
    assert_int_equal(sched_new(&f.s, f.cfg), SCHED_OK);
    assert_string_equal(at(&f, "2026-11-27 12:00"), "top a b c low");
    teardown(&f);
    tmpdir_remove(dir);
}

static void no_adjacent_twins(const char *list)
{
    char buf[1024], *save = NULL, prev[64] = "", first[64] = "";
    snprintf(buf, sizeof buf, "%s", list);
    int distinct = 0;
    for (char *id = strtok_r(buf, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
        if (!*first)
            snprintf(first, sizeof first, "%s", id);
        assert_string_not_equal(prev, id);
        distinct += strcmp(id, first) != 0;
        snprintf(prev, sizeof prev, "%s", id);
    }
    if (distinct)
        assert_string_not_equal(prev, first);         /* the cycle wraps */
}

static void repeats_spread(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    struct fixture f;
    build(&f, "[message a]\nheadline = x\nrepeat = 2\n[message b]\nheadline = x\n"
              "[message c]\nheadline = x\n[message d]\nheadline = x\n");
    assert_string_equal(at(&f, "2026-11-27 12:00"), "a b c a d");    /* the docs' example */
    teardown(&f);

    build(&f, "[message a]\nheadline = x\nrepeat = 2\n[message b]\nheadline = x\nrepeat = 2\n");
    assert_string_equal(at(&f, "2026-11-27 12:00"), "a b a b");       /* ties: first copies first */
    teardown(&f);

    build(&f, "[message a]\nheadline = x\nrepeat = 3\nhours = 10:00-11:00\n[message b]\nheadline = x\nhours = 10:30-11:30\n");
    assert_string_equal(at(&f, "2026-11-27 10:00"), "a a a");         /* alone: back to back */
    const char *two = at(&f, "2026-11-27 10:30");
    no_adjacent_twins(two);                                           /* a b a would wrap into a */
    assert_string_equal(two, "a b");
    teardown(&f);

    build(&f, "[message a]\nheadline = x\nrepeat = 3\n[message b]\nheadline = x\n[message c]\nheadline = x\n"
              "[message d]\nheadline = x\nrepeat = 2\npriority = 40\n[message e]\nheadline = x\n"
              "[message g]\nheadline = x\n");
    const char *many = at(&f, "2026-11-27 12:00");
    no_adjacent_twins(many);
    assert_string_equal(many, "a b c a e g d a d");
    teardown(&f);
}

/* America/New_York, 2026: clocks jump 02:00 -> 03:00 on 8 March and go
 * back 02:00 -> 01:00 on 1 November. */
static void dst_new_york_spring(void **state)
{
    (void)state;
    use_tz("America/New_York");
    struct fixture f;
    build(&f, "[message a]\nheadline = x\nhours = 02:30-04:00\n"
              "[message gone]\nheadline = y\nhours = 02:00-02:30\n");
    char buf[32];
    /* 02:30 does not exist that day: it rolls forward to the jump. */
    civil_format(T("2026-03-08 02:30"), false, buf);
    assert_string_equal(buf, "2026-03-08 03:00");
    assert_int_equal(T("2026-03-08 03:00") - T("2026-03-08 01:59"), 60);
    assert_string_equal(at(&f, "2026-03-08 01:59"), "");
    assert_string_equal(at(&f, "2026-03-08 03:00"), "a");
    assert_string_equal(at(&f, "2026-03-08 03:59"), "a");
    assert_string_equal(at(&f, "2026-03-08 04:00"), "");
    /* The window wholly inside the missing hour does not play that day. */
    time_t next;
    assert_int_equal(sched_next_change(f.s, T("2026-03-08 00:00"), &next), SCHED_OK);
    civil_format(next, false, buf);
    assert_string_equal(buf, "2026-03-08 03:00");
    assert_int_equal(sched_next_change(f.s, T("2026-03-08 04:00"), &next), SCHED_OK);
    civil_format(next, false, buf);
    assert_string_equal(buf, "2026-03-09 02:00");
    assert_string_equal(at(&f, "2026-03-09 02:00"), "gone");
    teardown(&f);
}

static void dst_new_york_autumn(void **state)
{
    (void)state;
    use_tz("America/New_York");
    struct fixture f;
    build(&f, "[message once]\nheadline = x\nhours = 01:00-01:30\n"
              "[message long]\nheadline = y\nhours = 00:00-02:00\n");
    time_t first = T("2026-11-01 01:15"), second = first + 3600;
    char a[32], b[32];
    civil_format(first, false, a);
    civil_format(second, false, b);
    assert_string_equal(a, b);                          /* the same wall time, twice */
    assert_string_equal(at_t(&f, first), "once long");  /* --at means the first occurrence */
    assert_string_equal(at_t(&f, second), "long");      /* nothing plays twice */
    /* 00:00-02:00 runs to the first (only) 02:00: three hours that day. */
    assert_string_equal(at_t(&f, T("2026-11-01 02:00") - 1), "long");
    assert_int_equal(T("2026-11-01 02:00") - T("2026-11-01 00:00"), 3 * 3600);
    time_t next;
    assert_int_equal(sched_next_change(f.s, first, &next), SCHED_OK);
    civil_format(next, false, a);
    assert_string_equal(a, "2026-11-01 01:30");
    assert_int_equal(next, first + 15 * 60);
    assert_int_equal(sched_next_change(f.s, next, &next), SCHED_OK);
    assert_int_equal(next, T("2026-11-01 02:00"));
    teardown(&f);
}

static void shanghai_is_local_time(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    assert_int_equal(T("2026-11-27 08:00"), 1795737600);           /* 2026-11-27 00:00 UTC */
    use_tz("America/New_York");
    assert_int_equal(T("2026-11-27 08:00"), 1795737600 + 13 * 3600);
}

static void changes_around_a_moment(void **state)
{
    (void)state;
    use_tz("Asia/Shanghai");
    struct fixture f;
    build(&f, "[message am]\nheadline = x\ndays = mon-fri\nhours = 08:00-12:00\n"
              "[message pm]\nheadline = y\ndays = mon-fri\nhours = 12:00-18:00\n"
              "[message alert]\nheadline = z\nemergency = yes\nfrom = 2026-12-24 09:00\nuntil = 2026-12-24 10:00\n"
              "[message later]\nheadline = w\nfrom = 2027-03-01\n");
    time_t t;
    char buf[32];
    assert_int_equal(sched_prev_change(f.s, T("2026-11-27 09:00"), &t), SCHED_OK);
    civil_format(t, false, buf);
    assert_string_equal(buf, "2026-11-27 08:00");
    assert_int_equal(sched_prev_change(f.s, T("2026-11-27 08:00"), &t), SCHED_OK);
    assert_int_equal(t, T("2026-11-27 08:00"));                     /* a change at t counts */
    assert_int_equal(sched_next_change(f.s, T("2026-11-27 09:00"), &t), SCHED_OK);
    assert_int_equal(t, T("2026-11-27 12:00"));
    assert_int_equal(sched_next_change(f.s, T("2026-11-27 18:00"), &t), SCHED_OK);
    assert_int_equal(t, T("2026-11-30 08:00"));                     /* over the weekend */
    assert_int_equal(sched_prev_change(f.s, T("2026-12-24 09:30"), &t), SCHED_OK);
    assert_int_equal(t, T("2026-12-24 09:00"));
    assert_int_equal(sched_next_change(f.s, T("2026-12-24 09:30"), &t), SCHED_OK);
    assert_int_equal(t, T("2026-12-24 10:00"));
    /* A quiet period with nothing but a far from. */
    struct fixture g;
    build(&g, "[message later]\nheadline = w\nfrom = 2027-03-01\n[message never]\nheadline = v\nenabled = no\n");
    assert_int_equal(sched_next_change(g.s, T("2026-11-27 09:00"), &t), SCHED_OK);
    assert_int_equal(t, T("2027-03-01 00:00"));
    assert_int_equal(sched_next_change(g.s, T("2027-03-02 00:00"), &t), SCHED_ERR_NOT_FOUND);
    assert_int_equal(sched_prev_change(g.s, T("2026-11-27 09:00"), &t), SCHED_ERR_NOT_FOUND);
    assert_int_equal(sched_prev_change(g.s, T("2028-01-01 00:00"), &t), SCHED_OK);
    assert_int_equal(t, T("2027-03-01 00:00"));
    teardown(&g);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(midnight_crossing),
        cmocka_unit_test(weekday_ranges),
        cmocka_unit_test(from_until_edges),
        cmocka_unit_test(emergency_preempts),
        cmocka_unit_test(priority_and_ties_with_includes),
        cmocka_unit_test(repeats_spread),
        cmocka_unit_test(dst_new_york_spring),
        cmocka_unit_test(dst_new_york_autumn),
        cmocka_unit_test(shanghai_is_local_time),
        cmocka_unit_test(changes_around_a_moment),
    };
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
