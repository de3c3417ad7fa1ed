/* The `lunar` key of [message]: what it accepts and refuses, which days
 * it plays on, and that the scheduler finds its changes. The days are
 * known lunar dates, not computed by the code under test: the issue's
 * 2026 days (15 Feb 腊月廿八, 16 Feb 除夕 of a 29-day 腊月, 17 Feb 正月初一,
 * 3 Mar 正月十五, 19 Jun 五月初五, 25 Sep 八月十五, 1 Dec 十月廿三, 10 Feb
 * 腊月廿三), 2023's leap second month (22 March - 19 April 2023), and the
 * solar terms of test_lunar.c. Run under LANG=C, a service's locale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diagcap.h"
#include "schedfix.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/sched.h"

struct fixture {
    struct config *cfg;
    struct sched *s;
};

static void teardown(struct fixture *f)
{
    sched_free(f->s);
    config_free(f->cfg);
}

#define T schedfix_time

/* Whether message `id` plays at noon of each date, as a string of 0/1. */
static void expect_days(const char *lunar, const char *extra, const char *const *dates, const char *want)
{
    char text[512];
    snprintf(text, sizeof text, "[message m]\nheadline = x\nlunar = %s\n%s", lunar, extra);
    struct fixture f;
    schedfix_build(&f.cfg, &f.s, text);
    const struct config_message *m = config_message_find(f.cfg, "m");
    char got[64] = "";
    for (size_t i = 0; dates[i]; i++) {
        char at[32];
        snprintf(at, sizeof at, "%s 12:00", dates[i]);
        strcat(got, sched_message_active(f.s, m, T(at)) ? "1" : "0");
    }
    if (strcmp(got, want)) {
        fprintf(stderr, "lunar = %s\n", lunar);
        for (size_t i = 0; dates[i]; i++)
            fprintf(stderr, "  %s: want %c got %c\n", dates[i], want[i], got[i]);
        fail();
    }
    teardown(&f);
}

static const char *const spring[] = { "2026-02-09", "2026-02-10", "2026-02-15", "2026-02-16", "2026-02-17",
                                      "2026-03-03", "2026-03-04", NULL };

static void dates_and_ranges(void **state)
{
    (void)state;
    /*                                  02-09 02-10 02-15 02-16 02-17 03-03 03-04 */
    expect_days("腊月廿三-正月十五", "", spring, "0111110");
    expect_days("腊月廿三－正月十五", "", spring, "0111110");     /* full-width dash */
    expect_days("腊月廿三～正月十五", "", spring, "0111110");
    expect_days("腊月廿三..正月十五", "", spring, "0111110");
    expect_days("12-23..01-15", "", spring, "0111110");
    expect_days("12-23-01-15", "", spring, "0111110");
    expect_days("十二月廿三-一月十五", "", spring, "0111110");
    expect_days("除夕", "", spring, "0001000");                  /* 29-day 腊月: 廿九 */
    expect_days("腊月廿九", "", spring, "0001000");
    expect_days("腊月三十", "", spring, "0000000");              /* not in lunar 2025 */
    expect_days("春节", "", spring, "0000100");
    expect_days("元宵节", "", spring, "0000010");
    expect_days("除夕-元宵", "", spring, "0001110");             /* 除夕 starts a range */
    expect_days("腊月廿八-除夕", "", spring, "0011000");         /* ...or ends one */
    expect_days("腊月廿八", "", spring, "0010000");
    expect_days("除夕, 春节", "", spring, "0001100");             /* a list is a union */
    expect_days("除夕、01-15", "", spring, "0001010");

    static const char *const year[] = { "2026-06-19", "2026-09-25", "2026-12-01", "2026-08-19", "2027-01-15",
                                        NULL };
    /*                                  06-19 09-25 12-01 08-19 01-15(腊八) */
    expect_days("端午", "", year, "10000");
    expect_days("五月初五", "", year, "10000");
    expect_days("05-05", "", year, "10000");
    expect_days("中秋", "", year, "01000");
    expect_days("08-15", "", year, "01000");
    expect_days("十月廿三", "", year, "00100");
    expect_days("七夕", "", year, "00010");
    expect_days("腊八", "", year, "00001");
    expect_days("冬月初一-腊月十五", "", year, "00001");
}

/* A plain month never matches its leap month, which can be named. */
static void leap_months(void **state)
{
    (void)state;
    static const char *const days[] = { "2023-03-13", "2023-03-21", "2023-03-22", "2023-04-02",
                                        "2023-04-19", "2023-04-20", NULL };
    /*                                  二月廿二 二月三十 闰二月初一 闰二月十二 闰二月廿九 三月初一 */
    expect_days("二月廿二", "", days, "100000");
    expect_days("闰二月十二", "", days, "000100");
    expect_days("二月十二", "", days, "000000");
    expect_days("闰02-12", "", days, "000100");
}

static void solar_terms(void **state)
{
    (void)state;
    static const char *const days[] = { "2026-12-21", "2026-12-22", "2026-12-23", "2026-06-05", "2026-06-06",
                                        "2027-12-22", NULL };
    expect_days("冬至", "", days, "010001");
    expect_days("芒种", "", days, "000100");   /* 23:48 on 5 June, Beijing */
    expect_days("冬至, 芒种", "", days, "010101");
}

/* `lunar` ANDs with days, hours and from/until, as they do among themselves. */
static void combines_by_and(void **state)
{
    (void)state;
    /* 腊月廿三 - 正月十五 2026 is 10 Feb - 3 Mar; 14 Feb is a Saturday. */
    static const char *const days[] = { "2026-02-13", "2026-02-14", "2026-02-16", "2026-02-21", "2026-03-07",
                                        NULL };
    expect_days("腊月廿三-正月十五", "days = sat\n", days, "01010");
    expect_days("腊月廿三-正月十五", "days = sat\nuntil = 2026-02-20\n", days, "01000");
    expect_days("腊月廿三-正月十五", "hours = 13:00-14:00\n", days, "00000");

    struct fixture f;
    schedfix_build(&f.cfg, &f.s, "[message m]\nheadline = x\nlunar = 除夕\nhours = 20:00-02:00\n");
    const struct config_message *m = config_message_find(f.cfg, "m");
    /* A window crossing midnight belongs to the day it starts on. */
    assert_true(sched_message_active(f.s, m, T("2026-02-16 21:00")));
    assert_true(sched_message_active(f.s, m, T("2026-02-17 01:00")));
    assert_false(sched_message_active(f.s, m, T("2026-02-17 21:00")));
    assert_false(sched_message_active(f.s, m, T("2026-02-16 01:00")));
    teardown(&f);
}

/* The next and previous change land on lunar day boundaries, found
 * however far apart they lie: a brute-force walk by the hour agrees. */
static void changes(void **state)
{
    (void)state;
    struct fixture f;
    schedfix_build(&f.cfg, &f.s, "[message a]\nheadline = x\nlunar = 中秋\n"
              "[message b]\nheadline = y\nlunar = 闰二月初一\n"
              "[message c]\nheadline = z\nlunar = 腊月廿三-正月十五\ndays = mon-fri\nhours = 09:00-17:00\n");
    time_t next;
    assert_int_equal(sched_next_change(f.s, T("2026-03-10 12:00"), &next), SCHED_OK);
    assert_int_equal(next, T("2026-09-25 00:00"));
    assert_int_equal(sched_next_change(f.s, next, &next), SCHED_OK);
    assert_int_equal(next, T("2026-09-26 00:00"));
    assert_int_equal(sched_prev_change(f.s, T("2026-09-10 12:00"), &next), SCHED_OK);
    assert_int_equal(next, T("2026-03-03 17:00"));            /* 正月十五, a Tuesday */
    teardown(&f);
    /* A leap month comes back after years: 闰六月 2025 began on 25 July
     * 2025; the one before was 2017's. */
    schedfix_build(&f.cfg, &f.s, "[message b]\nheadline = y\nlunar = 闰六月初一\n");
    assert_int_equal(sched_next_change(f.s, T("2024-01-01 00:00"), &next), SCHED_OK);
    assert_int_equal(next, T("2025-07-25 00:00"));
    assert_int_equal(sched_next_change(f.s, next, &next), SCHED_OK);
    assert_int_equal(next, T("2025-07-26 00:00"));
    assert_int_equal(sched_prev_change(f.s, T("2026-12-01 00:00"), &next), SCHED_OK);
    assert_int_equal(next, T("2025-07-26 00:00"));
    teardown(&f);
    schedfix_build(&f.cfg, &f.s, "[message a]\nheadline = x\nlunar = 中秋\n"
              "[message c]\nheadline = z\nlunar = 腊月廿三-正月十五\ndays = mon-fri\nhours = 09:00-17:00\n");
    /* Brute force over a year: every hour's playlist against the changes. */
    struct sched_playlist a = { 0 }, b = { 0 };
    time_t t = T("2026-01-01 00:00"), end = T("2027-03-01 00:00");
    assert_int_equal(sched_next_change(f.s, t, &next), SCHED_OK);
    for (time_t h = t + 3600; h < end; h += 3600) {
        assert_int_equal(sched_playlist_at(f.s, h - 3600, &a), SCHED_OK);
        assert_int_equal(sched_playlist_at(f.s, h, &b), SCHED_OK);
        if (sched_playlist_equal(&a, &b))
            continue;
        /* Every window edge here is on the hour: the change is at h. */
        if (next != h) {
            char want[32], got[32];
            civil_format(h, false, want);
            civil_format(next, false, got);
            fail_msg("a change at %s, but sched_next_change said %s", want, got);
        }
        time_t prev;
        assert_int_equal(sched_prev_change(f.s, h + 1800, &prev), SCHED_OK);
        assert_int_equal(prev, h);
        assert_int_equal(sched_next_change(f.s, h, &next), SCHED_OK);
    }
    sched_playlist_release(&a);
    sched_playlist_release(&b);
    teardown(&f);
}

static void expect_error(const char *value, int line, const char *needle)
{
    char text[512];
    snprintf(text, sizeof text, "[message m]\nheadline = x\nlunar = %s\n", value);
    struct diagcap cap;
    diagcap_init(&cap);
    struct config *cfg;
    assert_int_equal(config_parse(&cfg, "t.ini", text, strlen(text), NULL, &cap.diag), CONFIG_ERR_INVALID);
    const struct diagcap_msg *msg = diagcap_find(&cap, DIAG_ERROR, needle);
    if (!msg || msg->line != line || strcmp(msg->file, "t.ini")) {
        for (size_t i = 0; i < cap.count; i++)
            fprintf(stderr, "  %s:%d: %s\n", cap.msgs[i].file, cap.msgs[i].line, cap.msgs[i].text);
        fail_msg("lunar = %s: want an error at t.ini:%d containing '%s'", value, line, needle);
    }
}

static void refused(void **state)
{
    (void)state;
    expect_error("八月十六日", 3, "is not a lunar date");
    expect_error("十三月初一", 3, "is not a lunar date");
    expect_error("13-01", 3, "is not a lunar date");
    expect_error("08-31", 3, "is not a lunar date");
    expect_error("八月三十一", 3, "is not a lunar date");
    expect_error("中秋,,除夕", 3, "empty item");
    expect_error("冬至-小寒", 3, "a solar term cannot start or end a range");
    expect_error("腊月廿三-正月十五-二月初二", 3, "is not a lunar date");
    /* Did you mean: a homophone, a traditional character, English case. */
    expect_error("端五", 3, "did you mean '端午'");
    expect_error("臘八", 3, "did you mean '腊八'");
    expect_error("清眀", 3, "did you mean '清明'");
    expect_error("东至", 3, "is not a lunar date, range");     /* 冬至 or 夏至: no guess */
    expect_error("中秋节日", 3, "is not");
    expect_error("腊月廿三-元霄", 3, "did you mean '元宵'");
    char many[512] = "";
    for (int i = 0; i < 17; i++)
        strcat(many, i ? ", 中秋" : "中秋");
    expect_error(many, 3, "too many items");
}

static void check_warns_about_thirtieth(void **state)
{
    (void)state;
    struct fixture f;
    schedfix_build(&f.cfg, &f.s, "[message a]\nheadline = x\nlunar = 腊月三十\n"
              "[message b]\nheadline = y\nlunar = 除夕\n"
              "[message c]\nheadline = z\nlunar = 正月初一-正月三十\n"
              "[message d]\nheadline = w\nlunar = 闰六月初一\n");
    struct diagcap cap;
    diagcap_init(&cap);
    assert_int_equal(sched_warn_lunar(f.s, T("2026-12-01 10:00"), &cap.diag), SCHED_OK);
    /* Known: 腊月 has 29 days in the lunar years 2024 to 2028 (no 年三十
     * from 2025 to 2029), and 2029's has 30 (除夕 2030-02-02 is 三十). */
    const struct diagcap_msg *w = diagcap_find(&cap, DIAG_WARN, "message 'a'");
    assert_non_null(w);
    assert_int_equal(w->line, 3);
    assert_non_null(strstr(w->text, "2026, 2027, 2028"));
    assert_null(strstr(w->text, "2029"));
    assert_non_null(strstr(w->text, "除夕"));
    assert_null(diagcap_find(&cap, DIAG_WARN, "message 'b'"));
    assert_null(diagcap_find(&cap, DIAG_WARN, "message 'c'"));    /* ending on 三十 loses no day */
    w = diagcap_find(&cap, DIAG_WARN, "message 'd'");
    assert_non_null(w);
    assert_int_equal(w->line, 12);
    assert_non_null(strstr(w->text, "闰六月"));
    teardown(&f);
}

int main(void)
{
    setenv("LANG", "C", 1);
    unsetenv("LANGUAGE");
    unsetenv("LC_ALL");
    setlocale(LC_ALL, "");
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_and_ranges),
        cmocka_unit_test(leap_months),
        cmocka_unit_test(solar_terms),
        cmocka_unit_test(combines_by_and),
        cmocka_unit_test(changes),
        cmocka_unit_test(refused),
        cmocka_unit_test(check_warns_about_thirtieth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
