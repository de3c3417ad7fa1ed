/* libFuzzer target: arbitrary bytes as a fleet bundle off the broker. The
 * decoder must refuse them cleanly: no crash, no read past the message,
 * no leak, and never BUNDLE_OK for bytes the key did not sign.
 *
 * Random bytes almost never carry a valid signature, so each input is
 * decoded twice: as it is (size, framing, signature), and re-signed with
 * the TEST-ONLY key below, which reaches the checks after the signature
 * (topic, replay, hash, names) and the unpacking. The same test key is in
 * tests/fuzz/bundle-test.key and .pub, made from this seed; it signs the
 * seed corpus (tests/tools/bundlecorpus.c). It is public, so it must
 * never be trusted by a kiosk. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fleet/bundle.h"

/* TEST-ONLY: the seed of tests/fuzz/bundle-test.key. Not a secret. */
static const uint8_t test_seed[32] = "ledticker fuzz key: TEST ONLY!!";

static void check(const uint8_t *msg, size_t len, const uint8_t pk[32])
{
    static const struct bundle_in_use in_use = {
        5, "0000000000000000000000000000000000000000000000000000000000000000" };
    struct bundle *b;
    int rc = bundle_decode(&b, msg, len, (const uint8_t (*)[32])pk, 1,
                           "ledticker/v1/all/config", &in_use);
    if (rc == BUNDLE_OK) {
        size_t total = 0;
        for (size_t i = 0; i < bundle_file_count(b); i++) {
            const struct bundle_file *f = bundle_file_at(b, i);
            if (!bundle_name_ok(f->name) || bundle_find(b, f->name) != f)
                abort();                        /* a bad or duplicate name got through */
            for (size_t j = 0; j < f->size; j++)
                total += f->data[j];            /* every byte is readable */
        }
        if (strlen(bundle_sha256(b)) != 64 || bundle_seq(b) <= 5)
            abort();
        (void)total;
        bundle_free(b);
    } else if (b) {
        abort();                                /* an error must leave nothing */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pk[32], sk[64];
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            abort();
        crypto_sign_seed_keypair(pk, sk, test_seed);
        ready = 1;
    }
    check(data, size, pk);
    if (size < BUNDLE_SIG_BYTES || size > BUNDLE_MAX_BYTES)
        return 0;
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    crypto_sign_detached(copy + size - BUNDLE_SIG_BYTES, NULL, copy, size - BUNDLE_SIG_BYTES, sk);
    check(copy, size, pk);
    free(copy);
    return 0;
}
