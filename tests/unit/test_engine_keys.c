/* The engine's config keys: defaults, values, and errors that name the line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "schedule/config.h"

static char said[1024];

static void capture(void *user, enum diag_level level, const char *file, int line,
                    const char *msg)
{
    (void)user;
    if (level < DIAG_ERROR)
        return;
    size_t n = strlen(said);
    snprintf(said + n, sizeof said - n, "%s:%d: %s\n", file, line, msg);
}

static struct config *parse(const char *text)
{
    struct config *cfg = NULL;
    struct diag d = { capture, NULL };
    struct config_options o = { 0 };
    said[0] = '\0';
    config_parse(&cfg, "t.ini", text, strlen(text), &o, &d);
    return cfg;
}

static void defaults(void **state)
{
    (void)state;
    struct config *cfg = parse("[display]\n[message a]\nheadline = 通知\n");
    assert_non_null(cfg);
    const struct config_display *d = config_display(cfg);
    assert_int_equal(d->fps, 60);
    assert_int_equal(d->gap, 32);
    assert_int_equal(d->hold_ms, 0);
    assert_string_equal(d->separator, "◆");
    assert_int_equal(d->rows, 0);
    assert_string_equal(d->label, "");
    assert_int_equal(d->clock, CONFIG_CLOCK_NONE);
    assert_int_equal(d->gamma_x100, 220);
    assert_string_equal(d->play_log, "");
    assert_int_equal(d->on_stop, CONFIG_ON_STOP_STANDBY);
    config_free(cfg);
}

static void values(void **state)
{
    (void)state;
    struct config *cfg = parse("[display]\nfps = 50\ngap = 48\nhold = 1.5\nseparator = ——\n"
                               "rows = 2\nlabel = 新闻\nlabel_color = red\nclock ＝ date\n"
                               "clock_color = #0F0\ngamma = 1.8\nplay_log = /var/log/ledticker/play.log\n"
                               "on_stop = notice\nstop_notice = 暂停服务\n"
                               "[message a]\nheadline = 通知\n");
    assert_non_null(cfg);
    const struct config_display *d = config_display(cfg);
    assert_int_equal(d->fps, 50);
    assert_int_equal(d->gap, 48);
    assert_int_equal(d->hold_ms, 1500);
    assert_string_equal(d->separator, "——");
    assert_int_equal(d->rows, 2);
    assert_string_equal(d->label, "新闻");
    assert_int_equal(d->label_color, 0xFF0000);
    assert_int_equal(d->clock, CONFIG_CLOCK_DATE);
    assert_int_equal(d->clock_color, 0x00FF00);
    assert_int_equal(d->gamma_x100, 180);
    assert_string_equal(d->play_log, "/var/log/ledticker/play.log");
    assert_int_equal(d->on_stop, CONFIG_ON_STOP_NOTICE);
    assert_string_equal(d->stop_notice, "暂停服务");
    config_free(cfg);
}

static void errors(void **state)
{
    (void)state;
    struct config *cfg = parse("[display]\nfps = 0\nrows = 3\ngamma = 9\nhold = soon\n"
                               "clock = analog\non_stop = explode\n[message a]\nheadline = x\n");
    assert_null(cfg);
    assert_non_null(strstr(said, "t.ini:2: fps 0 is out of range 1-240"));
    assert_non_null(strstr(said, "t.ini:3: rows '3' is not auto, 1 or 2"));
    assert_non_null(strstr(said, "t.ini:4: gamma 9 is out of range 1-3"));
    assert_non_null(strstr(said, "t.ini:5: hold 'soon' is not a number of seconds"));
    assert_non_null(strstr(said, "t.ini:6: clock 'analog' is not none, time, date, lunar or date_lunar"));
    assert_non_null(strstr(said, "t.ini:7: on_stop 'explode' is not standby or notice"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(values),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
