/* bundlecorpus DIR: writes the seed corpus of tests/fuzz/fuzz_bundle.c
 * (tests/fuzz/corpus/bundle/) and the TEST-ONLY key pair it is signed
 * with (DIR/../../bundle-test.key, .pub). The key comes from the fuzzer's
 * fixed seed, so the corpus can be made again byte for byte, except the
 * signatures' inputs, which are fixed too: rerunning gives the same files.
 *
 * Seeds: valid signed bundles (empty, one file, nested and non-ASCII
 * names, many files), each truncated at a few offsets, oversized header
 * lines, and signed bundles that must be refused after the signature
 * (wrong topic, replay, wrong hash, `../` and absolute names). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fleet/bundle.h"

static const uint8_t test_seed[32] = "ledticker fuzz key: TEST ONLY!!";
static uint8_t pk[32], sk[64];
static const char *dir;

static void put(const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void put_bundle(const char *name, const char *topic, uint64_t seq,
                       const struct bundle_file *files, size_t n, int cuts)
{
    uint8_t *msg;
    size_t len;
    if (bundle_encode(&msg, &len, topic, seq, files, n, sk) != BUNDLE_OK) {
        fprintf(stderr, "%s: cannot encode\n", name);
        exit(1);
    }
    put(name, msg, len);
    static const size_t at[] = { 1, 19, 40, 70, 140 };
    for (int i = 0; i < cuts; i++) {
        char cut[128];
        size_t keep = i < 5 ? at[i] : len - 1;
        if (keep >= len)
            continue;
        snprintf(cut, sizeof cut, "%s.cut%zu", name, keep);
        put(cut, msg, keep);
    }
    free(msg);
}

/* Hand-written text, signed as is (for what bundle_encode refuses to make). */
static void put_signed(const char *name, const char *body, size_t blen)
{
    uint8_t *msg = malloc(blen + 64);
    memcpy(msg, body, blen);
    crypto_sign_detached(msg + blen, NULL, msg, blen, sk);
    put(name, msg, blen + 64);
    free(msg);
}

static void put_named(const char *name, const char *file_name)
{
    char payload[512], body[1024], hex[65];
    int pn = snprintf(payload, sizeof payload, "2 %s\nhi", file_name);
    unsigned char h[32];
    crypto_hash_sha256(h, (const uint8_t *)payload, (size_t)pn);
    sodium_bin2hex(hex, sizeof hex, h, 32);
    int n = snprintf(body, sizeof body, "ledticker-bundle 1\ntopic ledticker/v1/all/config\nseq 9\n"
                     "sha256 %s\nfiles 1\n\n%s", hex, payload);
    put_signed(name, body, (size_t)n);
}

static void write_keys(const char *prefix)
{
    char path[512], b64[128];
    FILE *f;
    snprintf(path, sizeof path, "%s.key", prefix);
    sodium_bin2base64(b64, sizeof b64, sk, 64, sodium_base64_VARIANT_ORIGINAL);
    if (!(f = fopen(path, "w")) || fprintf(f, "ledticker-ed25519-secret %s\n", b64) < 0 || fclose(f))
        exit(1);
    snprintf(path, sizeof path, "%s.pub", prefix);
    sodium_bin2base64(b64, sizeof b64, pk, 32, sodium_base64_VARIANT_ORIGINAL);
    if (!(f = fopen(path, "w")) || fprintf(f, "ledticker-ed25519-public %s\n", b64) < 0 || fclose(f))
        exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bundlecorpus CORPUS_DIR KEY_PREFIX\n");
        return 2;
    }
    dir = argv[1];
    if (sodium_init() < 0)
        return 1;
    crypto_sign_seed_keypair(pk, sk, test_seed);
    write_keys(argv[2]);
    const char *all = "ledticker/v1/all/config";
    static const char ini[] = "[message a]\nheadline = 区委办：真情帮扶\nsummary_file = news/a.txt\n";
    static const char txt[] = "田间地头践初心\n";
    struct bundle_file two[] = {
        { "bundle.ini", (const uint8_t *)ini, sizeof ini - 1 },
        { "news/a.txt", (const uint8_t *)txt, sizeof txt - 1 },
    };
    put_bundle("valid-empty", all, 10, NULL, 0, 3);
    put_bundle("valid-two", all, 1764590000000ull, two, 2, 6);
    struct bundle_file cn[] = {
        { "bundle.ini", (const uint8_t *)ini, sizeof ini - 1 },
        { "新闻/今日.txt", (const uint8_t *)txt, sizeof txt - 1 },
        { "a/b/c/d.ini", (const uint8_t *)"", 0 },
    };
    put_bundle("valid-names", all, 11, cn, 3, 0);
    static struct bundle_file many[40];
    static char names[40][24];    /* room for any int: -O1 cannot see i < 40 */
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "f%02d.txt", i);
        many[i] = (struct bundle_file){ names[i], (const uint8_t *)names[i], strlen(names[i]) };
    }
    put_bundle("valid-many", all, 12, many, 40, 0);
    /* Refused after the signature. */
    put_bundle("signed-other-topic", "ledticker/v1/site/lishi-2/config", 13, two, 2, 0);
    put_bundle("signed-replay", all, 3, two, 2, 0);
    put_named("signed-dotdot", "../etc/passwd");
    put_named("signed-absolute", "/etc/passwd");
    put_named("signed-empty-component", "a//b");
    static const char wrong_hash[] = "ledticker-bundle 1\ntopic ledticker/v1/all/config\nseq 9\nsha256 "
        "0000000000000000000000000000000000000000000000000000000000000000\nfiles 1\n\n2 a\nhi";
    put_signed("signed-wrong-hash", wrong_hash, sizeof wrong_hash - 1);
    /* Oversized header lines. */
    static char big[70000];
    int n = snprintf(big, sizeof big, "ledticker-bundle 1\ntopic ");
    memset(big + n, 'a', 65000);
    n += 65000;
    n += snprintf(big + n, sizeof big - (size_t)n, "\nseq 1\nsha256 x\nfiles 0\n\n");
    put_signed("oversized-topic", big, (size_t)n);
    static const char long_seq[] = "ledticker-bundle 1\ntopic ledticker/v1/all/config\nseq "
        "99999999999999999999999999999999999999\nsha256 x\nfiles 0\n\n";
    put_signed("oversized-seq", long_seq, sizeof long_seq - 1);
    static const char many_files[] = "ledticker-bundle 1\ntopic ledticker/v1/all/config\nseq 9\nsha256 "
        "0000000000000000000000000000000000000000000000000000000000000000\nfiles 4294967297\n\n";
    put_signed("oversized-files", many_files, sizeof many_files - 1);
    static const char big_size[] = "ledticker-bundle 1\ntopic ledticker/v1/all/config\nseq 9\nsha256 "
        "0000000000000000000000000000000000000000000000000000000000000000\nfiles 1\n\n"
        "18446744073709551615 a\nhi";
    put_signed("oversized-entry", big_size, sizeof big_size - 1);
    return 0;
}
