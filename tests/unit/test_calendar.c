/* The statutory calendar module: the rules for a day, layering a config's
 * own year over the shipped one, and the errors of a [calendar YEAR]
 * section. (The shipped 2026 data, date by date: tests/e2e/holidays.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "schedule/calendar.h"
#include "util/ini.h"

struct capture {
    int errors;
    char last[512];
};

static void keep(void *user, enum diag_level level, const char *file, int line, const char *msg)
{
    struct capture *c = user;
    if (level == DIAG_ERROR)
        c->errors++;
    snprintf(c->last, sizeof c->last, "%s:%d: %s", file ? file : "-", line, msg);
}

/* Reads every section of `text` into cal; returns the errors. */
static int read_text(struct calendar *cal, const char *text, struct capture *cap)
{
    struct diag d = { keep, cap };
    struct ini_doc *doc;
    assert_int_equal(ini_parse(&doc, "t.ini", text, strlen(text), 0, &d), INI_OK);
    int errors = 0;
    for (size_t i = 0; i < ini_section_count(doc); i++)
        errors += calendar_read_section(cal, ini_section_at(doc, i), &d);
    ini_free(doc);
    return errors;
}

static civil_day day(int y, int m, int d)
{
    return civil_day_from_date(y, m, d);
}

static void rules_of_a_day(void **state)
{
    (void)state;
    struct calendar *cal = calendar_new(NULL);
    struct capture cap = { 0 };
    assert_int_equal(read_text(cal, "[calendar 2026]\nholiday = 2026-05-01..2026-05-05 劳动节\n"
                                    "workday = 2026-05-09\n", &cap), 0);
    assert_int_equal(calendar_day(cal, day(2026, 4, 30)), CALENDAR_WORKDAY);   /* Thursday */
    assert_int_equal(calendar_day(cal, day(2026, 5, 1)), CALENDAR_HOLIDAY);    /* Friday, off */
    assert_int_equal(calendar_day(cal, day(2026, 5, 2)), CALENDAR_HOLIDAY);    /* Saturday inside */
    assert_int_equal(calendar_day(cal, day(2026, 5, 9)), CALENDAR_WORKDAY);    /* Saturday, worked */
    assert_int_equal(calendar_day(cal, day(2026, 5, 10)), 0);                  /* Sunday */
    assert_true(calendar_has_year(cal, 2026));
    assert_false(calendar_has_year(cal, 2027));
    /* No data: Monday to Friday, no holidays. */
    assert_int_equal(calendar_day(cal, day(2027, 5, 3)), CALENDAR_WORKDAY);    /* Monday */
    assert_int_equal(calendar_day(cal, day(2027, 5, 1)), 0);                   /* Saturday */
    assert_int_equal(calendar_day(NULL, day(2026, 5, 1)), CALENDAR_WORKDAY);
    calendar_free(cal);
}

static void own_year_replaces_the_base(void **state)
{
    (void)state;
    struct calendar *shipped = calendar_new(NULL);
    struct capture cap = { 0 };
    assert_int_equal(read_text(shipped, "[calendar 2026]\nholiday = 2026-10-01..2026-10-07 国庆节\n"
                                        "workday = 2026-10-10\n[calendar 2027]\n", &cap), 0);
    struct calendar *own = calendar_new(shipped);
    assert_int_equal(read_text(own, "[calendar 2026]\nholiday = 2026-10-02 x\n", &cap), 0);
    assert_int_equal(calendar_day(own, day(2026, 10, 1)), CALENDAR_WORKDAY);   /* the shipped range is gone */
    assert_int_equal(calendar_day(own, day(2026, 10, 2)), CALENDAR_HOLIDAY);
    assert_int_equal(calendar_day(own, day(2026, 10, 10)), 0);                 /* and its swap */
    assert_true(calendar_has_year(own, 2027));                                 /* other years stay */
    assert_int_equal(calendar_day(shipped, day(2026, 10, 1)), CALENDAR_HOLIDAY);
    calendar_free(own);
    calendar_free(shipped);
}

static void errors_name_their_line(void **state)
{
    (void)state;
    struct calendar *cal = calendar_new(NULL);
    struct capture cap = { 0 };
    assert_int_equal(read_text(cal, "[calendar 2028]\nholiday = 2028-12-31..2029-01-01 x\n", &cap), 1);
    assert_string_equal(cap.last, "t.ini:2: holiday 2029-01-01 is outside [calendar 2028]");
    assert_false(calendar_has_year(cal, 2028));                 /* a year with errors is not kept */
    assert_int_equal(read_text(cal, "[calendar 2028]\nholiday = 2028-02-29 闰日\n"
                                    "holiday = 2028-02-28..2028-03-01 y\n", &cap), 1);
    assert_string_equal(cap.last, "t.ini:3: holiday '2028-02-28..2028-03-01 y' overlaps the holiday at line 2");
    assert_int_equal(read_text(cal, "[calendar 2028]\nworkday = 2028-03-05\nholiday = 2028-03-05 z\n", &cap), 1);
    assert_string_equal(cap.last, "t.ini:2: workday '2028-03-05' is also a holiday (line 3)");
    assert_int_equal(read_text(cal, "[calendar 2028]\nholiday = 2028-03-05..2028-03-01 z\n", &cap), 1);
    assert_string_equal(cap.last, "t.ini:2: holiday '2028-03-05..2028-03-01 z': the range ends before it starts");
    assert_int_equal(read_text(cal, "[calendar]\n", &cap), 1);
    assert_int_equal(read_text(cal, "[calendar 2028]\n[calendar 2028]\n", &cap), 1);
    assert_string_equal(cap.last, "t.ini:2: [calendar 2028] appears twice");
    /* Full-width digits and ～, as a Chinese input method types them. */
    assert_int_equal(read_text(cal, "[calendar 2029]\nholiday = ２０２９-０１-０１～２０２９-０１-０２ 元旦\n", &cap), 0);
    assert_int_equal(calendar_day(cal, day(2029, 1, 2)), CALENDAR_HOLIDAY);
    calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_of_a_day),
        cmocka_unit_test(own_year_replaces_the_base),
        cmocka_unit_test(errors_name_their_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
