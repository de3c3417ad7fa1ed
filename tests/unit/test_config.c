/* The config's keys: every value form staff type, and every error class
 * with its message and line number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diagcap.h"
#include "schedule/config.h"

static struct config *load_ok(struct diagcap *cap, const char *text)
{
    struct config *cfg;
    diagcap_init(cap);
    struct config_options o = { 0 };
    int rc = config_parse(&cfg, "t.ini", text, strlen(text), &o, &cap->diag);
    for (size_t i = 0; rc && i < cap->count; i++)
        fprintf(stderr, "%s:%d: %s\n", cap->msgs[i].file, cap->msgs[i].line, cap->msgs[i].text);
    assert_int_equal(rc, CONFIG_OK);
    assert_int_equal(diagcap_count(cap, DIAG_ERROR), 0);
    return cfg;
}

/* Loads text that must fail; returns the capture for inspection. */
static void load_bad(struct diagcap *cap, const char *text)
{
    struct config *cfg = (struct config *)1;
    diagcap_init(cap);
    struct config_options o = { 0 };
    assert_int_equal(config_parse(&cfg, "t.ini", text, strlen(text), &o, &cap->diag), CONFIG_ERR_INVALID);
    assert_null(cfg);
}

static void expect_error(const struct diagcap *cap, int line, const char *needle)
{
    const struct diagcap_msg *m = diagcap_find(cap, DIAG_ERROR, needle);
    if (!m) {
        for (size_t i = 0; i < cap->count; i++)
            fprintf(stderr, "  got %d: %s\n", cap->msgs[i].line, cap->msgs[i].text);
        fprintf(stderr, "no error containing '%s'\n", needle);
        fail();
    }
    assert_int_equal(m->line, line);
}

static void defaults(void **state)
{
    (void)state;
    struct diagcap cap;
    struct config *cfg = load_ok(&cap, "[message a]\nheadline = 你好\n");
    const struct config_display *d = config_display(cfg);
    assert_string_equal(d->board, "");
    assert_string_equal(d->output, "auto");
    assert_int_equal(d->size, 16);
    assert_int_equal(d->mode, CONFIG_MODE_MONO);
    assert_int_equal(d->speed.unit, CONFIG_SPEED_PX);
    assert_true(d->speed.value == 32);
    assert_int_equal(d->idle.kind, CONFIG_IDLE_CLOCK);
    assert_int_equal(d->night.count, 0);
    const struct config_message *m = config_message_at(cfg, 0);
    assert_string_equal(m->id, "a");
    assert_string_equal(m->headline, "你好");
    assert_string_equal(m->summary, "");
    assert_int_equal(m->priority, 50);
    assert_int_equal(m->repeat, 1);
    assert_int_equal(m->days, CONFIG_DAYS_ALL);
    assert_int_equal(m->hours.count, 0);
    assert_true(m->enabled);
    assert_false(m->emergency);
    assert_false(m->from.set);
    assert_int_equal(m->color, 0xFFFFFF);
    assert_int_equal(m->line, 1);
    config_free(cfg);
}

static void every_value_form(void **state)
{
    (void)state;
    struct diagcap cap;
    struct config *cfg = load_ok(&cap,
        "[display]\n"
        "output = record:/tmp/out.bin\n"
        "font = WenQuanYi Zen Hei Sharp ， Noto Sans CJK SC,DejaVu Sans\n"
        "size = ３２\n"
        "mode = gray\n"
        "speed = 3.5 cps\n"
        "night = 22：00－06：00\n"
        "off = 01:00-05:30, 12:00-12:30\n"
        "idle = text: 欢迎光临\n"
        "[message a]\n"
        "headline = x\n"
        "color = #f80\n"
        "from = 2026－11－01 08：30\n"
        "until = 2026-11-30\n"
        "days = fri－mon\n"
        "hours = 08：00－12：00，14:00-24:00、22:00-02:00\n"
        "emergency = yes\n"
        "enabled = NO\n"
        "[message b]\n"
        "headline = y\n"
        "color = Amber\n"
        "days = sat, sun, wed\n");
    const struct config_display *d = config_display(cfg);
    assert_string_equal(d->output, "record:/tmp/out.bin");
    assert_string_equal(d->font, "WenQuanYi Zen Hei Sharp,Noto Sans CJK SC,DejaVu Sans");
    assert_int_equal(d->size, 32);
    assert_int_equal(d->mode, CONFIG_MODE_GRAY);
    assert_int_equal(d->speed.unit, CONFIG_SPEED_CPS);
    assert_true(d->speed.value == 3.5);
    assert_int_equal(d->night.count, 1);
    assert_int_equal(d->night.w[0].start, 22 * 60);
    assert_int_equal(d->night.w[0].end, 6 * 60);
    assert_int_equal(d->off.count, 2);
    assert_int_equal(d->idle.kind, CONFIG_IDLE_TEXT);
    assert_string_equal(d->idle.text, "欢迎光临");
    const struct config_message *a = config_message_at(cfg, 0);
    assert_int_equal(a->color, 0xFF8800);
    assert_true(a->from.set);
    assert_int_equal(a->from.day, civil_day_from_date(2026, 11, 1));
    assert_int_equal(a->from.minute, 8 * 60 + 30);
    assert_int_equal(a->until.day, civil_day_from_date(2026, 11, 30));
    assert_int_equal(a->until.minute, 1440);        /* a bare date: the end of that day */
    assert_int_equal(a->days, (1 << 5) | (1 << 6) | (1 << 0) | (1 << 1));
    assert_int_equal(a->hours.count, 3);
    assert_int_equal(a->hours.w[1].end, 1440);
    assert_int_equal(a->hours.w[2].start, 22 * 60);
    assert_int_equal(a->hours.w[2].end, 2 * 60);
    assert_true(a->emergency);
    assert_false(a->enabled);
    const struct config_message *b = config_message_at(cfg, 1);
    assert_int_equal(b->color, 0xFFB000);
    assert_int_equal(b->days, (1 << 6) | (1 << 0) | (1 << 3));
    assert_ptr_equal(config_message_find(cfg, "b"), b);
    assert_null(config_message_find(cfg, "c"));
    config_free(cfg);
}

static void syntax_error(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nheadline = x\nthis line has no equals sign\n");
    expect_error(&cap, 3, "expected '[section]' or 'key = value'");
}

static void unknown_section_and_key_with_did_you_mean(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[mesage a]\nheadline = x\n[message b]\nheadline = y\nprority = 3\nsumary = z\n"
                   "[display]\nbrightnes = 3\nwhatever = 1\n");
    expect_error(&cap, 1, "unknown section [mesage a]; did you mean [message a]?");
    expect_error(&cap, 5, "unknown key 'prority' in [message]; did you mean 'priority'?");
    expect_error(&cap, 6, "did you mean 'summary'?");
    expect_error(&cap, 8, "did you mean 'brightness'?");
    expect_error(&cap, 9, "unknown key 'whatever' in [display]");
    assert_null(strstr(diagcap_find(&cap, DIAG_ERROR, "whatever")->text, "did you mean"));
}

static void bad_times_and_dates(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nheadline = x\n"
                   "hours = 08:00-25:00\n"          /* 3 */
                   "from = 2026-02-30\n"            /* 4 */
                   "until = 2026/12/01\n"           /* 5 */
                   "[message b]\nheadline = y\n"
                   "hours = 24:00-02:00\n"          /* 8 */
                   "days = mon-fry\n"               /* 9 */
                   "[display]\nnight = 22:00-06:00, 12:00-13:00\n");   /* 11 */
    expect_error(&cap, 3, "hours '08:00-25:00' is not a list of time windows");
    expect_error(&cap, 4, "from '2026-02-30' is not a date");
    expect_error(&cap, 5, "until '2026/12/01' is not a date");
    expect_error(&cap, 8, "24:00 is allowed only as the end");
    expect_error(&cap, 9, "days 'mon-fry' is not a list of days");
    expect_error(&cap, 11, "only one window is allowed");
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 6);
}

/* One parser for every date and time (civil.c): the config takes minutes,
 * not seconds. */
static void no_seconds_in_the_config(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nheadline = x\nfrom = 2026-03-01 10:00:30\n");
    expect_error(&cap, 3, "from '2026-03-01 10:00:30' is not a date");
}

/* A config that cannot be read: one error naming the file, no config, and
 * nothing left allocated (LeakSanitizer checks that under SANITIZE=1). */
static void missing_file(void **state)
{
    (void)state;
    char dir[256], path[300];
    tmpdir_make(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/missing.ini", dir);
    struct diagcap cap;
    diagcap_init(&cap);
    struct config *cfg = (struct config *)1;
    struct config_options o = { 0 };
    assert_int_equal(config_load(&cfg, path, &o, &cap.diag), CONFIG_ERR_IO);
    assert_null(cfg);
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 1);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "cannot read"));
    assert_string_equal(cap.msgs[0].file, path);
    tmpdir_remove(dir);
}

static void until_before_from(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nheadline = x\nfrom = 2026-12-01 10:00\nuntil = 2026-12-01 09:00\n"
                   "[message b]\nheadline = x\nfrom = 2026-12-01\nuntil = 2026-12-01\n");
    expect_error(&cap, 4, "until '2026-12-01 09:00' is not after from '2026-12-01 10:00' (line 3)");
    /* A bare-date until is the end of that day, so the same date is fine. */
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 1);
}

static void duplicate_ids_and_keys(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nheadline = x\npriority = 1\npriority = 2\n[message a]\nheadline = y\n"
                   "[message 新闻]\nheadline = z\n[message]\nheadline = w\n");
    expect_error(&cap, 4, "'priority' is already set at t.ini:3");
    expect_error(&cap, 5, "duplicate message ID 'a' (first defined at t.ini:1)");
    expect_error(&cap, 7, "message ID '新闻' may use only ASCII letters");
    expect_error(&cap, 9, "needs an ID");
}

static void unreadable_summary_file_and_include(void **state)
{
    (void)state;
    char dir[256], path[300];
    tmpdir_make(dir, sizeof dir);
    tmpdir_write(dir, "main.ini", "[message a]\nheadline = x\nsummary_file = gone.txt\n"
                                  "include = conf.d/missing.ini\n"
                                  "[message b]\nheadline = y\nsummary_file = gbk.txt\n"
                                  "[message c]\nheadline = z\nsummary_file = ok.txt\n");
    tmpdir_write_bytes(dir, "gbk.txt", "ok\n\xC0\xEB\xCA\xAF\n", 8);
    tmpdir_write(dir, "ok.txt", "\xEF\xBB\xBF离石区城乡\r\n环境卫生\n\nThe city\nstreets\n");
    snprintf(path, sizeof path, "%s/main.ini", dir);
    struct diagcap cap;
    diagcap_init(&cap);
    struct config *cfg;
    struct config_options o = { 0 };
    assert_int_equal(config_load(&cfg, path, &o, &cap.diag), CONFIG_ERR_INVALID);
    expect_error(&cap, 3, "cannot read summary_file 'gone.txt'");
    expect_error(&cap, 4, "cannot read include");
    expect_error(&cap, 7, "summary_file 'gbk.txt' is not valid UTF-8 (line 2)");
    assert_string_equal(diagcap_find(&cap, DIAG_ERROR, "gone.txt")->file, path);
    /* Fix them; the joined summary has no line breaks, and a space only between words. */
    tmpdir_write(dir, "main.ini", "[message c]\nheadline = z\nsummary_file = ok.txt\n");
    diagcap_init(&cap);
    assert_int_equal(config_load(&cfg, path, &o, &cap.diag), CONFIG_OK);
    assert_string_equal(config_message_at(cfg, 0)->summary, "离石区城乡环境卫生The city streets");
    config_free(cfg);
    tmpdir_remove(dir);
}

static void bad_colour_and_ranges(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nheadline = x\ncolor = #12345\npriority = 150\nrepeat = 0\n"
                   "emergency = maybe\n[display]\nbrightness = -1\nspeed = 99 cps\nsize = big\n"
                   "output = hdmi\nmode = colour\nidle = nothing\n");
    expect_error(&cap, 3, "color '#12345' is not a colour");
    expect_error(&cap, 4, "priority 150 is out of range 0-100");
    expect_error(&cap, 5, "repeat 0 is out of range 1-100");
    expect_error(&cap, 6, "emergency must be yes or no, not 'maybe'");
    expect_error(&cap, 8, "brightness -1 is out of range 0-100");
    expect_error(&cap, 9, "speed '99 cps' is out of range 0.5-50 cps");
    expect_error(&cap, 10, "size 'big' is not a whole number");
    expect_error(&cap, 12, "mode 'colour' is not mono or gray");
    expect_error(&cap, 13, "idle 'nothing' is not clock, blank or text:WORDS");
}

static void missing_headline_and_double_summary(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nsummary = s\n[message b]\nheadline = h\nsummary = s\nsummary_file = f.txt\n"
                   "[message c]\nheadline =\n");
    expect_error(&cap, 1, "message 'a' has no headline");
    expect_error(&cap, 6, "sets both summary and summary_file");
    expect_error(&cap, 8, "headline is empty");
}

static void expired_is_a_warning(void **state)
{
    (void)state;
    struct diagcap cap;
    diagcap_init(&cap);
    struct config *cfg;
    struct config_options o = { .now = 1893456000 };       /* 2030-01-01 */
    const char *text = "[message old]\nheadline = x\nuntil = 2021-12-31\n[message new]\nheadline = y\n";
    assert_int_equal(config_parse(&cfg, "t.ini", text, strlen(text), &o, &cap.diag), CONFIG_OK);
    const struct diagcap_msg *m = diagcap_find(&cap, DIAG_WARN, "message 'old' has expired (until 2021-12-31)");
    assert_non_null(m);
    assert_int_equal(m->line, 3);
    assert_int_equal(diagcap_count(&cap, DIAG_WARN), 1);
    config_free(cfg);
}

/* The caller's checks for names the schedule does not know (boards,
 * outputs): a stand-in that knows one board and one output. */
static int check_user;

static int knows_one(void *user, const char *value, char *why, size_t len)
{
    assert_ptr_equal(user, &check_user);
    if (!strcmp(value, "hub75-256x32") || !strcmp(value, "sim"))
        return 0;
    snprintf(why, len, "no such thing as '%s'", value);
    return -1;
}

static void board_and_output_are_checked_by_the_caller(void **state)
{
    (void)state;
    struct diagcap cap;
    diagcap_init(&cap);
    struct config *cfg;
    struct config_options o = { .check_board = knows_one, .check_output = knows_one,
                                .check_user = &check_user };
    const char *good = "[display]\nboard = hub75-256x32\noutput = sim\n";
    assert_int_equal(config_parse(&cfg, "t.ini", good, strlen(good), &o, &cap.diag), CONFIG_OK);
    assert_string_equal(config_display(cfg)->board, "hub75-256x32");
    config_free(cfg);
    /* Their answer is the error, at the key's file and line. */
    const char *typo = "[display]\noutput = sim\nboard = hub75-265x32\n";
    assert_int_equal(config_parse(&cfg, "t.ini", typo, strlen(typo), &o, &cap.diag), CONFIG_ERR_INVALID);
    expect_error(&cap, 3, "no such thing as 'hub75-265x32'");
    diagcap_init(&cap);
    const char *out = "[display]\noutput = usb2\n";
    assert_int_equal(config_parse(&cfg, "t.ini", out, strlen(out), &o, &cap.diag), CONFIG_ERR_INVALID);
    expect_error(&cap, 2, "no such thing as 'usb2'");
    /* Without checks the syntax of a board name is still the schedule's. */
    diagcap_init(&cap);
    const char *bad = "[display]\nboard = ../etc/passwd\n";
    struct config_options none = { 0 };
    assert_int_equal(config_parse(&cfg, "t.ini", bad, strlen(bad), &none, &cap.diag), CONFIG_ERR_INVALID);
    expect_error(&cap, 2, "is not a board name");
}

/* The hook cmd_check fills with the text renderer: the config hands it
 * every headline, summary and idle text, and words its answer. */
static size_t no_emoji(void *user, const struct config_display *display, const char *utf8, size_t len,
                       uint32_t *cps, size_t max)
{
    (*(int *)user)++;
    assert_int_equal(display->size, 16);
    const char *hit = memmem(utf8, len, "\xF0\x9F\xAB\xA0", 4);
    if (!hit)
        return 0;
    if (max)
        cps[0] = 0x1FAE0;
    return 1;
}

static void coverage_hook_warnings(void **state)
{
    (void)state;
    int calls = 0;
    struct diagcap cap;
    diagcap_init(&cap);
    struct config *cfg;
    struct config_options o = { .uncovered = no_emoji, .uncovered_user = &calls };
    const char *text = "[message a]\nheadline = 好\xF0\x9F\xAB\xA0\nsummary = fine\n[display]\nidle = text:hi\n";
    assert_int_equal(config_parse(&cfg, "t.ini", text, strlen(text), &o, &cap.diag), CONFIG_OK);
    assert_int_equal(calls, 3);
    const struct diagcap_msg *m = diagcap_find(&cap, DIAG_WARN, "no configured font covers: U+1FAE0");
    assert_non_null(m);
    assert_int_equal(m->line, 2);
    assert_non_null(strstr(m->text, "message 'a' headline"));
    config_free(cfg);
}

static void every_problem_in_one_run(void **state)
{
    (void)state;
    struct diagcap cap;
    load_bad(&cap, "[message a]\nheadline = x\npriority = 101\ncolor = pink\n[message b]\n"
                   "headline = y\nhours = 9-5\nfoo = 1\n");
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 4);
}

/* docs/config.md documents exactly the keys of the table. */
static void docs_match_the_table(void **state)
{
    (void)state;
    FILE *f = fopen("docs/config.md", "r");
    assert_non_null(f);
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    doc[n] = '\0';
    fclose(f);
    for (size_t i = 0; i < config_key_count(); i++) {
        struct config_key_info k;
        config_key_at(i, &k);
        char heading[128];
        snprintf(heading, sizeof heading, "\n### `%s.%s`", k.section, k.key);
        if (!strstr(doc, heading))
            {
            fprintf(stderr, "docs/config.md lacks a heading %s\n", heading + 1);
            fail();
        }
        if (k.def && *k.def) {
            char def[128];
            snprintf(def, sizeof def, "Default: `%s`", k.def);
            const char *at = strstr(doc, heading), *next = strstr(at + 1, "\n### ");
            const char *d = strstr(at, def);
            if (!d || (next && d > next))
                {
                fprintf(stderr, "docs/config.md: %s does not say %s\n", heading + 1, def);
                fail();
            }
        }
    }
    /* And nothing documented that the table lacks. */
    for (const char *p = strstr(doc, "\n### `"); p; p = strstr(p + 1, "\n### `")) {
        char sec[32], key[64];
        if (sscanf(p, "\n### `%31[a-z].%63[a-z_]`", sec, key) != 2)
            continue;
        bool found = false;
        for (size_t i = 0; i < config_key_count(); i++) {
            struct config_key_info k;
            config_key_at(i, &k);
            found |= !strcmp(k.section, sec) && !strcmp(k.key, key);
        }
        if (!found)
            {
            fprintf(stderr, "docs/config.md documents %s.%s, which the table does not have\n", sec, key);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_value_form),
        cmocka_unit_test(syntax_error),
        cmocka_unit_test(unknown_section_and_key_with_did_you_mean),
        cmocka_unit_test(bad_times_and_dates),
        cmocka_unit_test(no_seconds_in_the_config),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(until_before_from),
        cmocka_unit_test(duplicate_ids_and_keys),
        cmocka_unit_test(unreadable_summary_file_and_include),
        cmocka_unit_test(bad_colour_and_ranges),
        cmocka_unit_test(missing_headline_and_double_summary),
        cmocka_unit_test(expired_is_a_warning),
        cmocka_unit_test(board_and_output_are_checked_by_the_caller),
        cmocka_unit_test(coverage_hook_warnings),
        cmocka_unit_test(every_problem_in_one_run),
        cmocka_unit_test(docs_match_the_table),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
