/* bundle_key — the newsroom's Ed25519 key pair on disk (bundle.h).
 *
 *   PREFIX.key  "ledticker-ed25519-secret BASE64(64 bytes)\n"  mode 0600
 *   PREFIX.pub  "ledticker-ed25519-public BASE64(32 bytes)\n"
 *
 * A key file is one line of text so that it survives copying by mail or
 * a terminal; the tag names what it is so a .pub is never taken for a .key.
 */
#include "fleet/bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "util/wfile.h"

#define SECRET_TAG "ledticker-ed25519-secret"
#define PUBLIC_TAG "ledticker-ed25519-public"

/* Writes "TAG BASE64\n" to a new file (never over an existing one). */
static int key_write(const char *path, const char *tag, const uint8_t *key, size_t len,
                     mode_t mode, const struct diag *d)
{
    char b64[sodium_base64_ENCODED_LEN(BUNDLE_SECRET_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, key, len, sodium_base64_VARIANT_ORIGINAL);
    char line[sizeof b64 + 64];
    int n = snprintf(line, sizeof line, "%s %s\n", tag, b64);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        diag_emit(d, DIAG_ERROR, path, 0, "cannot create key file: %s%s", strerror(errno),
                  errno == EEXIST ? " (keygen never overwrites a key)" : "");
        return BUNDLE_ERR_IO;
    }
    int rc = wfile_write_all(fd, line, (size_t)n);
    if (rc == 0)
        rc = wfile_sync(fd);
    int crc = wfile_close(fd);
    if (rc == 0)
        rc = crc;
    sodium_memzero(line, sizeof line);
    sodium_memzero(b64, sizeof b64);
    if (rc < 0) {
        diag_emit(d, DIAG_ERROR, path, 0, "cannot write key file: %s", strerror(-rc));
        unlink(path);
        return BUNDLE_ERR_IO;
    }
    return 0;
}

int bundle_keygen(const char *prefix, const struct diag *d)
{
    if (sodium_init() < 0)
        return BUNDLE_ERR_NO_MEM;
    size_t plen = strlen(prefix);
    char *keypath = malloc(plen + 5), *pubpath = malloc(plen + 5);
    if (!keypath || !pubpath) {
        free(keypath);
        free(pubpath);
        return BUNDLE_ERR_NO_MEM;
    }
    sprintf(keypath, "%s.key", prefix);
    sprintf(pubpath, "%s.pub", prefix);
    int rc = BUNDLE_ERR_IO;
    struct stat st;
    if (lstat(pubpath, &st) == 0) {
        diag_emit(d, DIAG_ERROR, pubpath, 0, "already exists (keygen never overwrites a key)");
    } else {
        uint8_t pk[BUNDLE_KEY_BYTES], sk[BUNDLE_SECRET_BYTES];
        crypto_sign_keypair(pk, sk);
        rc = key_write(keypath, SECRET_TAG, sk, sizeof sk, 0600, d);
        if (rc == 0) {
            rc = key_write(pubpath, PUBLIC_TAG, pk, sizeof pk, 0644, d);
            if (rc != 0)
                unlink(keypath);
        }
        sodium_memzero(sk, sizeof sk);
    }
    free(keypath);
    free(pubpath);
    return rc;
}

/* Reads "TAG BASE64\n" into exactly len bytes. */
static int key_read(const char *path, const char *tag, uint8_t *key, size_t len,
                    const struct diag *d)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        diag_emit(d, DIAG_ERROR, path, 0, "cannot open key file: %s", strerror(errno));
        return BUNDLE_ERR_IO;
    }
    char line[256];
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    size_t tlen = strlen(tag);
    int rc = BUNDLE_ERR_KEY;
    size_t got = 0;
    const char *end;
    if (n < tlen + 1 || memcmp(line, tag, tlen) != 0 || line[tlen] != ' ') {
        diag_emit(d, DIAG_ERROR, path, 1, "not a %s key file (it should start with '%s ')",
                  strcmp(tag, SECRET_TAG) == 0 ? "secret" : "public", tag);
    } else if (sodium_base642bin(key, len, line + tlen + 1, n - tlen - 1, "\r\n", &got, &end,
                                 sodium_base64_VARIANT_ORIGINAL) != 0 || got != len
               || (*end != '\0' && strspn(end, "\r\n") != strlen(end))) {
        diag_emit(d, DIAG_ERROR, path, 1, "the key is not %zu bytes of base64", len);
    } else {
        rc = 0;
    }
    sodium_memzero(line, sizeof line);
    return rc;
}

int bundle_key_read_secret(const char *path, uint8_t secret[BUNDLE_SECRET_BYTES],
                           const struct diag *d)
{
    if (sodium_init() < 0)
        return BUNDLE_ERR_NO_MEM;
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        diag_emit(d, DIAG_WARN, path, 0,
                  "secret key readable by others (mode %03o): chmod 600 it",
                  (unsigned)(st.st_mode & 0777));
    int rc = key_read(path, SECRET_TAG, secret, BUNDLE_SECRET_BYTES, d);
    if (rc == 0) {
        /* The secret's second half is its public key: a damaged file that
         * still decodes would sign with a key no kiosk trusts. */
        uint8_t pk[BUNDLE_KEY_BYTES];
        crypto_sign_ed25519_sk_to_pk(pk, secret);
        uint8_t seed[32], pk2[BUNDLE_KEY_BYTES], sk2[BUNDLE_SECRET_BYTES];
        crypto_sign_ed25519_sk_to_seed(seed, secret);
        crypto_sign_seed_keypair(pk2, sk2, seed);
        if (memcmp(pk, pk2, sizeof pk) != 0) {
            diag_emit(d, DIAG_ERROR, path, 1, "damaged secret key (its halves disagree)");
            rc = BUNDLE_ERR_KEY;
        }
        sodium_memzero(seed, sizeof seed);
        sodium_memzero(sk2, sizeof sk2);
    }
    return rc;
}

int bundle_key_read_public(const char *path, uint8_t key[BUNDLE_KEY_BYTES],
                           const struct diag *d)
{
    if (sodium_init() < 0)
        return BUNDLE_ERR_NO_MEM;
    return key_read(path, PUBLIC_TAG, key, BUNDLE_KEY_BYTES, d);
}
