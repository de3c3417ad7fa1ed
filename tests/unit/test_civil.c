/* civil: the one parser for the dates and times people type, and the one
 * rule that turns a local wall-clock time into an instant (civil.h), checked
 * against instants written out by hand for New York's 2026 clock changes
 * (EST = UTC-5, EDT = UTC-4; forward on 8 March at 02:00, back on
 * 1 November at 02:00). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "schedule/civil.h"

static void new_york(void)
{
    setenv("TZ", "America/New_York", 1);
    tzset();
}

static time_t at(const char *text)
{
    time_t t = 0;
    assert_int_equal(civil_parse_instant(text, &t), 0);
    return t;
}

static void ordinary_times(void **state)
{
    (void)state;
    new_york();
    assert_int_equal(at("2026-06-10 09:30"), 1781098200);          /* 13:30 UTC */
    assert_int_equal(at("2026-06-10 09:30:15"), 1781098215);
    assert_int_equal(at("2026-06-10"), 1781064000);                /* midnight, 04:00 UTC */
    assert_int_equal(at("  2026-6-10   9:30  "), 1781098200);
    char buf[32];
    civil_format(1781098215, true, buf);
    assert_string_equal(buf, "2026-06-10 09:30:15");
    civil_format(1781098215, false, buf);
    assert_string_equal(buf, "2026-06-10 09:30");
}

/* Skipped times roll forward to the jump (07:00 UTC), seconds and all;
 * repeated times are their first occurrence (EDT). */
static void clock_changes(void **state)
{
    (void)state;
    new_york();
    assert_int_equal(at("2026-03-08 01:59"), 1772953140);          /* 06:59 UTC, EST */
    assert_int_equal(at("2026-03-08 02:00"), 1772953200);
    assert_int_equal(at("2026-03-08 02:30"), 1772953200);
    assert_int_equal(at("2026-03-08 02:30:45"), 1772953200);
    assert_int_equal(at("2026-03-08 03:00"), 1772953200);
    assert_int_equal(at("2026-03-08 03:30"), 1772955000);
    assert_int_equal(at("2026-11-01 01:30"), 1793511000);          /* 05:30 UTC, EDT */
    assert_int_equal(at("2026-11-01 01:30:20"), 1793511020);
    assert_int_equal(at("2026-11-01 02:00"), 1793516400);          /* 07:00 UTC, EST */
}

/* What Chinese input methods type reads as ASCII. */
static void full_width(void **state)
{
    (void)state;
    new_york();
    assert_int_equal(at("２０２６－０６－１０　０９：３０"), 1781098200);
    assert_int_equal(at("２０２６－０６－１０ ０９：３０：１５"), 1781098215);
    assert_int_equal(at("2026－06－10"), 1781064000);
    struct civil_when w;
    assert_int_equal(civil_parse("2026-06-10 09:30", &w), 0);
    assert_int_equal(w.precision, CIVIL_MINUTE);
    assert_int_equal(w.minute, 570);
    assert_int_equal(civil_parse("2026-06-10", &w), 0);
    assert_int_equal(w.precision, CIVIL_DATE);
    assert_int_equal(civil_parse("2026-06-10 09:30:01", &w), 0);
    assert_int_equal(w.precision, CIVIL_SECOND);
    assert_int_equal(w.second, 1);
}

static void refused(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "tomorrow", "2026-02-31 10:00", "2026-01-01 10:00 junk", "2026-01-01 24:00",
        "2026-01-01 10:60", "2026-01-01 10:00:60", "2026-01-01 10:0", "2026-01-0110:00",
        "1969-12-31", "26-01-01", "2026/01/01", "2026-13-01", "2026-01-01 10", "2026-01-01 -1:00",
        "２０２６－０１－０１ １０：００x", "2026-01-01\xEF\xBC", "2026-01-01 10:00:",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct civil_when w;
        if (civil_parse(bad[i], &w) == 0)
            fail_msg("'%s' was read as a time", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_times),
        cmocka_unit_test(clock_changes),
        cmocka_unit_test(full_width),
        cmocka_unit_test(refused),
    };
    return cmocka_run_group_tests_name("civil", tests, NULL, NULL);
}
