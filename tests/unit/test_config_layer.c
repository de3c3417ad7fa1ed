/* Fleet bundles laid over a kiosk's config, and the kiosk's [fleet]
 * section: what a bundle may say, what it may read, what the newsroom's
 * publish packs (config_file_at). Real files in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "diagcap.h"
#include "schedule/calendar.h"
#include "schedule/config.h"

struct fx {
    char dir[256];
    char local[300], all[300], site[300];
    struct diagcap cap;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    tmpdir_make(f->dir, sizeof f->dir);
    char p[300];
    snprintf(p, sizeof p, "%s/all", f->dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/site", f->dir);
    mkdir(p, 0755);
    snprintf(f->local, sizeof f->local, "%s/local.ini", f->dir);
    snprintf(f->all, sizeof f->all, "%s/all/bundle.ini", f->dir);
    snprintf(f->site, sizeof f->site, "%s/site/bundle.ini", f->dir);
    tmpdir_write(f->dir, "newsroom.pub", "ledticker-ed25519-public AAAA\n");
    tmpdir_write(f->dir, "local.ini", "[display]\nsize = 16\n[message own]\nheadline = 本地\n");
    diagcap_init(&f->cap);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static int load(struct fx *f, struct config **cfg)
{
    struct config_layer layers[2] = {
        { f->all, "fleet bundle 'all'" },
        { f->site, "fleet bundle 'site'" },
    };
    struct config_options opt = { .layers = layers, .layer_count = 2 };
    diagcap_init(&f->cap);
    return config_load(cfg, f->local, &opt, &f->cap.diag);
}

static void write_in(struct fx *f, const char *sub, const char *name, const char *text)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", f->dir, sub);
    tmpdir_write(p, name, text);
}

static void layers_add_messages_in_order(void **state)
{
    struct fx *f = *state;
    write_in(f, "all", "bundle.ini", "[message district]\nheadline = 区委办\ninclude = more/*.ini\n");
    char p[300];
    snprintf(p, sizeof p, "%s/all/more", f->dir);
    mkdir(p, 0755);
    write_in(f, "all/more", "b.ini", "[message more]\nheadline = x\nsummary_file = ../news.txt\n");
    write_in(f, "all", "news.txt", "田间地头\n践初心\n");
    write_in(f, "site", "bundle.ini", "[message mine]\nheadline = 离石\n");
    struct config *cfg;
    assert_int_equal(load(f, &cfg), CONFIG_OK);
    assert_int_equal(config_message_count(cfg), 4);
    assert_string_equal(config_message_at(cfg, 0)->id, "own");
    assert_string_equal(config_message_at(cfg, 1)->id, "district");
    assert_string_equal(config_message_at(cfg, 2)->id, "more");
    assert_string_equal(config_message_at(cfg, 3)->id, "mine");
    assert_string_equal(config_message_find(cfg, "more")->summary, "田间地头践初心");
    assert_null(config_fleet(cfg));
    /* Every file read, as real paths, each once. */
    assert_int_equal(config_file_count(cfg), 5);
    char *real = realpath(f->dir, NULL);
    const char *want[] = { "local.ini", "all/bundle.ini", "all/more/b.ini", "all/news.txt", "site/bundle.ini" };
    for (size_t i = 0; i < 5; i++) {
        char w[400];
        snprintf(w, sizeof w, "%s/%s", real, want[i]);
        bool found = false;
        for (size_t j = 0; j < config_file_count(cfg); j++)
            found |= !strcmp(config_file_at(cfg, j), w);
        if (!found)
            fail_msg("%s not in the file list", w);
    }
    assert_null(config_file_at(cfg, 5));
    free(real);
    config_free(cfg);
}

static void missing_layer_is_absent(void **state)
{
    struct fx *f = *state;
    struct config *cfg;
    assert_int_equal(load(f, &cfg), CONFIG_OK);
    assert_int_equal(config_message_count(cfg), 1);
    assert_int_equal(diagcap_count(&f->cap, DIAG_ERROR), 0);
    config_free(cfg);
}

static void layer_may_not_hold_display_or_fleet(void **state)
{
    struct fx *f = *state;
    struct config *cfg;
    write_in(f, "all", "bundle.ini", "[message a]\nheadline = a\n[display]\nbrightness = 100\n");
    assert_int_equal(load(f, &cfg), CONFIG_ERR_INVALID);
    assert_null(cfg);
    const struct diagcap_msg *m = diagcap_find(&f->cap, DIAG_ERROR, "fleet bundle 'all' may not contain [display]");
    assert_non_null(m);
    assert_int_equal(m->line, 3);
    write_in(f, "all", "bundle.ini", "[message a]\nheadline = a\n");
    write_in(f, "site", "bundle.ini", "[fleet]\nbroker = mqtt://localhost\n");
    assert_int_equal(load(f, &cfg), CONFIG_ERR_INVALID);
    assert_non_null(diagcap_find(&f->cap, DIAG_ERROR, "fleet bundle 'site' may not contain [fleet]"));
}

static void layer_reads_nothing_outside_itself(void **state)
{
    struct fx *f = *state;
    struct config *cfg;
    tmpdir_write(f->dir, "secret.ini", "[message s]\nheadline = s\n");
    tmpdir_write(f->dir, "secret.txt", "s\n");
    static const char *const bad[] = {
        "include = ../secret.ini\n",
        "[message a]\nheadline = a\nsummary_file = ../secret.txt\n",
        "include = ../*.ini\n",
        "include = %s/secret.ini\n",
        "[message a]\nheadline = a\nsummary_file = %s/secret.txt\n",
        "include = link.ini\n",
    };
    char link[400], target[400];
    snprintf(link, sizeof link, "%s/all/link.ini", f->dir);
    snprintf(target, sizeof target, "%s/secret.ini", f->dir);
    assert_int_equal(symlink(target, link), 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[600];
        snprintf(text, sizeof text, bad[i], f->dir);
        write_in(f, "all", "bundle.ini", text);
        if (load(f, &cfg) != CONFIG_ERR_INVALID)
            fail_msg("case %zu: loaded", i);
        if (!diagcap_find(&f->cap, DIAG_ERROR, "is outside"))
            fail_msg("case %zu: no 'is outside' error", i);
    }
    /* The same include in the local config is fine: only bundles are confined. */
    tmpdir_write(f->dir, "local.ini", "[message own]\nheadline = x\ninclude = secret.ini\n");
    write_in(f, "all", "bundle.ini", "[message a]\nheadline = a\n");
    assert_int_equal(load(f, &cfg), CONFIG_OK);
    config_free(cfg);
}

static void duplicate_ids_name_both_places(void **state)
{
    struct fx *f = *state;
    struct config *cfg;
    write_in(f, "all", "bundle.ini", "\n[message own]\nheadline = 冲突\n");
    assert_int_equal(load(f, &cfg), CONFIG_ERR_INVALID);
    const struct diagcap_msg *m = diagcap_find(&f->cap, DIAG_ERROR, "duplicate message ID 'own' in fleet bundle 'all'");
    assert_non_null(m);
    assert_string_equal(m->file, f->all);
    assert_int_equal(m->line, 2);
    char where[400];
    snprintf(where, sizeof where, "first defined at %s:3", f->local);
    assert_non_null(strstr(m->text, where));
    /* Between the two bundles. */
    write_in(f, "all", "bundle.ini", "[message a]\nheadline = a\n");
    write_in(f, "site", "bundle.ini", "[message a]\nheadline = b\n");
    assert_int_equal(load(f, &cfg), CONFIG_ERR_INVALID);
    m = diagcap_find(&f->cap, DIAG_ERROR, "duplicate message ID 'a' in fleet bundle 'site'");
    assert_non_null(m);
    snprintf(where, sizeof where, "first defined at %s:1", f->all);
    assert_non_null(strstr(m->text, where));
}

static void layer_calendar_replaces_local_year(void **state)
{
    struct fx *f = *state;
    struct config *cfg;
    tmpdir_write(f->dir, "local.ini",
                 "[message own]\nheadline = x\n[calendar 2027]\nholiday = 2027-10-01..2027-10-07 国庆节\n");
    write_in(f, "all", "bundle.ini", "[message a]\nheadline = a\n[calendar 2027]\nholiday = 2027-10-01..2027-10-08 国庆节\n");
    assert_int_equal(load(f, &cfg), CONFIG_OK);
    const struct calendar *cal = config_calendar(cfg);
    assert_true(calendar_day(cal, civil_day_from_date(2027, 10, 8)) & CALENDAR_HOLIDAY);
    config_free(cfg);
    /* Twice in one bundle is still an error. */
    write_in(f, "all", "bundle.ini", "[calendar 2027]\nholiday = 2027-10-01 a\n[calendar 2027]\nholiday = 2027-10-02 b\n");
    assert_int_equal(load(f, &cfg), CONFIG_ERR_INVALID);
    assert_non_null(diagcap_find(&f->cap, DIAG_ERROR, "appears twice"));
}

static void neutral_display_with_one_layer(void **state)
{
    /* publish's check: the newsroom's file as the only layer. */
    struct fx *f = *state;
    write_in(f, "all", "bundle.ini", "[message district]\nheadline = 区委办\n");
    struct config_layer layer = { f->all, f->all };
    struct config_options opt = { .layers = &layer, .layer_count = 1 };
    struct config *cfg;
    assert_int_equal(config_parse(&cfg, "(neutral display)", "", 0, &opt, &f->cap.diag), CONFIG_OK);
    assert_int_equal(config_message_count(cfg), 1);
    assert_int_equal(config_file_count(cfg), 1);
    config_free(cfg);
    write_in(f, "all", "bundle.ini", "[message district]\nheadline = 区委办\ncolor = #GG0000\n");
    diagcap_init(&f->cap);
    assert_int_equal(config_parse(&cfg, "(neutral display)", "", 0, &opt, &f->cap.diag), CONFIG_ERR_INVALID);
    const struct diagcap_msg *m = diagcap_find(&f->cap, DIAG_ERROR, "color");
    assert_non_null(m);
    assert_string_equal(m->file, f->all);
    assert_int_equal(m->line, 3);
}

static struct config *fleet_cfg(struct fx *f, const char *section, int expect)
{
    char text[1024];
    snprintf(text, sizeof text, "[message own]\nheadline = x\n[fleet]\n%s", section);
    tmpdir_write(f->dir, "local.ini", text);
    struct config *cfg;
    diagcap_init(&f->cap);
    int rc = config_load(&cfg, f->local, NULL, &f->cap.diag);
    if (rc != expect)
        fail_msg("[fleet] %s: got %s", section, config_strerror(rc));
    return cfg;
}

static void fleet_section(void **state)
{
    struct fx *f = *state;
    tmpdir_write(f->dir, "old.pub", "x\n");
    tmpdir_write(f->dir, "ca.pem", "x\n");
    struct config *cfg = fleet_cfg(f, "broker = mqtts://news.example.org:8883\nsite = lishi-1\n"
                                      "public_key = newsroom.pub\npublic_key = old.pub\nca_file = ca.pem\n",
                                   CONFIG_OK);
    const struct config_fleet *fl = config_fleet(cfg);
    assert_non_null(fl);
    assert_string_equal(fl->broker, "mqtts://news.example.org:8883");
    assert_string_equal(fl->site, "lishi-1");
    assert_string_equal(fl->username, "lishi-1");
    assert_string_equal(fl->cache_dir, "/var/lib/ledticker/fleet");
    assert_string_equal(fl->password_file, "");
    assert_int_equal(fl->public_key_count, 2);
    char want[400];
    snprintf(want, sizeof want, "%s/old.pub", f->dir);
    assert_string_equal(fl->public_keys[1], want);
    snprintf(want, sizeof want, "%s/ca.pem", f->dir);
    assert_string_equal(fl->ca_file, want);
    assert_int_equal(diagcap_count(&f->cap, DIAG_WARN), 0);
    config_free(cfg);

    /* Plain MQTT: fine on loopback, warned about elsewhere. */
    cfg = fleet_cfg(f, "broker = mqtt://127.0.0.1:1883\nsite = a\npublic_key = newsroom.pub\n", CONFIG_OK);
    assert_int_equal(diagcap_count(&f->cap, DIAG_WARN), 0);
    config_free(cfg);
    cfg = fleet_cfg(f, "broker = mqtt://news.example.org\nsite = a\npublic_key = newsroom.pub\nusername = u\n", CONFIG_OK);
    const struct diagcap_msg *m = diagcap_find(&f->cap, DIAG_WARN, "plain MQTT");
    assert_non_null(m);
    assert_int_equal(m->line, 4);
    assert_string_equal(config_fleet(cfg)->username, "u");
    config_free(cfg);
}

static void fleet_section_refusals(void **state)
{
    struct fx *f = *state;
    static const struct { const char *text, *needle; } bad[] = {
        { "broker = https://x\nsite = a\npublic_key = newsroom.pub\n", "must start with mqtts://" },
        { "broker = mqtts://\nsite = a\npublic_key = newsroom.pub\n", "names no host" },
        { "broker = mqtts://x:0\nsite = a\npublic_key = newsroom.pub\n", "port" },
        { "broker = mqtts://x:65536\nsite = a\npublic_key = newsroom.pub\n", "port" },
        { "broker = mqtts://x/path\nsite = a\npublic_key = newsroom.pub\n", "no path" },
        { "broker = mqtts://u@x\nsite = a\npublic_key = newsroom.pub\n", "no path" },
        { "broker = mqtts://x\nsite = Lishi\npublic_key = newsroom.pub\n", "site 'Lishi'" },
        { "broker = mqtts://x\nsite = -a\npublic_key = newsroom.pub\n", "site '-a'" },
        { "broker = mqtts://x\nsite = a/b\npublic_key = newsroom.pub\n", "site 'a/b'" },
        { "broker = mqtts://x\nsite = a+\npublic_key = newsroom.pub\n", "site 'a+'" },
        { "broker = mqtts://x\nsite = 0123456789012345678901234567890123456789012345678901234567890123\n"
          "public_key = newsroom.pub\n", "site '0123" },
        { "site = a\npublic_key = newsroom.pub\n", "needs broker" },
        { "broker = mqtts://x\npublic_key = newsroom.pub\n", "needs site" },
        { "broker = mqtts://x\nsite = a\n", "needs public_key" },
        { "broker = mqtts://x\nsite = a\npublic_key = nowhere.pub\n", "cannot read public_key 'nowhere.pub'" },
        { "broker = mqtts://x\nsite = a\npublic_key = newsroom.pub\nca_file = no.pem\n", "cannot read ca_file" },
        { "broker = mqtts://x\nsite = a\npublic_key = newsroom.pub\nsite = b\n", "already set" },
        { "broker = mqtts://x\nsite = a\npublic_key = newsroom.pub\nkey = k\n", "unknown key 'key' in [fleet]" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct config *cfg = fleet_cfg(f, bad[i].text, CONFIG_ERR_INVALID);
        assert_null(cfg);
        if (!diagcap_find(&f->cap, DIAG_ERROR, bad[i].needle))
            fail_msg("case %zu: no error '%s'", i, bad[i].needle);
    }
    /* A key file that cannot be read is one mistake, one error: not also
     * "needs public_key" on the section's line. */
    assert_null(fleet_cfg(f, "broker = mqtts://x\nsite = a\npublic_key = nowhere.pub\n",
                          CONFIG_ERR_INVALID));
    assert_int_equal(diagcap_count(&f->cap, DIAG_ERROR), 1);
    assert_null(diagcap_find(&f->cap, DIAG_ERROR, "needs public_key"));
    struct config *cfg = fleet_cfg(f, "broker = mqtts://[::1]:8883\nsite = a_0-b\npublic_key = newsroom.pub\n", CONFIG_OK);
    config_free(cfg);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(layers_add_messages_in_order),
        T(missing_layer_is_absent),
        T(layer_may_not_hold_display_or_fleet),
        T(layer_reads_nothing_outside_itself),
        T(duplicate_ids_name_both_places),
        T(layer_calendar_replaces_local_year),
        T(neutral_display_with_one_layer),
        T(fleet_section),
        T(fleet_section_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
