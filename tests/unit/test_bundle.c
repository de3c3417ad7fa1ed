/* Fleet bundles: what a kiosk accepts from the broker and what it refuses.
 * Every refusal the issue lists (another key, a replay, another site's
 * topic, a wrong hash, a `../` name, 10x the size limit, a truncated
 * message) is made here from real signed bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sodium.h>

#include "fleet/bundle.h"
#include "diagcap.h"

#define TOPIC "ledticker/v1/site/lishi-1/config"

struct keys {
    uint8_t pk[BUNDLE_KEY_BYTES], sk[BUNDLE_SECRET_BYTES];
    uint8_t other_pk[BUNDLE_KEY_BYTES], other_sk[BUNDLE_SECRET_BYTES];
};

static int setup(void **state)
{
    assert_true(sodium_init() >= 0);
    struct keys *k = malloc(sizeof *k);
    crypto_sign_keypair(k->pk, k->sk);
    crypto_sign_keypair(k->other_pk, k->other_sk);
    *state = k;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static const char INI[] = "[message a]\nheadline = 区委办：真情帮扶\nsummary_file = news/a.txt\n";
static const char SUMMARY[] = "田间地头践初心\n";

static void two_files(struct bundle_file f[2])
{
    f[0] = (struct bundle_file){ "bundle.ini", (const uint8_t *)INI, sizeof INI - 1 };
    f[1] = (struct bundle_file){ "news/a.txt", (const uint8_t *)SUMMARY, sizeof SUMMARY - 1 };
}

static uint8_t *make(const struct keys *k, uint64_t seq, size_t *len)
{
    struct bundle_file f[2];
    two_files(f);
    uint8_t *msg;
    assert_int_equal(bundle_encode(&msg, len, TOPIC, seq, f, 2, k->sk), BUNDLE_OK);
    return msg;
}

/* Signs hand-written bundle text, as an attacker holding the key (or a
 * buggy newsroom) could: the checks after the signature must stand alone. */
static uint8_t *sign_raw(const struct keys *k, const char *body, size_t blen, size_t *len)
{
    uint8_t *msg = malloc(blen + BUNDLE_SIG_BYTES);
    memcpy(msg, body, blen);
    crypto_sign_detached(msg + blen, NULL, msg, blen, k->sk);
    *len = blen + BUNDLE_SIG_BYTES;
    return msg;
}

static int decode(const struct keys *k, const uint8_t *msg, size_t len,
                  const struct bundle_in_use *in_use, struct bundle **out)
{
    const uint8_t (*keys)[BUNDLE_KEY_BYTES] = &k->pk;
    struct bundle *b;
    int rc = bundle_decode(&b, msg, len, keys, 1, TOPIC, in_use);
    if (rc != BUNDLE_OK)
        assert_null(b);
    if (out)
        *out = b;
    else
        bundle_free(b);
    return rc;
}

static void round_trip(void **state)
{
    struct keys *k = *state;
    size_t len;
    uint8_t *msg = make(k, 1764590000000ull, &len);
    assert_memory_equal(msg, "ledticker-bundle 1\ntopic " TOPIC "\nseq 1764590000000\nsha256 ", 77);
    struct bundle *b;
    assert_int_equal(decode(k, msg, len, NULL, &b), BUNDLE_OK);
    assert_true(bundle_seq(b) == 1764590000000ull);
    assert_string_equal(bundle_topic(b), TOPIC);
    assert_int_equal(strlen(bundle_sha256(b)), 64);
    assert_int_equal(bundle_file_count(b), 2);
    const struct bundle_file *f = bundle_file_at(b, 1);
    assert_string_equal(f->name, "news/a.txt");
    assert_int_equal(f->size, sizeof SUMMARY - 1);
    assert_memory_equal(f->data, SUMMARY, f->size);
    assert_memory_equal(bundle_find(b, "bundle.ini")->data, INI, sizeof INI - 1);
    assert_null(bundle_find(b, "x"));
    assert_null(bundle_file_at(b, 2));
    /* The hash is the SHA-256 of the payload as written. */
    const char *pl = strstr((const char *)msg, "\n\n") + 2;
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const uint8_t *)pl, (size_t)(msg + len - 64 - (const uint8_t *)pl));
    sodium_bin2hex(hex, sizeof hex, h, 32);
    assert_string_equal(bundle_sha256(b), hex);
    bundle_free(b);
    free(msg);
}

static void empty_bundle_withdraws(void **state)
{
    struct keys *k = *state;
    uint8_t *msg;
    size_t len;
    assert_int_equal(bundle_encode(&msg, &len, TOPIC, 5, NULL, 0, k->sk), BUNDLE_OK);
    struct bundle *b;
    assert_int_equal(decode(k, msg, len, NULL, &b), BUNDLE_OK);
    assert_int_equal(bundle_file_count(b), 0);
    bundle_free(b);
    free(msg);
}

static void other_key_refused_rotation_accepted(void **state)
{
    struct keys *k = *state;
    size_t len;
    uint8_t *msg = make(k, 10, &len);
    struct bundle *b;
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])k->other_pk, 1, TOPIC, NULL),
                     BUNDLE_ERR_SIGNATURE);
    assert_null(b);
    uint8_t both[2][BUNDLE_KEY_BYTES];
    memcpy(both[0], k->other_pk, 32);
    memcpy(both[1], k->pk, 32);
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])both, 2, TOPIC, NULL), BUNDLE_OK);
    bundle_free(b);
    assert_int_equal(bundle_decode(&b, msg, len, NULL, 0, TOPIC, NULL), BUNDLE_ERR_KEY);
    free(msg);
    /* Signed by the other key, checked against ours. */
    struct bundle_file f[2];
    two_files(f);
    assert_int_equal(bundle_encode(&msg, &len, TOPIC, 11, f, 2, k->other_sk), BUNDLE_OK);
    assert_int_equal(decode(k, msg, len, NULL, NULL), BUNDLE_ERR_SIGNATURE);
    free(msg);
}

static void replay_and_same(void **state)
{
    struct keys *k = *state;
    size_t len;
    uint8_t *msg = make(k, 100, &len);
    struct bundle *b;
    assert_int_equal(decode(k, msg, len, NULL, &b), BUNDLE_OK);
    struct bundle_in_use in_use = { 100, "" };
    memcpy(in_use.sha256, bundle_sha256(b), 65);
    bundle_free(b);
    /* The retained message again, on reconnect: a quiet no-op. */
    assert_int_equal(decode(k, msg, len, &in_use, NULL), BUNDLE_SAME);
    /* An older one: refused. */
    in_use.seq = 101;
    assert_int_equal(decode(k, msg, len, &in_use, NULL), BUNDLE_ERR_REPLAY);
    /* Same seq, other content: refused too. */
    in_use.seq = 100;
    in_use.sha256[0] = in_use.sha256[0] == 'a' ? 'b' : 'a';
    assert_int_equal(decode(k, msg, len, &in_use, NULL), BUNDLE_ERR_REPLAY);
    /* Newer than in use: accepted. */
    in_use.seq = 99;
    assert_int_equal(decode(k, msg, len, &in_use, NULL), BUNDLE_OK);
    struct bundle_in_use none = { 0, "" };
    assert_int_equal(decode(k, msg, len, &none, NULL), BUNDLE_OK);
    free(msg);
}

static void wrong_topic_refused(void **state)
{
    struct keys *k = *state;
    size_t len;
    uint8_t *msg = make(k, 7, &len);
    struct bundle *b;
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])k->pk, 1,
                                   "ledticker/v1/site/lishi-2/config", NULL), BUNDLE_ERR_TOPIC);
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])k->pk, 1,
                                   "ledticker/v1/site/lishi-1/config/x", NULL), BUNDLE_ERR_TOPIC);
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])k->pk, 1,
                                   "ledticker/v1/site/lishi-1/confi", NULL), BUNDLE_ERR_TOPIC);
    free(msg);
}

static void wrong_hash_with_valid_signature(void **state)
{
    struct keys *k = *state;
    char body[512];
    int n = snprintf(body, sizeof body,
                     "ledticker-bundle 1\ntopic %s\nseq 9\nsha256 %064d\nfiles 1\n\n4 bundle.ini\nabcd",
                     TOPIC, 0);
    size_t len;
    uint8_t *msg = sign_raw(k, body, (size_t)n, &len);
    assert_int_equal(decode(k, msg, len, NULL, NULL), BUNDLE_ERR_HASH);
    free(msg);
}

/* A signed bundle with one file of this name (and a correct hash). */
static int decode_named(const struct keys *k, const char *name, size_t name_len)
{
    char payload[600];
    int pn = snprintf(payload, sizeof payload, "2 ");
    memcpy(payload + pn, name, name_len);
    pn += (int)name_len;
    memcpy(payload + pn, "\nhi", 3);
    pn += 3;
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const uint8_t *)payload, (size_t)pn);
    sodium_bin2hex(hex, sizeof hex, h, 32);
    char body[1024];
    int n = snprintf(body, sizeof body, "ledticker-bundle 1\ntopic %s\nseq 9\nsha256 %s\nfiles 1\n\n",
                     TOPIC, hex);
    memcpy(body + n, payload, (size_t)pn);
    size_t len;
    uint8_t *msg = sign_raw(k, body, (size_t)n + (size_t)pn, &len);
    int rc = decode(k, msg, len, NULL, NULL);
    free(msg);
    return rc;
}

static void bad_names_refused(void **state)
{
    struct keys *k = *state;
    static const char *const bad[] = {
        "../etc/passwd", "a/../../b", "..", "/etc/passwd", "a//b", "./a", "a/.", "a/",
        "", "a b", "a\\b", "a:b", "~root", "\xff\xfe", "a\x01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(bundle_name_ok(bad[i]), 0);
        assert_int_equal(decode_named(k, bad[i], strlen(bad[i])), BUNDLE_ERR_NAME);
        struct bundle_file f = { bad[i], (const uint8_t *)"x", 1 };
        uint8_t *msg;
        size_t len;
        assert_int_equal(bundle_encode(&msg, &len, TOPIC, 1, &f, 1, k->sk), BUNDLE_ERR_NAME);
        assert_null(msg);
    }
    assert_int_equal(decode_named(k, "a\0b", 3), BUNDLE_ERR_NAME);
    char longname[300];
    memset(longname, 'a', sizeof longname);
    assert_int_equal(decode_named(k, longname, 256), BUNDLE_ERR_NAME);
    assert_int_equal(decode_named(k, longname, 255), BUNDLE_OK);
    assert_int_equal(decode_named(k, "news/区委.txt", strlen("news/区委.txt")), BUNDLE_OK);
    assert_int_equal(decode_named(k, "..a/b..c/.d", 11), BUNDLE_OK);
    /* Duplicates. */
    struct bundle_file dup[2] = { { "a.ini", (const uint8_t *)"x", 1 }, { "a.ini", (const uint8_t *)"y", 1 } };
    uint8_t *msg;
    size_t len;
    assert_int_equal(bundle_encode(&msg, &len, TOPIC, 1, dup, 2, k->sk), BUNDLE_ERR_NAME);
}

static void too_big_refused(void **state)
{
    struct keys *k = *state;
    size_t big = 10u * BUNDLE_MAX_BYTES;
    uint8_t *msg = calloc(1, big);
    size_t len;
    uint8_t *good = make(k, 3, &len);
    memcpy(msg, good, len);             /* a valid start does not help */
    assert_int_equal(decode(k, msg, big, NULL, NULL), BUNDLE_ERR_TOO_BIG);
    assert_int_equal(decode(k, msg, BUNDLE_MAX_BYTES + 1, NULL, NULL), BUNDLE_ERR_TOO_BIG);
    /* The newsroom side refuses to build one. */
    struct bundle_file f = { "bundle.ini", msg, BUNDLE_MAX_BYTES - 100 };
    uint8_t *out;
    assert_int_equal(bundle_encode(&out, &len, TOPIC, 1, &f, 1, k->sk), BUNDLE_ERR_TOO_BIG);
    f.size = BUNDLE_MAX_BYTES - 300;    /* just fits: about 250 bytes of framing */
    assert_int_equal(bundle_encode(&out, &len, TOPIC, 1, &f, 1, k->sk), BUNDLE_OK);
    assert_true(len <= BUNDLE_MAX_BYTES);
    assert_int_equal(decode(k, out, len, NULL, NULL), BUNDLE_OK);
    free(out);
    free(good);
    free(msg);
}

static void truncated_and_flipped_refused(void **state)
{
    struct keys *k = *state;
    size_t len;
    uint8_t *msg = make(k, 42, &len);
    for (size_t cut = 0; cut < len; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);     /* exact size: ASan sees overreads */
        memcpy(copy, msg, cut);
        int rc = decode(k, copy, cut, NULL, NULL);
        if (rc != BUNDLE_ERR_FORMAT && rc != BUNDLE_ERR_SIGNATURE)
            fail_msg("cut at %zu of %zu: %s", cut, len, bundle_strerror(rc));
        free(copy);
    }
    for (size_t i = 0; i < len; i++) {
        msg[i] ^= 0x20;
        int rc = decode(k, msg, len, NULL, NULL);
        if (rc == BUNDLE_OK)
            fail_msg("a flipped byte at %zu still decodes", i);
        msg[i] ^= 0x20;
    }
    free(msg);
}

static void malformed_headers_refused(void **state)
{
    struct keys *k = *state;
    static const char *const bodies[] = {
        "ledticker-bundle 2\ntopic t\nseq 1\nsha256 %s\nfiles 0\n\n",
        "ledticker-bundle 1\ntopic \nseq 1\nsha256 %s\nfiles 0\n\n",
        "ledticker-bundle 1\ntopic t\nseq 01\nsha256 %s\nfiles 0\n\n",
        "ledticker-bundle 1\ntopic t\nseq 18446744073709551616\nsha256 %s\nfiles 0\n\n",
        "ledticker-bundle 1\ntopic t\nseq -1\nsha256 %s\nfiles 0\n\n",
        "ledticker-bundle 1\ntopic t\nseq 1\nsha256 %s\nfiles 257\n\n",
        "ledticker-bundle 1\ntopic t\nseq 1\nsha256 %s\nfiles 1\n\n",
        "ledticker-bundle 1\ntopic t\nseq 1\nsha256 %s\nfiles 0\n\nextra",
        "ledticker-bundle 1\ntopic t\nseq 1\nsha256 %s\nfiles 0\n",
        "ledticker-bundle 1\ntopic t\nseq 1\nsha256 %s\nfiles 1\n\n99999999 a\nx",
        "ledticker-bundle 1\ntopic t\nseq 1\nsha256 %s\nfiles 1\n\n1 a",
    };
    /* The hash of an empty payload, so only the framing is wrong. */
    char hex[65];
    unsigned char h[32];
    crypto_hash_sha256(h, (const uint8_t *)"", 0);
    sodium_bin2hex(hex, sizeof hex, h, 32);
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        char body[256];
        int n = snprintf(body, sizeof body, bodies[i], hex);
        size_t len;
        uint8_t *msg = sign_raw(k, body, (size_t)n, &len);
        struct bundle *b;
        int rc = bundle_decode(&b, msg, len, (const uint8_t (*)[32])k->pk, 1, NULL, NULL);
        if (rc != BUNDLE_ERR_FORMAT)
            fail_msg("body %zu: %s", i, bundle_strerror(rc));
        free(msg);
    }
    /* Uppercase hex is another spelling: refused. */
    char body[256];
    for (char *p = hex; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 32);
    int n = snprintf(body, sizeof body, "ledticker-bundle 1\ntopic t\nseq 1\nsha256 %s\nfiles 0\n\n", hex);
    size_t len;
    uint8_t *msg = sign_raw(k, body, (size_t)n, &len);
    struct bundle *b;
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])k->pk, 1, NULL, NULL),
                     BUNDLE_ERR_FORMAT);
    free(msg);
}

static void keygen_files(void **state)
{
    (void)state;
    char dir[256], prefix[300], path[320];
    tmpdir_make(dir, sizeof dir);
    snprintf(prefix, sizeof prefix, "%s/newsroom", dir);
    struct diagcap cap;
    diagcap_init(&cap);
    assert_int_equal(bundle_keygen(prefix, &cap.diag), 0);
    struct stat st;
    snprintf(path, sizeof path, "%s.key", prefix);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    uint8_t sk[64], pk[32];
    assert_int_equal(bundle_key_read_secret(path, sk, &cap.diag), 0);
    assert_int_equal(bundle_key_read_public(path, pk, &cap.diag), BUNDLE_ERR_KEY);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "not a public key file"));
    snprintf(path, sizeof path, "%s.pub", prefix);
    assert_int_equal(bundle_key_read_public(path, pk, &cap.diag), 0);
    /* The pair works together. */
    uint8_t *msg;
    size_t len;
    assert_int_equal(bundle_encode(&msg, &len, TOPIC, 1, NULL, 0, sk), BUNDLE_OK);
    struct bundle *b;
    assert_int_equal(bundle_decode(&b, msg, len, (const uint8_t (*)[32])pk, 1, TOPIC, NULL), BUNDLE_OK);
    bundle_free(b);
    free(msg);
    /* Never overwrites. */
    char before[200];
    FILE *f = fopen(path, "r");
    assert_non_null(fgets(before, sizeof before, f));
    fclose(f);
    assert_int_equal(bundle_keygen(prefix, &cap.diag), BUNDLE_ERR_IO);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "never overwrites"));
    char after[200];
    f = fopen(path, "r");
    assert_non_null(fgets(after, sizeof after, f));
    fclose(f);
    assert_string_equal(before, after);
    /* A damaged key is refused, naming the file. */
    tmpdir_write(dir, "bad.key", "ledticker-ed25519-secret AAAA\n");
    snprintf(path, sizeof path, "%s/bad.key", dir);
    chmod(path, 0600);
    assert_int_equal(bundle_key_read_secret(path, sk, &cap.diag), BUNDLE_ERR_KEY);
    const struct diagcap_msg *m = diagcap_find(&cap, DIAG_ERROR, "base64");
    assert_non_null(m);
    assert_string_equal(m->file, path);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(empty_bundle_withdraws),
        cmocka_unit_test(other_key_refused_rotation_accepted),
        cmocka_unit_test(replay_and_same),
        cmocka_unit_test(wrong_topic_refused),
        cmocka_unit_test(wrong_hash_with_valid_signature),
        cmocka_unit_test(bad_names_refused),
        cmocka_unit_test(too_big_refused),
        cmocka_unit_test(truncated_and_flipped_refused),
        cmocka_unit_test(malformed_headers_refused),
        cmocka_unit_test(keygen_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
