/* The config reader and message placeholders (docs/config.md,
 * "Placeholders"): a countdown ends its message at the end of its day (the
 * earlier of it and `until`); a countdown without a real date is an error
 * on its line; a misspelt placeholder is a warning with a suggestion on its
 * line, and the config still loads; other text in braces, as configs had it
 * before placeholders, loads without a word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diagcap.h"
#include "schedule/config.h"

static int load(struct diagcap *cap, const char *text, time_t now, struct config **cfg)
{
    diagcap_init(cap);
    struct config_options o = { .now = now };
    return config_parse(cfg, "t.ini", text, strlen(text), &o, &cap->diag);
}

static const struct diagcap_msg *expect(const struct diagcap *cap, enum diag_level level, int line,
                                        const char *needle)
{
    const struct diagcap_msg *m = diagcap_find(cap, level, needle);
    if (!m) {
        for (size_t i = 0; i < cap->count; i++)
            fprintf(stderr, "  got %d: %s\n", cap->msgs[i].line, cap->msgs[i].text);
        fail_msg("no message containing '%s'", needle);
    }
    assert_int_equal(m->line, line);
    return m;
}

static void expect_until(const struct config_message *m, int y, int mo, int d, int minute)
{
    assert_true(m->until.set);
    assert_int_equal(m->until.day, civil_day_from_date(y, mo, d));
    assert_int_equal(m->until.minute, minute);
}

static void countdown_ends_the_message(void **state)
{
    (void)state;
    struct diagcap cap;
    struct config *cfg;
    assert_int_equal(load(&cap,
        "[message fee]\nheadline = 距医保缴费截止还有{countdown:2026-12-05}天\n"
        "[message later]\nheadline = {countdown:2026-12-05}\nuntil = 2026-12-20\n"
        "[message sooner]\nheadline = {countdown:2026-12-05}\nuntil = 2026-12-03 12:00\n"
        "[message two]\nheadline = {countdown:2026-12-09}\nsummary = 还有{countdown:2026-12-07}天\n"
        "[message none]\nheadline = {{countdown:2026-12-05}}\n", 0, &cfg), CONFIG_OK);
    assert_int_equal(cap.count, 0);
    /* A bare date's end: minute 1440 of the countdown day. */
    expect_until(config_message_find(cfg, "fee"), 2026, 12, 5, 1440);
    expect_until(config_message_find(cfg, "later"), 2026, 12, 5, 1440);
    expect_until(config_message_find(cfg, "sooner"), 2026, 12, 3, 720);
    expect_until(config_message_find(cfg, "two"), 2026, 12, 7, 1440);
    assert_false(config_message_find(cfg, "none")->until.set);     /* escaped: no countdown */
    config_free(cfg);
}

static void countdown_expiry_is_a_warning(void **state)
{
    (void)state;
    struct diagcap cap;
    struct config *cfg;
    time_t after;
    assert_int_equal(civil_parse_instant("2026-12-06 00:00", &after), 0);
    assert_int_equal(load(&cap, "[message fee]\nheadline = 还有{countdown:2026-12-05}天\n", after, &cfg),
                     CONFIG_OK);
    expect(&cap, DIAG_WARN, 2, "message 'fee' has expired (its countdown ended with 2026-12-05)");
    config_free(cfg);
    assert_int_equal(load(&cap, "[message fee]\nfrom = 2026-12-06\nheadline = {countdown:2026-12-05}\n",
                          0, &cfg), CONFIG_OK);
    expect(&cap, DIAG_WARN, 3, "message 'fee' never plays: its countdown ends with 2026-12-05, before its from");
    config_free(cfg);
}

static void bad_countdown_is_an_error(void **state)
{
    (void)state;
    struct diagcap cap;
    struct config *cfg;
    assert_int_equal(load(&cap,
        "[message a]\nheadline = 还有{countdown:2026-02-30}天\n"
        "summary = {countdown:}\n", 0, &cfg), CONFIG_ERR_INVALID);
    assert_null(cfg);
    expect(&cap, DIAG_ERROR, 2, "message 'a' headline: '{countdown:2026-02-30}' has no date");
    expect(&cap, DIAG_ERROR, 3, "message 'a' summary: '{countdown:}' has no date");
}

static void misspelt_is_a_warning_with_a_suggestion(void **state)
{
    (void)state;
    struct diagcap cap;
    struct config *cfg;
    assert_int_equal(load(&cap,
        "[message a]\nheadline = {dat} {countdwn:2026-12-05}\n"
        "summary = {Lunar} {countdown}\n", 0, &cfg), CONFIG_OK);
    assert_int_equal(diagcap_count(&cap, DIAG_WARN), 4);
    expect(&cap, DIAG_WARN, 2, "'{dat}' is no placeholder and shows as written; did you mean {date}?");
    expect(&cap, DIAG_WARN, 2, "did you mean {countdown:2026-12-05}?");
    expect(&cap, DIAG_WARN, 3, "did you mean {lunar}?");
    expect(&cap, DIAG_WARN, 3, "did you mean {countdown:YYYY-MM-DD}?");
    assert_false(config_message_find(cfg, "a")->until.set);
    config_free(cfg);
}

/* Braces as configs had them before placeholders: no word about them. */
static void other_braces_load_quietly(void **state)
{
    (void)state;
    struct diagcap cap;
    struct config *cfg;
    assert_int_equal(load(&cap,
        "[message a]\nheadline = 【通知】{第一期} {x} {} {{ }} {a{b} }{ {\n"
        "summary = JSON: {\"k\": 1}\n", 0, &cfg), CONFIG_OK);
    assert_int_equal(cap.count, 0);
    config_free(cfg);
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(countdown_ends_the_message),
        cmocka_unit_test(countdown_expiry_is_a_warning),
        cmocka_unit_test(bad_countdown_is_an_error),
        cmocka_unit_test(misspelt_is_a_warning_with_a_suggestion),
        cmocka_unit_test(other_braces_load_quietly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
