/* bundlecraft — writes fleet bundles that `ledticker publish` never would,
 * for the e2e tests of what a kiosk refuses (tests/e2e/fleet_refuse.sh).
 *
 *   bundlecraft --key PREFIX.key --topic TOPIC [--seq N] [--bad-hash]
 *               [--pad BYTES] NAME=FILE... > OUT
 *
 * Each NAME=FILE becomes a file NAME of the bundle with FILE's bytes, with
 * no check of the name or the contents (`../x.ini` and a bundle.ini with
 * [display] are the point). The framing, SHA-256 and Ed25519 signature are
 * the wire format of src/fleet/bundle.h, signed with the given secret key
 * (read through bundle.h), so that a kiosk's checks before the one under
 * test all pass:
 *   --seq N       the sequence number (default: now, in ms since the epoch)
 *   --bad-hash    the header's SHA-256 is that of other bytes (the signature
 *                 still covers the header as written: only the hash is wrong)
 *   --pad BYTES   one more file, pad.bin, of BYTES zero bytes (a bundle over
 *                 the size limit that is otherwise well formed) */
#include <getopt.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "fleet/bundle.h"

struct buf {
    unsigned char *p;
    size_t n, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = (b->n + n) * 2;
        unsigned char *grown = realloc(b->p, cap);
        if (!grown) {
            fprintf(stderr, "bundlecraft: out of memory\n");
            exit(1);
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

static void put_text(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    struct buf b = { 0 };
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        put(&b, chunk, n);
    fclose(f);
    *len = b.n;
    return b.p ? b.p : calloc(1, 1);
}

static void entry(struct buf *payload, const char *name, const unsigned char *data, size_t n)
{
    char head[512];
    snprintf(head, sizeof head, "%zu %s\n", n, name);
    put_text(payload, head);
    if (n)
        put(payload, data, n);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "key", required_argument, NULL, 'k' }, { "topic", required_argument, NULL, 't' },
        { "seq", required_argument, NULL, 's' }, { "bad-hash", no_argument, NULL, 'h' },
        { "pad", required_argument, NULL, 'p' }, { 0 } };
    const char *key = NULL, *topic = NULL;
    unsigned long long seq = 0;
    size_t pad = 0;
    bool bad_hash = false;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': key = optarg; break;
        case 't': topic = optarg; break;
        case 's': seq = strtoull(optarg, NULL, 10); break;
        case 'h': bad_hash = true; break;
        case 'p': pad = (size_t)strtoull(optarg, NULL, 10); break;
        default: return 2;
        }
    }
    if (!key || !topic) {
        fprintf(stderr, "usage: bundlecraft --key PREFIX.key --topic TOPIC [--seq N] "
                "[--bad-hash] [--pad BYTES] NAME=FILE... > OUT\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    uint8_t secret[64];
    struct diag d = { 0 };
    if (bundle_key_read_secret(key, secret, &d) != BUNDLE_OK)
        return 1;
    if (!seq) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        seq = (unsigned long long)tv.tv_sec * 1000 + (unsigned long long)tv.tv_usec / 1000;
    }

    struct buf payload = { 0 };
    int files = 0;
    for (int i = optind; i < argc; i++, files++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "bundlecraft: '%s' is not NAME=FILE\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        size_t n;
        unsigned char *data = read_all(eq + 1, &n);
        entry(&payload, argv[i], data, n);
        free(data);
    }
    if (pad) {
        unsigned char *zeros = calloc(1, pad);
        if (!zeros)
            return 1;
        entry(&payload, "pad.bin", zeros, pad);
        free(zeros);
        files++;
    }

    unsigned char sha[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(sha, payload.p ? payload.p : (const unsigned char *)"", payload.n);
    if (bad_hash)
        sha[0] ^= 0x01;
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, sha, sizeof sha);

    struct buf msg = { 0 };
    char head[1024];
    snprintf(head, sizeof head, "ledticker-bundle 1\ntopic %s\nseq %llu\nsha256 %s\nfiles %d\n\n",
             topic, seq, hex, files);
    put_text(&msg, head);
    if (payload.n)
        put(&msg, payload.p, payload.n);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, msg.p, msg.n, secret);
    put(&msg, sig, sizeof sig);
    sodium_memzero(secret, sizeof secret);
    if (fwrite(msg.p, 1, msg.n, stdout) != msg.n || fflush(stdout) != 0) {
        perror("bundlecraft: stdout");
        return 1;
    }
    free(payload.p);
    free(msg.p);
    return 0;
}
