/* Lunar dates and solar terms through liblunar-date, mapped to Chinese by
 * our own tables, under LANG=C (the locale of a systemd service). The
 * expectations are published facts, not computed: the State Council's
 * 2026 holiday notice, the known days, and solar-term dates in
 * Beijing time as the almanacs publish them. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "schedule/lunar.h"

static struct lunar *L;         /* one per owner: the library leaks per object */

/* short_month: 1 = a 29-day month, 0 = 30 days, -1 = not checked. */
static void expect_date(int y, int m, int d, const char *want, int short_month)
{
    struct lunar_day ld;
    char got[32];
    assert_int_equal(lunar_of(L, civil_day_from_date(y, m, d), &ld), 0);
    lunar_format(&ld, got, sizeof got);
    if (strcmp(got, want))
        fail_msg("%04d-%02d-%02d: want %s, got %s", y, m, d, want, got);
    if (short_month >= 0 && ld.month_is_short != (short_month == 1))
        fail_msg("%04d-%02d-%02d: the month is %s days, want %s", y, m, d,
                 ld.month_is_short ? "29" : "30", short_month ? "29" : "30");
}

static void known_days(void **state)
{
    (void)state;
    expect_date(2026, 2, 15, "腊月廿八", 1);    /* the notice itself says so */
    expect_date(2026, 2, 16, "腊月廿九", 1);    /* 除夕: 腊月 2025 has 29 days */
    expect_date(2026, 2, 17, "正月初一", -1);
    expect_date(2026, 6, 19, "五月初五", -1);
    expect_date(2026, 9, 25, "八月十五", -1);
    expect_date(2026, 12, 1, "十月廿三", -1);
    /* 2025's leap sixth month began on 25 July 2025. */
    expect_date(2025, 7, 24, "六月三十", 0);
    expect_date(2025, 7, 25, "闰六月初一", 1);
    expect_date(2025, 8, 23, "七月初一", -1);
    struct lunar_day ld;
    assert_int_equal(lunar_of(L, civil_day_from_date(2025, 7, 25), &ld), 0);
    assert_true(ld.leap);
    assert_int_equal(ld.month, 6);
    assert_int_equal(ld.year, 2025);
    assert_int_equal(lunar_of(L, civil_day_from_date(2026, 2, 16), &ld), 0);
    assert_int_equal(ld.year, 2025);            /* still the old lunar year */
}

static void expect_term(int y, int m, int d, const char *want)
{
    struct lunar_day ld;
    assert_int_equal(lunar_of(L, civil_day_from_date(y, m, d), &ld), 0);
    if (strcmp(ld.term, want))
        fail_msg("%04d-%02d-%02d: want term '%s', got '%s'", y, m, d, want, ld.term);
}

static void solar_terms(void **state)
{
    (void)state;
    /* 2026, Beijing time (the dates). */
    expect_term(2026, 3, 20, "春分");
    expect_term(2026, 6, 21, "夏至");
    expect_term(2026, 9, 23, "秋分");
    expect_term(2026, 12, 22, "冬至");
    expect_term(2026, 12, 21, "");
    expect_term(2026, 12, 23, "");
    /* The two the library spells oddly (see lunar.c). */
    expect_term(2026, 10, 23, "霜降");
    expect_term(2026, 6, 6, "芒种");
    expect_term(2027, 10, 23, "霜降");
    /* Near midnight in Beijing: 芒种 2026 falls shortly after midnight
     * on 6 June Beijing time (still 5 June in UTC and west of it), and
     * 雨水 2026 late on 18 February. The day is Beijing's. */
    expect_term(2026, 6, 5, "");
    expect_term(2026, 2, 18, "雨水");
    expect_term(2026, 2, 19, "");
    /* 2027. */
    expect_term(2027, 1, 5, "小寒");
    expect_term(2027, 3, 21, "春分");
    expect_term(2027, 6, 21, "夏至");
    expect_term(2027, 9, 23, "秋分");
    expect_term(2027, 12, 22, "冬至");
    expect_term(2027, 11, 7, "立冬");
}

/* Days are asked by date: TZ changes nothing. */
static void any_time_zone(void **state)
{
    (void)state;
    setenv("TZ", "America/Los_Angeles", 1);
    tzset();
    expect_term(2026, 12, 22, "冬至");
    expect_date(2026, 12, 1, "十月廿三", -1);
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
}

static void names(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(lunar_month_name(1, false, buf), "正月");
    assert_string_equal(lunar_month_name(11, false, buf), "冬月");
    assert_string_equal(lunar_month_name(12, false, buf), "腊月");
    assert_string_equal(lunar_month_name(5, true, buf), "闰五月");
    assert_string_equal(lunar_day_name(10), "初十");
    assert_string_equal(lunar_day_name(20), "二十");
    assert_string_equal(lunar_day_name(21), "廿一");
    assert_string_equal(lunar_day_name(30), "三十");
}

int main(void)
{
    /* The locale of a systemd service: the library's names come out in
     * pinyin and English; ours must not depend on them. */
    setenv("LANG", "C", 1);
    unsetenv("LANGUAGE");
    unsetenv("LC_ALL");
    setlocale(LC_ALL, "");
    L = lunar_new();
    if (!L)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_days),
        cmocka_unit_test(solar_terms),
        cmocka_unit_test(any_time_zone),
        cmocka_unit_test(names),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lunar_free(L);
    return rc;
}
