/* Placeholders in message text, expanded for fixed days: {date},
 * {weekday}, {lunar} (the lunar date, on a solar term's day too), {countdown:YYYY-MM-DD}
 * (0 on the day, never below), the {{ }} escapes, and text in braces that
 * is no placeholder, kept as written. The expectations are calendar facts
 * (1 December 2026 is a Tuesday, 十月廿三; 22 December 2026 is 冬至), typed
 * here, not computed. Under LANG=C, the locale of a systemd service. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schedule/lunar.h"
#include "schedule/placeholder.h"

static struct lunar *L;         /* one per owner: the library leaks per object */

static void expect(const char *text, int y, int m, int d, const char *want)
{
    char *got;
    assert_int_equal(placeholder_expand(text, civil_day_from_date(y, m, d), L, &got), 0);
    if (strcmp(got, want))
        fail_msg("'%s' on %04d-%02d-%02d: want '%s', got '%s'", text, y, m, d, want, got);
    free(got);
}

static void names(void **state)
{
    (void)state;
    expect("今天是{date}", 2026, 12, 1, "今天是12月1日");
    expect("{weekday}", 2026, 12, 1, "星期二");
    expect("{weekday}", 2026, 12, 6, "星期日");
    expect("农历{lunar}", 2026, 12, 1, "农历十月廿三");
    expect("农历{lunar}", 2026, 12, 22, "农历冬月十四");  /* 冬至, but text gets the date */
    expect("{lunar}", 2026, 12, 23, "冬月十五");    /* 冬月 began on 9 December */
    expect("{lunar}", 2026, 2, 17, "正月初一");
    expect("{date} {weekday} {lunar}", 2026, 2, 16, "2月16日 星期一 腊月廿九");
    expect("{date}{date}", 2026, 1, 31, "1月31日1月31日");
    expect("", 2026, 12, 1, "");
    expect("没有占位符", 2026, 12, 1, "没有占位符");
}

static void countdown(void **state)
{
    (void)state;
    const char *t = "距医保缴费截止还有{countdown:2026-12-05}天";
    expect(t, 2026, 12, 1, "距医保缴费截止还有4天");
    expect(t, 2026, 12, 4, "距医保缴费截止还有1天");
    expect(t, 2026, 12, 5, "距医保缴费截止还有0天");    /* the day itself */
    expect(t, 2026, 12, 6, "距医保缴费截止还有0天");    /* expired: never negative */
    expect("{countdown:2027-01-01}", 2026, 12, 1, "31");  /* across a year */
    expect("{countdown:２０２６－１２－０５}", 2026, 12, 1, "4");  /* as an input method types it */
    civil_day end;
    assert_true(placeholder_countdown_end(t, &end));
    assert_int_equal(end, civil_day_from_date(2026, 12, 5));
    /* Two countdowns: the message ends with the earlier. */
    assert_true(placeholder_countdown_end("{countdown:2026-12-09} {countdown:2026-12-05}", &end));
    assert_int_equal(end, civil_day_from_date(2026, 12, 5));
    assert_false(placeholder_countdown_end("{date} {countdown:2026-13-05}", &end));
}

static void escapes_and_other_braces(void **state)
{
    (void)state;
    expect("{{date}}", 2026, 12, 1, "{date}");
    expect("{{{date}}}", 2026, 12, 1, "{12月1日}");
    expect("a {{ b }} c", 2026, 12, 1, "a { b } c");
    /* Only the four names expand; anything else in braces stays as written. */
    expect("{countdwn:2026-12-05}", 2026, 12, 1, "{countdwn:2026-12-05}");
    expect("{Date} {date }", 2026, 12, 1, "{Date} {date }");
    expect("{}", 2026, 12, 1, "{}");
    expect("{countdown:2026-12-32}", 2026, 12, 1, "{countdown:2026-12-32}");
    expect("{countdown:2026-12-05 10:00}", 2026, 12, 1, "{countdown:2026-12-05 10:00}");
    /* Unpaired braces are text. */
    expect("{date", 2026, 12, 1, "{date");
    expect("date}", 2026, 12, 1, "date}");
    expect("{a{date}", 2026, 12, 1, "{a12月1日");
    expect("}{date}{", 2026, 12, 1, "}12月1日{");
}

static void present_and_tokens(void **state)
{
    (void)state;
    assert_true(placeholder_present("截止{countdown:2026-12-05}"));
    assert_true(placeholder_present("{lunar}"));
    assert_false(placeholder_present("{{date}}"));
    assert_false(placeholder_present("{countdwn:2026-12-05} {x}"));
    assert_false(placeholder_present("plain"));
    size_t pos = 0;
    struct placeholder_token tok;
    const char *t = "a{{b}} {date} {countdown:2026-02-30} {x} {countdown:2026-12-05}";
    assert_true(placeholder_next(t, &pos, &tok));
    assert_int_equal(tok.kind, PLACEHOLDER_DATE);
    assert_int_equal(tok.at, 7);
    assert_int_equal(tok.len, 6);
    assert_true(placeholder_next(t, &pos, &tok));
    assert_int_equal(tok.kind, PLACEHOLDER_BAD_COUNTDOWN);
    assert_true(placeholder_next(t, &pos, &tok));
    assert_int_equal(tok.kind, PLACEHOLDER_OTHER);
    assert_true(placeholder_next(t, &pos, &tok));
    assert_int_equal(tok.kind, PLACEHOLDER_COUNTDOWN);
    assert_int_equal(tok.target, civil_day_from_date(2026, 12, 5));
    assert_false(placeholder_next(t, &pos, &tok));
}

/* Without the lunar library's object (or outside its years) {lunar} stays. */
static void lunar_unavailable(void **state)
{
    (void)state;
    char *got;
    assert_int_equal(placeholder_expand("{lunar} {date}", civil_day_from_date(2026, 12, 1), NULL, &got), 0);
    assert_string_equal(got, "{lunar} 12月1日");
    free(got);
}

int main(void)
{
    setenv("LANG", "C", 1);
    unsetenv("LC_ALL");
    setlocale(LC_ALL, "C");
    L = lunar_new();
    assert_non_null(L);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(countdown),
        cmocka_unit_test(escapes_and_other_braces),
        cmocka_unit_test(present_and_tokens),
        cmocka_unit_test(lunar_unavailable),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lunar_free(L);
    return rc;
}
