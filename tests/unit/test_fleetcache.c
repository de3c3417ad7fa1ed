/* The kiosk's bundle cache: what survives a crash, what is played, what an
 * edit by hand does. Real signed bundles, a real temporary directory. */
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
#include <sodium.h>

#include "fleet/fleetcache.h"
#include "diagcap.h"

#define TOPIC "ledticker/v1/all/config"

struct fx {
    uint8_t pk[1][BUNDLE_KEY_BYTES], sk[BUNDLE_SECRET_BYTES];
    char dir[256];
};

static int setup(void **state)
{
    assert_true(sodium_init() >= 0);
    struct fx *f = calloc(1, sizeof *f);
    crypto_sign_keypair(f->pk[0], f->sk);
    tmpdir_make(f->dir, sizeof f->dir);
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

/* A signed bundle whose bundle.ini says `text` (no files when text is NULL). */
static uint8_t *make(const struct fx *f, uint64_t seq, const char *text, size_t *len,
                     struct bundle **b)
{
    struct bundle_file files[2] = {
        { "bundle.ini", (const uint8_t *)text, text ? strlen(text) : 0 },
        { "news/today.txt", (const uint8_t *)"今天\n", strlen("今天\n") },
    };
    uint8_t *msg;
    assert_int_equal(bundle_encode(&msg, len, TOPIC, seq, files, text ? 2 : 0, f->sk), BUNDLE_OK);
    assert_int_equal(bundle_decode(b, msg, *len, (const uint8_t (*)[32])f->pk, 1, TOPIC, NULL), BUNDLE_OK);
    return msg;
}

static void store(const struct fx *f, uint64_t seq, const char *text)
{
    size_t len;
    struct bundle *b;
    uint8_t *msg = make(f, seq, text, &len, &b);
    char staged[512];
    assert_int_equal(fleetcache_stage(f->dir, FLEETCACHE_ALL, b, msg, len, staged, sizeof staged), 0);
    assert_int_equal(fleetcache_commit(f->dir, FLEETCACHE_ALL, b), 0);
    bundle_free(b);
    free(msg);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static int exists(const char *dir, const char *rel)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    struct stat st;
    return lstat(p, &st) == 0;
}

static uint64_t in_use_seq(const struct fx *f, int *rc)
{
    struct bundle_in_use u;
    *rc = fleetcache_in_use(f->dir, FLEETCACHE_ALL, (const uint8_t (*)[32])f->pk, 1, TOPIC, &u);
    return u.seq;
}

static void empty_cache_has_nothing_in_use(void **state)
{
    struct fx *f = *state;
    int rc;
    assert_int_equal(in_use_seq(f, &rc), 0);
    assert_int_equal(rc, 0);
    char root[512];
    assert_int_equal(fleetcache_root(f->dir, FLEETCACHE_SITE_EMERGENCY, root, sizeof root), 0);
    assert_non_null(strstr(root, "/site-emergency/current/bundle.ini"));
    assert_int_equal(fleetcache_root(f->dir, FLEETCACHE_ALL, root, 10), BUNDLE_ERR_NO_MEM);
    assert_string_equal(fleetcache_layer_name(FLEETCACHE_ALL_EMERGENCY), "all-emergency");
}

static void store_then_replace_keeps_previous_only(void **state)
{
    struct fx *f = *state;
    char root[512];
    fleetcache_root(f->dir, FLEETCACHE_ALL, root, sizeof root);
    store(f, 100, "[message a]\nheadline = one\n");
    assert_string_equal(slurp(root), "[message a]\nheadline = one\n");
    char p[600];
    snprintf(p, sizeof p, "%s/all/current/news/today.txt", f->dir);
    assert_string_equal(slurp(p), "今天\n");
    int rc;
    assert_int_equal(in_use_seq(f, &rc), 100);
    assert_int_equal(rc, 0);

    store(f, 200, "[message a]\nheadline = two\n");
    assert_string_equal(slurp(root), "[message a]\nheadline = two\n");
    assert_true(exists(f->dir, "all/100") && exists(f->dir, "all/100.bundle"));
    store(f, 300, "[message a]\nheadline = three\n");
    assert_string_equal(slurp(root), "[message a]\nheadline = three\n");
    assert_false(exists(f->dir, "all/100") || exists(f->dir, "all/100.bundle"));
    assert_true(exists(f->dir, "all/200") && exists(f->dir, "all/300.bundle"));
    char target[64] = "";
    snprintf(p, sizeof p, "%s/all/current", f->dir);
    assert_true(readlink(p, target, sizeof target - 1) > 0);
    assert_string_equal(target, "300");
    assert_int_equal(in_use_seq(f, &rc), 300);
}

static void staged_is_not_in_use_and_discard_leaves_nothing(void **state)
{
    struct fx *f = *state;
    store(f, 100, "[message a]\nheadline = one\n");
    size_t len;
    struct bundle *b;
    uint8_t *msg = make(f, 150, "[message a]\nheadline = staged\n", &len, &b);
    char staged[512], root[512], p[600];
    assert_int_equal(fleetcache_stage(f->dir, FLEETCACHE_ALL, b, msg, len, staged, sizeof staged), 0);
    snprintf(p, sizeof p, "%s/bundle.ini", staged);
    assert_string_equal(slurp(p), "[message a]\nheadline = staged\n");
    fleetcache_root(f->dir, FLEETCACHE_ALL, root, sizeof root);
    assert_string_equal(slurp(root), "[message a]\nheadline = one\n");
    int rc;
    assert_int_equal(in_use_seq(f, &rc), 100);
    fleetcache_discard(staged);
    assert_false(exists(f->dir, "all/150.new") || exists(f->dir, "all/150.new.bundle"));
    assert_int_equal(in_use_seq(f, &rc), 100);
    bundle_free(b);
    free(msg);
}

static void crash_leftovers_ignored_then_cleaned(void **state)
{
    struct fx *f = *state;
    store(f, 100, "[message a]\nheadline = one\n");
    /* A crash half way through staging 200, and through a link swap. */
    char p[600];
    snprintf(p, sizeof p, "%s/all/200.new", f->dir);
    mkdir(p, 0755);
    tmpdir_write(p, "bundle.ini", "[message a]\nheadline = ha");
    snprintf(p, sizeof p, "%s/all", f->dir);
    tmpdir_write(p, "200.new.bundle", "ledticker-bundle 1\ntopic");
    snprintf(p, sizeof p, "%s/all/current.tmp", f->dir);
    assert_int_equal(symlink("200.new", p), 0);
    int rc;
    assert_int_equal(in_use_seq(f, &rc), 100);
    assert_int_equal(rc, 0);
    char root[512];
    fleetcache_root(f->dir, FLEETCACHE_ALL, root, sizeof root);
    assert_string_equal(slurp(root), "[message a]\nheadline = one\n");
    /* The same seq arrives again: staged clean, committed, leftovers gone. */
    store(f, 200, "[message a]\nheadline = two\n");
    assert_string_equal(slurp(root), "[message a]\nheadline = two\n");
    assert_false(exists(f->dir, "all/200.new") || exists(f->dir, "all/200.new.bundle")
                 || exists(f->dir, "all/current.tmp"));
    assert_int_equal(in_use_seq(f, &rc), 200);
}

static void hand_edited_cache_refused(void **state)
{
    struct fx *f = *state;
    store(f, 100, "[message a]\nheadline = one\n");
    char p[600];
    snprintf(p, sizeof p, "%s/all/100", f->dir);
    tmpdir_write(p, "bundle.ini", "[message a]\nheadline = forged\n");
    int rc;
    assert_int_equal(in_use_seq(f, &rc), 100);      /* the floor against replays stays */
    assert_int_equal(rc, BUNDLE_ERR_HASH);
    /* Its raw message edited: the signature fails. */
    store(f, 200, "[message a]\nheadline = two\n");
    assert_int_equal(in_use_seq(f, &rc), 200);
    assert_int_equal(rc, 0);
    snprintf(p, sizeof p, "%s/all/200.bundle", f->dir);
    FILE *fp = fopen(p, "r+");
    fseek(fp, 60, SEEK_SET);
    fputc('9', fp);
    fclose(fp);
    assert_int_equal(in_use_seq(f, &rc), 200);
    assert_true(rc == BUNDLE_ERR_SIGNATURE || rc == BUNDLE_ERR_FORMAT);
    /* Another key configured: refused too. */
    struct bundle_in_use u;
    uint8_t other[1][32] = { { 1 } };
    store(f, 300, "[message a]\nheadline = three\n");
    assert_int_equal(fleetcache_in_use(f->dir, FLEETCACHE_ALL, (const uint8_t (*)[32])other, 1, TOPIC, &u),
                     BUNDLE_ERR_SIGNATURE);
}

static void withdrawal_keeps_its_seq(void **state)
{
    struct fx *f = *state;
    store(f, 100, "[message a]\nheadline = one\n");
    store(f, 200, NULL);
    char root[512];
    fleetcache_root(f->dir, FLEETCACHE_ALL, root, sizeof root);
    assert_int_equal(access(root, F_OK), -1);       /* the layer is absent */
    struct bundle_in_use u;
    assert_int_equal(fleetcache_in_use(f->dir, FLEETCACHE_ALL, (const uint8_t (*)[32])f->pk, 1, TOPIC, &u), 0);
    assert_true(u.seq == 200);
    /* The old bundle replayed after the withdrawal is refused. */
    size_t len;
    struct bundle *b;
    uint8_t *msg = make(f, 100, "[message a]\nheadline = one\n", &len, &b);
    bundle_free(b);
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])f->pk, 1, TOPIC, &u),
                     BUNDLE_ERR_REPLAY);
    free(msg);
    /* A new bundle brings the layer back. */
    store(f, 300, "[message a]\nheadline = back\n");
    assert_int_equal(access(root, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(empty_cache_has_nothing_in_use, setup, teardown),
        cmocka_unit_test_setup_teardown(store_then_replace_keeps_previous_only, setup, teardown),
        cmocka_unit_test_setup_teardown(staged_is_not_in_use_and_discard_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(crash_leftovers_ignored_then_cleaned, setup, teardown),
        cmocka_unit_test_setup_teardown(hand_edited_cache_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(withdrawal_keeps_its_seq, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
