/* fleetcache — the kiosk's offline copy of its bundles (fleetcache.h).
 *
 * Every step that makes a bundle visible is a rename: files are written
 * and fsync'd inside SEQ.new/, the directory is renamed to SEQ/, and the
 * `current` symlink is replaced by renaming a new link over it. A crash at
 * any point leaves `current` pointing at a complete bundle (or nothing). */
#include "fleet/fleetcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/wfile.h"

static const char *const layer_names[FLEETCACHE_LAYERS] = {
    "all", "site", "all-emergency", "site-emergency",
};

const char *fleetcache_layer_name(enum fleetcache_layer l)
{
    return (unsigned)l < FLEETCACHE_LAYERS ? layer_names[l] : "?";
}

/* snprintf that reports truncation as an error: paths are never cut. */
static int path_fmt(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int path_fmt(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n < 0 || (size_t)n >= len ? BUNDLE_ERR_NO_MEM : 0;
}

int fleetcache_root(const char *cache_dir, enum fleetcache_layer l, char *buf, size_t len)
{
    return path_fmt(buf, len, "%s/%s/current/bundle.ini", cache_dir, fleetcache_layer_name(l));
}

static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return BUNDLE_ERR_IO;
    int rc = wfile_sync(fd);
    close(fd);
    return rc < 0 ? BUNDLE_ERR_IO : 0;
}

static int make_dir(const char *path)
{
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : BUNDLE_ERR_IO;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* rm -rf, never following a symlink. */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode))
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    else
        unlink(path);
}

/* Writes a new file (never through a symlink) and fsyncs it. */
static int write_synced(const char *path, int flags, const uint8_t *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | flags, 0644);
    if (fd < 0)
        return BUNDLE_ERR_IO;
    int rc = wfile_write_all(fd, data, len);
    if (rc == 0)
        rc = wfile_sync(fd);
    int crc = wfile_close(fd);
    return rc < 0 || crc < 0 ? BUNDLE_ERR_IO : 0;
}

/* Writes one file of a bundle, making the directories its name needs. */
static int write_member(const char *dir, const struct bundle_file *f)
{
    char path[PATH_MAX];
    if (path_fmt(path, sizeof path, "%s/%s", dir, f->name) < 0)
        return BUNDLE_ERR_NO_MEM;
    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        int rc = make_dir(path);
        *s = '/';
        if (rc < 0)
            return rc;
    }
    return write_synced(path, O_EXCL, f->data, f->size);
}

/* fsyncs every directory under dir (the members' parents), then dir. */
static int sync_tree(const char *dir, const struct bundle *b)
{
    char path[PATH_MAX];
    for (size_t i = 0; i < bundle_file_count(b); i++) {
        const char *name = bundle_file_at(b, i)->name;
        const char *slash = strrchr(name, '/');
        if (!slash)
            continue;
        if (path_fmt(path, sizeof path, "%s/%.*s", dir, (int)(slash - name), name) < 0
            || sync_dir(path) < 0)
            return BUNDLE_ERR_IO;
    }
    return sync_dir(dir);
}

/* Is this entry of a layer directory a bundle of seq `keep1` or `keep2`? */
static int is_kept(const char *name, const char *keep1, const char *keep2)
{
    for (int i = 0; i < 2; i++) {
        const char *k = i ? keep2 : keep1;
        size_t n = strlen(k);
        if (n && strncmp(name, k, n) == 0 && (name[n] == '\0' || strcmp(name + n, ".bundle") == 0))
            return 1;
    }
    return 0;
}

/* Removes every entry of the layer dir that `doomed` picks. */
static void sweep(const char *layer_dir, int (*doomed)(const char *name, const char *const keep[2]),
                  const char *const keep[2])
{
    DIR *d = opendir(layer_dir);
    if (!d)
        return;
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && doomed(e->d_name, keep)
            && path_fmt(path, sizeof path, "%s/%s", layer_dir, e->d_name) == 0)
            remove_tree(path);
    closedir(d);
}

/* For prune: all but `current` and the two kept bundles (older bundles,
 * and leftovers of a crash: SEQ.new, current.tmp). */
static int not_kept(const char *name, const char *const keep[2])
{
    return strcmp(name, "current") != 0 && !is_kept(name, keep[0], keep[1]);
}

/* For a new stage: what an interrupted one left (SEQ.new, SEQ.new.bundle):
 * it was never in use, and a new stage of the same seq must start clean. */
static int staged_leftover(const char *name, const char *const keep[2])
{
    (void)keep;
    size_t n = strlen(name);
    return (n > 4 && strcmp(name + n - 4, ".new") == 0)
           || (n > 11 && strcmp(name + n - 11, ".new.bundle") == 0);
}

/* The SEQ `current` points to, as text ("" when there is none). */
static void current_target(const char *layer_dir, char *out, size_t len)
{
    char link[PATH_MAX];
    out[0] = '\0';
    if (path_fmt(link, sizeof link, "%s/current", layer_dir) < 0)
        return;
    ssize_t n = readlink(link, out, len - 1);
    if (n <= 0 || (size_t)n >= len - 1) {
        out[0] = '\0';
        return;
    }
    out[n] = '\0';
    if (strspn(out, "0123456789") != (size_t)n)
        out[0] = '\0';
}

int fleetcache_stage(const char *cache_dir, enum fleetcache_layer l, const struct bundle *b,
                     const uint8_t *raw, size_t rawlen, char *dir, size_t dirlen)
{
    char layer_dir[PATH_MAX], raw_path[PATH_MAX];
    if (path_fmt(layer_dir, sizeof layer_dir, "%s/%s", cache_dir, fleetcache_layer_name(l)) < 0
        || path_fmt(dir, dirlen, "%s/%" PRIu64 ".new", layer_dir, bundle_seq(b)) < 0
        || path_fmt(raw_path, sizeof raw_path, "%s.bundle", dir) < 0)
        return BUNDLE_ERR_NO_MEM;
    if (make_dir(cache_dir) < 0 || make_dir(layer_dir) < 0)
        return BUNDLE_ERR_IO;
    sweep(layer_dir, staged_leftover, (const char *const[2]){ "", "" });
    int rc = make_dir(dir);
    for (size_t i = 0; rc == 0 && i < bundle_file_count(b); i++)
        rc = write_member(dir, bundle_file_at(b, i));
    if (rc == 0)
        rc = sync_tree(dir, b);
    if (rc == 0)
        rc = write_synced(raw_path, O_TRUNC, raw, rawlen);
    if (rc == 0)
        rc = sync_dir(layer_dir);
    if (rc < 0)
        fleetcache_discard(dir);
    return rc;
}

int fleetcache_commit(const char *cache_dir, enum fleetcache_layer l, const struct bundle *b)
{
    char layer_dir[PATH_MAX], staged[PATH_MAX], final[PATH_MAX], link_tmp[PATH_MAX],
        link[PATH_MAX], seq[32], prev[32];
    snprintf(seq, sizeof seq, "%" PRIu64, bundle_seq(b));
    if (path_fmt(layer_dir, sizeof layer_dir, "%s/%s", cache_dir, fleetcache_layer_name(l)) < 0
        || path_fmt(staged, sizeof staged, "%s/%s.new", layer_dir, seq) < 0
        || path_fmt(final, sizeof final, "%s/%s", layer_dir, seq) < 0
        || path_fmt(link_tmp, sizeof link_tmp, "%s/current.tmp", layer_dir) < 0
        || path_fmt(link, sizeof link, "%s/current", layer_dir) < 0)
        return BUNDLE_ERR_NO_MEM;
    current_target(layer_dir, prev, sizeof prev);
    if (strcmp(prev, seq) == 0)
        return BUNDLE_ERR_REPLAY;       /* never replace the directory in use */
    char staged_raw[PATH_MAX + 8], final_raw[PATH_MAX + 8];
    snprintf(staged_raw, sizeof staged_raw, "%s.bundle", staged);
    snprintf(final_raw, sizeof final_raw, "%s.bundle", final);
    remove_tree(final);                 /* a leftover of the same seq, never in use */
    if (rename(staged, final) != 0 || rename(staged_raw, final_raw) != 0)
        return BUNDLE_ERR_IO;
    unlink(link_tmp);
    if (symlink(seq, link_tmp) != 0 || rename(link_tmp, link) != 0 || sync_dir(layer_dir) < 0)
        return BUNDLE_ERR_IO;
    sweep(layer_dir, not_kept, (const char *const[2]){ seq, prev });
    return 0;
}

void fleetcache_discard(const char *staged_dir)
{
    char raw[PATH_MAX + 8];
    snprintf(raw, sizeof raw, "%s.bundle", staged_dir);
    remove_tree(staged_dir);
    unlink(raw);
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return BUNDLE_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)BUNDLE_MAX_BYTES) {
        close(fd);
        return st.st_size > (off_t)BUNDLE_MAX_BYTES ? BUNDLE_ERR_TOO_BIG : BUNDLE_ERR_IO;
    }
    uint8_t *buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        close(fd);
        return BUNDLE_ERR_NO_MEM;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *out = buf;
    *len = got;
    return 0;
}

/* Do the unpacked files still hold what the signed message says? */
static int members_match(const char *dir, const struct bundle *b)
{
    char path[PATH_MAX];
    for (size_t i = 0; i < bundle_file_count(b); i++) {
        const struct bundle_file *f = bundle_file_at(b, i);
        uint8_t *data;
        size_t len;
        if (path_fmt(path, sizeof path, "%s/%s", dir, f->name) < 0
            || read_all(path, &data, &len) < 0)
            return 0;
        int same = len == f->size && memcmp(data, f->data, len) == 0;
        free(data);
        if (!same)
            return 0;
    }
    return 1;
}

int fleetcache_in_use(const char *cache_dir, enum fleetcache_layer l,
                      const uint8_t (*keys)[BUNDLE_KEY_BYTES], size_t nkeys, const char *topic,
                      struct bundle_in_use *out)
{
    char layer_dir[PATH_MAX], seq[32], path[PATH_MAX + 40];
    memset(out, 0, sizeof *out);
    if (path_fmt(layer_dir, sizeof layer_dir, "%s/%s", cache_dir, fleetcache_layer_name(l)) < 0)
        return BUNDLE_ERR_NO_MEM;
    current_target(layer_dir, seq, sizeof seq);
    if (!seq[0])
        return 0;
    /* Even if what follows fails, nothing older than this may come back. */
    out->seq = strtoull(seq, NULL, 10);
    snprintf(path, sizeof path, "%s/%s.bundle", layer_dir, seq);
    uint8_t *raw;
    size_t len;
    int rc = read_all(path, &raw, &len);
    if (rc < 0)
        return rc;
    struct bundle *b;
    rc = bundle_decode(&b, raw, len, keys, nkeys, topic, NULL);
    free(raw);
    if (rc != BUNDLE_OK)
        return rc;
    snprintf(path, sizeof path, "%s/%s", layer_dir, seq);
    if (bundle_seq(b) != out->seq || !members_match(path, b)) {
        bundle_free(b);
        return BUNDLE_ERR_HASH;
    }
    memcpy(out->sha256, bundle_sha256(b), sizeof out->sha256);
    bundle_free(b);
    return 0;
}
