/* bundle — the signed unit a newsroom publishes and a kiosk lays over its
 * own config: a few named files, the topic they were meant for, a sequence
 * number that rises with every publish, a SHA-256 of the payload, and an
 * Ed25519 signature (libsodium) over all of it.
 *
 * Wire format, version 1 (docs/fleet.md, "The bundle format"):
 *
 *   ledticker-bundle 1\n
 *   topic ledticker/v1/site/lishi-1/config\n
 *   seq 1764590000000\n              decimal uint64, ms since the epoch
 *   sha256 <64 lowercase hex>\n      SHA-256 of the payload bytes
 *   files N\n                        0 <= N <= 256
 *   \n
 *   payload: N entries, each "<size> <name>\n" then exactly <size> bytes
 *   <64-byte Ed25519 signature over every byte before it>
 *
 * An empty bundle (N = 0) withdraws a layer or clears an emergency. The
 * root config of a non-empty bundle is named `bundle.ini`.
 *
 * bundle_decode checks, in this order, each with its own code: the size
 * limit, the framing, the signature against any of the given keys, the
 * topic inside against the topic it came on, the sequence number against
 * the one in use, the SHA-256, the names. Hostile bytes are refused, never
 * read past (tests/fuzz/fuzz_bundle.c).
 *
 * sodium_init() is called inside (idempotent); the module keeps no state.
 */
#ifndef LEDTICKER_BUNDLE_H
#define LEDTICKER_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

#define BUNDLE_MAX_BYTES (4u * 1024 * 1024)     /* signature included */
#define BUNDLE_MAX_FILES 256
#define BUNDLE_MAX_NAME 255                      /* bytes of one file name */
#define BUNDLE_KEY_BYTES 32                      /* Ed25519 public key */
#define BUNDLE_SECRET_BYTES 64                   /* Ed25519 secret key (seed + public) */
#define BUNDLE_SIG_BYTES 64

enum bundle_error {
    BUNDLE_OK = 0,
    BUNDLE_SAME = 1,            /* identical to the one in use: nothing to do */
    BUNDLE_ERR_TOO_BIG = -1,
    BUNDLE_ERR_FORMAT = -2,     /* truncated or malformed */
    BUNDLE_ERR_SIGNATURE = -3,  /* signed by none of the given keys */
    BUNDLE_ERR_TOPIC = -4,      /* meant for another topic */
    BUNDLE_ERR_REPLAY = -5,     /* not newer than the one in use */
    BUNDLE_ERR_HASH = -6,       /* payload does not match its SHA-256 */
    BUNDLE_ERR_NAME = -7,       /* absolute, `..`, bad byte, duplicate */
    BUNDLE_ERR_IO = -8,
    BUNDLE_ERR_NO_MEM = -9,
    BUNDLE_ERR_KEY = -10,       /* no key given, or a key file unusable */
};

struct bundle_file {
    const char *name;
    const uint8_t *data;
    size_t size;
};

/* What a layer has in use; seq 0 means none (any signed bundle is newer). */
struct bundle_in_use {
    uint64_t seq;
    char sha256[65];
};

struct bundle;                  /* decoded; owns copies of everything */

/* Decodes and checks `msg` (see the order above). On BUNDLE_OK *out is a
 * new bundle the caller frees; on anything else *out is NULL (BUNDLE_SAME
 * included: the layer already has exactly this bundle).
 * `topic` NULL skips the topic check and `in_use` NULL the sequence check
 * (the newsroom reading its own history). nkeys 0 is BUNDLE_ERR_KEY. */
int bundle_decode(struct bundle **out, const uint8_t *msg, size_t len,
                  const uint8_t (*keys)[BUNDLE_KEY_BYTES], size_t nkeys,
                  const char *topic, const struct bundle_in_use *in_use);

/* Builds and signs a bundle of n files (n may be 0). *out is malloc'd and
 * the caller frees it. Refuses (without output) what bundle_decode would
 * refuse: a bad or duplicate name (NAME), more than BUNDLE_MAX_FILES or a
 * topic with a newline (FORMAT), a result over BUNDLE_MAX_BYTES (TOO_BIG). */
int bundle_encode(uint8_t **out, size_t *len, const char *topic, uint64_t seq,
                  const struct bundle_file *files, size_t n,
                  const uint8_t *secret /* BUNDLE_SECRET_BYTES */);

void bundle_free(struct bundle *b);

uint64_t bundle_seq(const struct bundle *b);
const char *bundle_topic(const struct bundle *b);
const char *bundle_sha256(const struct bundle *b);      /* 64 lowercase hex */
size_t bundle_file_count(const struct bundle *b);
const struct bundle_file *bundle_file_at(const struct bundle *b, size_t i);
/* The file named `name`, or NULL. */
const struct bundle_file *bundle_find(const struct bundle *b, const char *name);

/* Is `name` acceptable inside a bundle (the rules above)? 1 yes, 0 no. */
int bundle_name_ok(const char *name);

const char *bundle_strerror(int err);

/* Keys:
 *   PREFIX.key = "ledticker-ed25519-secret BASE64(64 bytes)\n", mode 0600
 *   PREFIX.pub = "ledticker-ed25519-public BASE64(32 bytes)\n"
 * bundle_keygen refuses to overwrite either file (O_EXCL). Errors are
 * reported through `d`, naming the file; returns 0 or a BUNDLE_ERR_*. */
int bundle_keygen(const char *prefix, const struct diag *d);
int bundle_key_read_secret(const char *path, uint8_t secret[BUNDLE_SECRET_BYTES],
                           const struct diag *d);
int bundle_key_read_public(const char *path, uint8_t key[BUNDLE_KEY_BYTES],
                           const struct diag *d);

#endif
