/* A kiosk's config as its panel plays it (src/cli/fleetlayers.c): the
 * local file with the fleet's cached bundles laid over it, in order; a cache that does not verify
 * with the configured keys is not laid, and once the client has stored a
 * good bundle there it is. Real keys, real signed bundles in a real cache
 * (fleetcache.h), real config loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "cli/fleetlayers.h"
#include "diagcap.h"

struct fx {
    char dir[256], kiosk[512], cache[512];
    uint8_t sk[BUNDLE_SECRET_BYTES];
    struct diagcap cap;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    tmpdir_make(f->dir, sizeof f->dir);
    snprintf(f->cache, sizeof f->cache, "%s/cache", f->dir);
    snprintf(f->kiosk, sizeof f->kiosk, "%s/kiosk.ini", f->dir);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/newsroom", f->dir);
    diagcap_init(&f->cap);
    assert_int_equal(bundle_keygen(prefix, &f->cap.diag), BUNDLE_OK);
    strcat(prefix, ".key");
    assert_int_equal(bundle_key_read_secret(prefix, f->sk, &f->cap.diag), BUNDLE_OK);
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

/* The kiosk's own file: [fleet] (with `site` when not NULL) and one message. */
static void write_kiosk(struct fx *f, const char *site)
{
    char text[2048];
    snprintf(text, sizeof text,
             "[display]\nboard = hub75-256x32\n"
             "[message local]\nheadline = 本地\n"
             "[fleet]\nbroker = mqtts://127.0.0.1\n%s%s%s"
             "public_key = %s/newsroom.pub\ncache_dir = %s\n",
             site ? "site = " : "", site ? site : "", site ? "\n" : "", f->dir, f->cache);
    tmpdir_write(f->dir, "kiosk.ini", text);
}

/* Signs `ini` as bundle.ini for `topic` and stores it in layer l. */
static void store(struct fx *f, enum fleetcache_layer l, const char *topic, uint64_t seq,
                  const char *ini)
{
    struct bundle_file file = { "bundle.ini", (const uint8_t *)ini, strlen(ini) };
    uint8_t *msg;
    size_t len;
    assert_int_equal(bundle_encode(&msg, &len, topic, seq, &file, 1, f->sk), BUNDLE_OK);
    uint8_t pk[1][BUNDLE_KEY_BYTES];
    char pub[300];
    snprintf(pub, sizeof pub, "%s/newsroom.pub", f->dir);
    assert_int_equal(bundle_key_read_public(pub, pk[0], &f->cap.diag), BUNDLE_OK);
    struct bundle *b;
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])pk, 1, topic, NULL),
                     BUNDLE_OK);
    char staged[600];
    assert_int_equal(fleetcache_stage(f->cache, l, b, msg, len, staged, sizeof staged), 0);
    assert_int_equal(fleetcache_commit(f->cache, l, b), 0);
    bundle_free(b);
    free(msg);
}

/* The IDs of the config loaded with fl's layers, "a b c", or "(errors)". */
static const char *load_ids(struct fx *f, struct fleetlayers *fl)
{
    static char ids[512];
    struct config_options o = { 0 };
    fleetlayers_install(fl, &o);
    struct config *cfg;
    if (config_load(&cfg, f->kiosk, &o, &f->cap.diag) != CONFIG_OK)
        return "(errors)";
    *ids = '\0';
    for (size_t i = 0; i < config_message_count(cfg); i++)
        snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? " " : "",
                 config_message_at(cfg, i)->id);
    config_free(cfg);
    return ids;
}

static void no_fleet_no_layers(void **state)
{
    struct fx *f = *state;
    tmpdir_write(f->dir, "kiosk.ini", "[message local]\nheadline = x\n");
    struct fleetlayers fl;
    assert_int_equal(fleetlayers_open(&fl, f->kiosk, NULL, &f->cap.diag), 0);
    assert_null(fl.fleet);
    assert_string_equal(load_ids(f, &fl), "local");
    assert_int_equal(fl.count, 0);
    fleetlayers_close(&fl);
}

static void empty_cache_plays_local(void **state)
{
    struct fx *f = *state;
    write_kiosk(f, "lishi-1");
    struct fleetlayers fl;
    assert_int_equal(fleetlayers_open(&fl, f->kiosk, NULL, &f->cap.diag), 0);
    assert_non_null(fl.fleet);
    assert_string_equal(load_ids(f, &fl), "local");
    assert_int_equal(fl.count, 4);
    assert_int_equal(diagcap_count(&f->cap, DIAG_WARN) + diagcap_count(&f->cap, DIAG_ERROR), 0);
    fleetlayers_close(&fl);
}

/* all, site, the emergencies: laid in that order, each from its topic. */
static void layers_in_order(void **state)
{
    struct fx *f = *state;
    write_kiosk(f, "lishi-1");
    store(f, FLEETCACHE_ALL, "ledticker/v1/all/config", 10, "[message all-1]\nheadline = a\n");
    store(f, FLEETCACHE_SITE, "ledticker/v1/site/lishi-1/config", 11,
          "[message site-1]\nheadline = s\n");
    store(f, FLEETCACHE_ALL_EMERGENCY, "ledticker/v1/all/emergency", 12,
          "[message fleet-emergency-all]\nheadline = e\nemergency = yes\n");
    store(f, FLEETCACHE_SITE_EMERGENCY, "ledticker/v1/site/lishi-1/emergency", 13,
          "[message fleet-emergency-site]\nheadline = e\nemergency = yes\n");
    struct fleetlayers fl;
    assert_int_equal(fleetlayers_open(&fl, f->kiosk, NULL, &f->cap.diag), 0);
    assert_string_equal(load_ids(f, &fl),
                        "local all-1 site-1 fleet-emergency-all fleet-emergency-site");
    fleetlayers_close(&fl);
}

/* A cache whose raw message someone edited is not played; once the client
 * stores a good bundle there (fleetlayers_accept), it is. */
static void tampered_cache_not_laid_until_accepted(void **state)
{
    struct fx *f = *state;
    write_kiosk(f, "lishi-1");
    store(f, FLEETCACHE_ALL, "ledticker/v1/all/config", 10, "[message all-1]\nheadline = a\n");
    char raw[700];
    snprintf(raw, sizeof raw, "%s/all/10.bundle", f->cache);
    FILE *fp = fopen(raw, "r+b");
    assert_non_null(fp);
    fseek(fp, -70, SEEK_END);
    fputc('X', fp);
    fclose(fp);
    struct fleetlayers fl;
    assert_int_equal(fleetlayers_open(&fl, f->kiosk, NULL, &f->cap.diag), 0);
    assert_non_null(diagcap_find(&f->cap, DIAG_WARN, "not what was signed"));
    assert_string_equal(load_ids(f, &fl), "local");
    /* The client stores a good bundle: the same config, the layer laid. */
    store(f, FLEETCACHE_ALL, "ledticker/v1/all/config", 20, "[message all-2]\nheadline = b\n");
    assert_true(fleetlayers_accept(&fl, FLEETCACHE_ALL));
    assert_false(fleetlayers_accept(&fl, FLEETCACHE_ALL));
    struct config_options o = { .layers = fl.layers, .layer_count = fl.count };
    struct config *cfg;
    assert_int_equal(config_load(&cfg, f->kiosk, &o, &f->cap.diag), CONFIG_OK);
    assert_int_equal(config_message_count(cfg), 2);
    assert_string_equal(config_message_at(cfg, 1)->id, "all-2");
    config_free(cfg);
    fleetlayers_close(&fl);
}

/* The client's check: the staged bundle in its layer's place, the others
 * as they are (a refused one laid once stored[] says so). */
static void with_staged_root(void **state)
{
    struct fx *f = *state;
    write_kiosk(f, "lishi-1");
    store(f, FLEETCACHE_ALL, "ledticker/v1/all/config", 10, "[message all-1]\nheadline = a\n");
    char staged[600];
    snprintf(staged, sizeof staged, "%s/staged", f->dir);
    assert_int_equal(mkdir(staged, 0755), 0);
    tmpdir_write(staged, "bundle.ini", "[message local]\nheadline = clash\n");
    strcat(staged, "/bundle.ini");
    struct fleetlayers fl;
    assert_int_equal(fleetlayers_open(&fl, f->kiosk, NULL, &f->cap.diag), 0);
    struct config_layer layers[FLEETCACHE_LAYERS];
    size_t n = fleetlayers_with(&fl, FLEETCACHE_SITE, staged, NULL, layers);
    assert_int_equal(n, 4);
    assert_string_equal(layers[1].path, staged);
    assert_string_equal(layers[0].path, fl.root[FLEETCACHE_ALL]);
    struct config_options o = { .layers = layers, .layer_count = n };
    struct config *cfg;
    /* The staged site bundle reuses a local ID: refused, naming both places. */
    assert_int_equal(config_load(&cfg, f->kiosk, &o, &f->cap.diag), CONFIG_ERR_INVALID);
    assert_non_null(diagcap_find(&f->cap, DIAG_ERROR, "local"));
    fleetlayers_close(&fl);
}

/* A local file with errors: no layers, and the real load reports them. */
static void broken_local_reports_once(void **state)
{
    struct fx *f = *state;
    tmpdir_write(f->dir, "kiosk.ini", "[message x]\ncolor = #GG0000\n");
    struct fleetlayers fl;
    assert_int_equal(fleetlayers_open(&fl, f->kiosk, NULL, &f->cap.diag), 0);
    assert_null(fl.fleet);
    assert_int_equal(diagcap_count(&f->cap, DIAG_ERROR), 0);
    assert_string_equal(load_ids(f, &fl), "(errors)");
    assert_true(diagcap_count(&f->cap, DIAG_ERROR) >= 1);
    fleetlayers_close(&fl);
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(no_fleet_no_layers, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_cache_plays_local, setup, teardown),
        cmocka_unit_test_setup_teardown(layers_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(tampered_cache_not_laid_until_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(with_staged_root, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_local_reports_once, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
