/* bundle — encode, decode and check signed fleet bundles (bundle.h). */
#include "fleet/bundle.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/utf8.h"

#define MAGIC "ledticker-bundle 1\n"

struct bundle {
    uint64_t seq;
    char *topic;
    char sha256[65];
    size_t nfiles;
    struct bundle_file *files;
    char *names;               /* every name, NUL-terminated, back to back */
    int name_has_nul;          /* a name held a NUL byte (refused as NAME) */
    uint8_t *payload;          /* a copy of the payload; files point into it */
};

/* A cursor over untrusted bytes: every read is bounded by `end`. */
struct cursor {
    const uint8_t *p, *end;
};

static int hex_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static void sha256_hex(const uint8_t *data, size_t len, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

/* One line "KEY VALUE\n": (*val, *vlen) is VALUE. 0, or -1 when it is not there. */
static int read_line(struct cursor *c, const char *key, const char **val, size_t *vlen)
{
    size_t klen = strlen(key);
    const uint8_t *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (!nl || (size_t)(nl - c->p) < klen + 1 || memcmp(c->p, key, klen) != 0
        || c->p[klen] != ' ')
        return -1;
    *val = (const char *)c->p + klen + 1;
    *vlen = (size_t)(nl - c->p) - klen - 1;
    c->p = nl + 1;
    return 0;
}

/* Plain decimal, no sign, no leading zero (so every number has one spelling). */
static int parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int bundle_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > BUNDLE_MAX_NAME || utf8_check(name, len) != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x80 && !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')
                           || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_'
                           || ch == '-' || ch == '/'))
            return 0;
    }
    /* Components: none empty (no leading or doubled '/'), none "." or "..". */
    const char *p = name;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        if (!slash)
            return 1;
        p = slash + 1;
    }
}

/* The header up to and including the blank line. */
struct header {
    const char *topic;
    size_t topic_len;
    uint64_t seq;
    const char *sha;
    uint64_t nfiles;
};

static int parse_header(struct cursor *c, struct header *h)
{
    const char *v;
    size_t n;
    if ((size_t)(c->end - c->p) < strlen(MAGIC) || memcmp(c->p, MAGIC, strlen(MAGIC)) != 0)
        return -1;
    c->p += strlen(MAGIC);
    if (read_line(c, "topic", &h->topic, &h->topic_len) < 0 || h->topic_len == 0
        || memchr(h->topic, '\0', h->topic_len))
        return -1;
    if (read_line(c, "seq", &v, &n) < 0 || parse_u64(v, n, UINT64_MAX, &h->seq) < 0)
        return -1;
    if (read_line(c, "sha256", &h->sha, &n) < 0 || n != 64 || !hex_ok(h->sha, 64))
        return -1;
    if (read_line(c, "files", &v, &n) < 0
        || parse_u64(v, n, BUNDLE_MAX_FILES, &h->nfiles) < 0)
        return -1;
    if (c->p >= c->end || *c->p != '\n')
        return -1;
    c->p++;
    return 0;
}

/* Walks the payload entries: 0, or -1 when the framing is wrong (a size
 * that overruns, a missing newline, bytes left over). */
static int walk_entries(struct cursor c, uint64_t nfiles)
{
    for (uint64_t i = 0; i < nfiles; i++) {
        const uint8_t *sp = memchr(c.p, ' ', (size_t)(c.end - c.p));
        uint64_t size;
        if (!sp || parse_u64((const char *)c.p, (size_t)(sp - c.p), BUNDLE_MAX_BYTES, &size) < 0)
            return -1;
        const uint8_t *nl = memchr(sp + 1, '\n', (size_t)(c.end - (sp + 1)));
        if (!nl || size > (uint64_t)(c.end - (nl + 1)))
            return -1;
        c.p = nl + 1 + size;
    }
    return c.p == c.end ? 0 : -1;
}

static int keys_verify(const uint8_t *msg, size_t body_len,
                       const uint8_t (*keys)[BUNDLE_KEY_BYTES], size_t nkeys)
{
    for (size_t i = 0; i < nkeys; i++)
        if (crypto_sign_verify_detached(msg + body_len, msg, body_len, keys[i]) == 0)
            return 1;
    return 0;
}

/* Copies the payload and its entries into a new bundle. */
static int bundle_build(struct bundle **out, const struct header *h,
                        const uint8_t *payload, size_t plen)
{
    struct bundle *b = calloc(1, sizeof *b);
    if (!b)
        return BUNDLE_ERR_NO_MEM;
    b->seq = h->seq;
    b->nfiles = (size_t)h->nfiles;
    b->topic = strndup(h->topic, h->topic_len);
    b->payload = malloc(plen ? plen : 1);
    b->names = malloc(plen ? plen : 1);             /* names are shorter than the payload */
    b->files = calloc(b->nfiles ? b->nfiles : 1, sizeof *b->files);
    if (!b->topic || !b->payload || !b->names || !b->files) {
        bundle_free(b);
        return BUNDLE_ERR_NO_MEM;
    }
    memcpy(b->payload, payload, plen);
    memcpy(b->sha256, h->sha, 64);
    b->sha256[64] = '\0';
    /* Walk the copy, so the files point into memory the bundle owns. */
    struct cursor c = { b->payload, b->payload + plen };
    char *name_out = b->names;
    for (size_t i = 0; i < b->nfiles; i++) {
        const uint8_t *sp = memchr(c.p, ' ', (size_t)(c.end - c.p));
        uint64_t size = 0;
        parse_u64((const char *)c.p, (size_t)(sp - c.p), BUNDLE_MAX_BYTES, &size);
        const uint8_t *nl = memchr(sp + 1, '\n', (size_t)(c.end - sp - 1));
        size_t nlen = (size_t)(nl - sp - 1);
        if (memchr(sp + 1, '\0', nlen))
            b->name_has_nul = 1;
        memcpy(name_out, sp + 1, nlen);
        name_out[nlen] = '\0';
        b->files[i] = (struct bundle_file){ name_out, nl + 1, (size_t)size };
        name_out += nlen + 1;
        c.p = nl + 1 + size;
    }
    *out = b;
    return BUNDLE_OK;
}

static int names_unique_ok(const struct bundle_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!bundle_name_ok(files[i].name))
            return 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(files[i].name, files[j].name) == 0)
                return 0;
    }
    return 1;
}

int bundle_decode(struct bundle **out, const uint8_t *msg, size_t len,
                  const uint8_t (*keys)[BUNDLE_KEY_BYTES], size_t nkeys,
                  const char *topic, const struct bundle_in_use *in_use)
{
    *out = NULL;
    if (len > BUNDLE_MAX_BYTES)
        return BUNDLE_ERR_TOO_BIG;
    if (sodium_init() < 0)
        return BUNDLE_ERR_NO_MEM;
    if (len < BUNDLE_SIG_BYTES)
        return BUNDLE_ERR_FORMAT;
    size_t body_len = len - BUNDLE_SIG_BYTES;
    struct cursor c = { msg, msg + body_len };
    struct header h;
    if (parse_header(&c, &h) < 0)
        return BUNDLE_ERR_FORMAT;
    const uint8_t *payload = c.p;
    size_t plen = (size_t)(c.end - c.p);
    if (walk_entries(c, h.nfiles) < 0)
        return BUNDLE_ERR_FORMAT;
    if (nkeys == 0)
        return BUNDLE_ERR_KEY;
    if (!keys_verify(msg, body_len, keys, nkeys))
        return BUNDLE_ERR_SIGNATURE;
    if (topic && (strlen(topic) != h.topic_len || memcmp(topic, h.topic, h.topic_len) != 0))
        return BUNDLE_ERR_TOPIC;
    if (in_use && in_use->seq != 0) {
        if (h.seq == in_use->seq && memcmp(h.sha, in_use->sha256, 64) == 0)
            return BUNDLE_SAME;
        if (h.seq <= in_use->seq)
            return BUNDLE_ERR_REPLAY;
    }
    char actual[65];
    sha256_hex(payload, plen, actual);
    if (memcmp(actual, h.sha, 64) != 0)
        return BUNDLE_ERR_HASH;
    struct bundle *b;
    int rc = bundle_build(&b, &h, payload, plen);
    if (rc != BUNDLE_OK)
        return rc;
    if (b->name_has_nul || !names_unique_ok(b->files, b->nfiles)) {
        bundle_free(b);
        return BUNDLE_ERR_NAME;
    }
    *out = b;
    return BUNDLE_OK;
}

int bundle_encode(uint8_t **out, size_t *len, const char *topic, uint64_t seq,
                  const struct bundle_file *files, size_t n, const uint8_t *secret)
{
    *out = NULL;
    *len = 0;
    if (n > BUNDLE_MAX_FILES || !topic[0] || strchr(topic, '\n'))
        return BUNDLE_ERR_FORMAT;
    if (!names_unique_ok(files, n))
        return BUNDLE_ERR_NAME;
    if (sodium_init() < 0)
        return BUNDLE_ERR_NO_MEM;
    /* Sizes first, so nothing over the limit is ever built. */
    size_t plen = 0;
    for (size_t i = 0; i < n; i++) {
        if (files[i].size > BUNDLE_MAX_BYTES)
            return BUNDLE_ERR_TOO_BIG;
        plen += (size_t)snprintf(NULL, 0, "%zu ", files[i].size) + strlen(files[i].name) + 1
                + files[i].size;
        if (plen > BUNDLE_MAX_BYTES)
            return BUNDLE_ERR_TOO_BIG;
    }
    size_t cap = 128 + strlen(topic) + plen + BUNDLE_SIG_BYTES;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return BUNDLE_ERR_NO_MEM;
    /* The payload goes after room for the header; the header is then
     * written in front of it once the hash is known. */
    size_t head_room = 128 + strlen(topic);
    uint8_t *payload = buf + head_room;
    size_t p = 0;
    for (size_t i = 0; i < n; i++) {
        p += (size_t)sprintf((char *)payload + p, "%zu %s\n", files[i].size, files[i].name);
        if (files[i].size)
            memcpy(payload + p, files[i].data, files[i].size);
        p += files[i].size;
    }
    char sha[65];
    sha256_hex(payload, p, sha);
    char head[160];
    int hlen = snprintf(head, sizeof head, "seq %" PRIu64 "\nsha256 %s\nfiles %zu\n\n", seq, sha, n);
    size_t total_head = strlen(MAGIC) + strlen("topic ") + strlen(topic) + 1 + (size_t)hlen;
    size_t total = total_head + p + BUNDLE_SIG_BYTES;
    if (total > BUNDLE_MAX_BYTES) {
        free(buf);
        return BUNDLE_ERR_TOO_BIG;
    }
    memmove(buf + total_head, payload, p);
    size_t o = 0;
    o += (size_t)sprintf((char *)buf + o, "%stopic %s\n", MAGIC, topic);
    memcpy(buf + o, head, (size_t)hlen);
    o += (size_t)hlen + p;
    crypto_sign_detached(buf + o, NULL, buf, o, secret);
    *out = buf;
    *len = o + BUNDLE_SIG_BYTES;
    return BUNDLE_OK;
}

void bundle_free(struct bundle *b)
{
    if (!b)
        return;
    free(b->topic);
    free(b->files);
    free(b->names);
    free(b->payload);
    free(b);
}

uint64_t bundle_seq(const struct bundle *b) { return b->seq; }
const char *bundle_topic(const struct bundle *b) { return b->topic; }
const char *bundle_sha256(const struct bundle *b) { return b->sha256; }
size_t bundle_file_count(const struct bundle *b) { return b->nfiles; }

const struct bundle_file *bundle_file_at(const struct bundle *b, size_t i)
{
    return i < b->nfiles ? &b->files[i] : NULL;
}

const struct bundle_file *bundle_find(const struct bundle *b, const char *name)
{
    for (size_t i = 0; i < b->nfiles; i++)
        if (strcmp(b->files[i].name, name) == 0)
            return &b->files[i];
    return NULL;
}

const char *bundle_strerror(int err)
{
    switch (err) {
    case BUNDLE_OK: return "ok";
    case BUNDLE_SAME: return "the same bundle is already in use";
    case BUNDLE_ERR_TOO_BIG: return "bundle larger than the 4 MiB limit";
    case BUNDLE_ERR_FORMAT: return "bundle truncated or malformed";
    case BUNDLE_ERR_SIGNATURE: return "bundle not signed by a configured key";
    case BUNDLE_ERR_TOPIC: return "bundle meant for another topic";
    case BUNDLE_ERR_REPLAY: return "bundle not newer than the one in use (replay)";
    case BUNDLE_ERR_HASH: return "bundle payload does not match its SHA-256";
    case BUNDLE_ERR_NAME: return "bundle has a bad file name (absolute, '..', or duplicate)";
    case BUNDLE_ERR_IO: return "input/output error";
    case BUNDLE_ERR_NO_MEM: return "out of memory";
    case BUNDLE_ERR_KEY: return "no usable key";
    default: return "unknown bundle error";
    }
}
