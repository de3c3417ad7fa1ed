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
    /* 2023's leap second month: 22 March to 19 April 2023. */
    expect_date(2023, 3, 21, "二月三十", 0);
    expect_date(2023, 3, 22, "闰二月初一", 1);
    expect_date(2023, 4, 19, "闰二月廿九", 1);
    expect_date(2023, 4, 20, "三月初一", -1);
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

/* The instants of 2026 and 2027 in Beijing time (UTC+8), from PyEphem
 * 4.1.4 (Debian's python3-ephem: VSOP87, the Sun's apparent longitude of
 * date), worked out once by hand, not by the code under test; they agree
 * to the minute with the almanac figures the press prints for 2026 (the
 * Purple Mountain Observatory's), and with the 春分 20 March,
 * 夏至 21 June, 秋分 23 September, 冬至 22 December. The day is
 * Beijing's, whatever TZ is (any_time_zone below). */
static const struct {
    int y, m, d;
    const char *term, *when;    /* when: only for the reader */
} published[] = {
    /* 2026 */
    { 2026, 1, 5, "小寒", "16:22:55" }, { 2026, 1, 20, "大寒", "09:44:42" }, { 2026, 2, 4, "立春", "04:01:54" },
    { 2026, 2, 18, "雨水", "23:51:43" }, { 2026, 3, 5, "惊蛰", "21:58:49" }, { 2026, 3, 20, "春分", "22:45:50" },
    { 2026, 4, 5, "清明", "02:39:53" }, { 2026, 4, 20, "谷雨", "09:39:04" }, { 2026, 5, 5, "立夏", "19:48:42" },
    { 2026, 5, 21, "小满", "08:36:45" }, { 2026, 6, 5, "芒种", "23:48:23" }, { 2026, 6, 21, "夏至", "16:24:31" },
    { 2026, 7, 7, "小暑", "09:57:00" }, { 2026, 7, 23, "大暑", "03:13:07" }, { 2026, 8, 7, "立秋", "19:42:45" },
    { 2026, 8, 23, "处暑", "10:18:48" }, { 2026, 9, 7, "白露", "22:41:14" }, { 2026, 9, 23, "秋分", "08:05:09" },
    { 2026, 10, 8, "寒露", "14:29:11" }, { 2026, 10, 23, "霜降", "17:37:47" }, { 2026, 11, 7, "立冬", "17:51:52" },
    { 2026, 11, 22, "小雪", "15:23:08" }, { 2026, 12, 7, "大雪", "10:52:18" }, { 2026, 12, 22, "冬至", "04:50:00" },
    /* 2027 */
    { 2027, 1, 5, "小寒", "22:09:41" }, { 2027, 1, 20, "大寒", "15:29:35" }, { 2027, 2, 4, "立春", "09:46:02" },
    { 2027, 2, 19, "雨水", "05:33:17" }, { 2027, 3, 6, "惊蛰", "03:39:21" }, { 2027, 3, 21, "春分", "04:24:34" },
    { 2027, 4, 5, "清明", "08:17:23" }, { 2027, 4, 20, "谷雨", "15:17:34" }, { 2027, 5, 6, "立夏", "01:25:09" },
    { 2027, 5, 21, "小满", "14:18:14" }, { 2027, 6, 6, "芒种", "05:25:48" }, { 2027, 6, 21, "夏至", "22:10:50" },
    { 2027, 7, 7, "小暑", "15:37:05" }, { 2027, 7, 23, "大暑", "09:04:41" }, { 2027, 8, 8, "立秋", "01:26:45" },
    { 2027, 8, 23, "处暑", "16:14:17" }, { 2027, 9, 8, "白露", "04:28:21" }, { 2027, 9, 23, "秋分", "14:01:36" },
    { 2027, 10, 8, "寒露", "20:16:56" }, { 2027, 10, 23, "霜降", "23:32:42" }, { 2027, 11, 7, "立冬", "23:38:22" },
    { 2027, 11, 22, "小雪", "21:16:00" }, { 2027, 12, 7, "大雪", "16:37:25" }, { 2027, 12, 22, "冬至", "10:41:53" },
};

static void solar_terms(void **state)
{
    (void)state;
    /* Every term of 2026 and 2027 on its day, and on no day either side. */
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        civil_day day = civil_day_from_date(published[i].y, published[i].m, published[i].d);
        struct lunar_day ld;
        for (int k = -1; k <= 1; k++) {
            assert_int_equal(lunar_of(L, day + k, &ld), 0);
            const char *want = k ? "" : published[i].term;
            if (strcmp(ld.term, want))
                fail_msg("%04d-%02d-%02d%+d (%s at %s): want term '%s', got '%s'", published[i].y,
                         published[i].m, published[i].d, k, published[i].term, published[i].when,
                         want, ld.term);
        }
        assert_int_equal(ld.term_index, -1);
        assert_int_equal(lunar_of(L, day, &ld), 0);
        assert_string_equal(lunar_term_name(ld.term_index), published[i].term);
    }
    /* Nearest midnight in Beijing in these two years: 雨水 2026 at 23:52
     * on 18 February (8 minutes before), then 芒种 2026 at 23:48 on
     * 5 June, which liblunar-date itself puts on 6 June (its mean-year
     * formula; lunar.h), and 立冬 2027 at 23:38 on 7 November. */
    expect_term(2026, 2, 18, "雨水");
    expect_term(2026, 6, 5, "芒种");
    expect_term(2026, 6, 6, "");
    expect_term(2027, 11, 7, "立冬");
    /* Outside 2026-2027, two the library misplaces that the almanacs
     * settled long ago: 冬至 2013 at 01:11 on 22 December, 立春 2013 at
     * 00:13 on 4 February. */
    expect_term(2013, 12, 22, "冬至");
    expect_term(2013, 12, 21, "");
    expect_term(2013, 2, 4, "立春");
    expect_term(2013, 2, 3, "");
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

static void term_names(void **state)
{
    (void)state;
    assert_string_equal(lunar_term_name(0), "小寒");
    assert_string_equal(lunar_term_name(23), "冬至");
    assert_null(lunar_term_name(24));
    assert_int_equal(lunar_term_index("冬至"), 23);
    assert_int_equal(lunar_term_index("清明"), 6);
    assert_int_equal(lunar_term_index("冬"), -1);
}

/* Month lengths: 腊月 of lunar 2025 has 29 days (除夕 is 廿九, 16 February
 * 2026); 2025 has a leap sixth month, 2026 none. */
static void month_lengths(void **state)
{
    (void)state;
    assert_int_equal(lunar_month_length(L, 2025, 12, false), 29);
    assert_int_equal(lunar_month_length(L, 2025, 6, true), 29);
    assert_int_equal(lunar_month_length(L, 2025, 6, false), 30);
    assert_int_equal(lunar_month_length(L, 2026, 6, true), 0);
    assert_int_equal(lunar_month_length(L, 2023, 2, true), 29);
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
        cmocka_unit_test(term_names),
        cmocka_unit_test(month_lengths),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lunar_free(L);
    return rc;
}
