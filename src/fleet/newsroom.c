/* newsroom — packing, seq, history and audit log for `ledticker publish`
 * (newsroom.h). */
#include "fleet/newsroom.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/utf8.h"
#include "util/wfile.h"

#define SECRET_TAG "ledticker-ed25519-secret"

/* ---- packing ---------------------------------------------------------- */

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return n && !strncmp(path, dir, n) && (path[n] == '/' || dir[n - 1] == '/');
}

static int read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > BUNDLE_MAX_BYTES + 1)
                cap = BUNDLE_MAX_BYTES + 1;
            if (len == cap) {
                errno = EFBIG;
                break;
            }
            void *p = realloc(buf, cap);
            if (!p)
                break;
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (!ferror(f)) {
                fclose(f);
                *data = buf;
                *size = len;
                return 0;
            }
            break;
        }
    }
    int e = errno;
    fclose(f);
    free(buf);
    errno = e ? e : EIO;
    return -1;
}

/* Whether a file must never leave the newsroom: a key or a password. */
static const char *secret_kind(const char *name, const uint8_t *data, size_t size)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    if (n >= 4 && !strcasecmp(base + n - 4, ".key"))
        return "a secret key (*.key)";
    if (size >= strlen(SECRET_TAG) && !memcmp(data, SECRET_TAG, strlen(SECRET_TAG)))
        return "a secret key";
    if (strcasestr(base, "password") || strcasestr(base, "passwd"))
        return "a password file";
    if (memmem(data, size, "PRIVATE KEY-----", 16))
        return "a private key";
    return NULL;
}

/* One file into the pack; names it relative to root_dir. */
static int pack_one(struct newsroom_pack *p, const char *root, const char *root_dir,
                    const char *path, const char *const *never, size_t nnever,
                    const struct diag *d)
{
    for (size_t i = 0; i < nnever; i++)
        if (never[i] && under(path, never[i])) {
            diag_emit(d, DIAG_ERROR, path, 0, "not packed: it is in the data directory %s, "
                      "which every kiosk has its own copy of", never[i]);
            return -1;
        }
    bool is_root = !strcmp(path, root);
    if (!is_root && !under(path, root_dir)) {
        diag_emit(d, DIAG_ERROR, path, 0, "not packed: it is outside %s, the directory of %s; "
                  "a bundle carries only files beside its root", root_dir, root);
        return -1;
    }
    const char *name = is_root ? "bundle.ini" : path + strlen(root_dir) + 1;
    if (!is_root && !strcmp(name, "bundle.ini")) {
        diag_emit(d, DIAG_ERROR, path, 0, "not packed: bundle.ini is the name the bundle gives "
                  "its root (%s); rename this file", root);
        return -1;
    }
    if (!bundle_name_ok(name)) {
        diag_emit(d, DIAG_ERROR, path, 0, "not packed: '%s' is not a name a bundle may hold "
                  "(letters, digits, '.', '_', '-', '/' and non-ASCII only)", name);
        return -1;
    }
    struct bundle_file *f = &p->files[p->count];
    uint8_t *data;
    if (read_file(path, &data, &f->size) != 0) {
        diag_emit(d, DIAG_ERROR, path, 0, "cannot read it: %s", strerror(errno));
        return -1;
    }
    const char *kind = secret_kind(path, data, f->size);
    if (kind) {
        diag_emit(d, DIAG_ERROR, path, 0, "not packed: it looks like %s, which never leaves "
                  "the newsroom", kind);
        free(data);
        return -1;
    }
    f->data = data;
    f->name = strdup(name);
    if (!f->name) {
        free(data);
        diag_error(d, "out of memory");
        return -1;
    }
    p->count++;
    return 0;
}

int newsroom_pack(struct newsroom_pack *out, const char *root, const char *const *paths,
                  size_t n, const char *const *never, size_t nnever, const struct diag *d)
{
    out->count = 0;
    out->files = calloc(n ? n : 1, sizeof *out->files);
    char *root_dir = strdup(root);
    char *slash = root_dir ? strrchr(root_dir, '/') : NULL;
    if (!out->files || !slash) {
        diag_error(d, "out of memory");
        free(root_dir);
        newsroom_pack_free(out);
        return -1;
    }
    *slash = '\0';
    int errors = 0;
    for (size_t i = 0; i < n; i++)
        errors += pack_one(out, root, root_dir, paths[i], never, nnever, d) < 0;
    free(root_dir);
    if (errors) {
        newsroom_pack_free(out);
        return -1;
    }
    return 0;
}

void newsroom_pack_free(struct newsroom_pack *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free((void *)p->files[i].name);
        free((void *)p->files[i].data);
    }
    free(p->files);
    p->files = NULL;
    p->count = 0;
}

/* ---- topics and emergencies ------------------------------------------- */

int newsroom_topic(char *buf, size_t len, const char *site, bool emergency)
{
    int n = site ? snprintf(buf, len, "ledticker/v1/site/%s/%s", site, emergency ? "emergency" : "config")
                 : snprintf(buf, len, "ledticker/v1/all/%s", emergency ? "emergency" : "config");
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int newsroom_emergency_ini(char **out, const char *text, const char *until, bool site,
                           const struct diag *d)
{
    *out = NULL;
    size_t n = strlen(text);
    if (!n || utf8_check(text, n) != n) {
        diag_error(d, "--emergency: the text is %s", n ? "not UTF-8" : "empty");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f) {
            diag_error(d, "--emergency: the text must be one line without control characters");
            return -1;
        }
    if (asprintf(out, "[message fleet-emergency-%s]\nheadline = %s\nemergency = yes\n"
                      "color = #ff0000\nuntil = %s\n", site ? "site" : "all", text, until) < 0) {
        *out = NULL;
        diag_error(d, "out of memory");
        return -1;
    }
    return 0;
}

/* ---- the state directory ---------------------------------------------- */

static int mkdir_p(char *path, mode_t mode)
{
    for (char *s = path + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        int rc = mkdir(path, mode);
        *s = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return mkdir(path, mode) == 0 || errno == EEXIST ? 0 : -1;
}

int newsroom_state_dir(char *buf, size_t len, const char *override, const struct diag *d)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;
    if (override && *override)
        n = snprintf(buf, len, "%s", override);
    else if (xdg && *xdg == '/')
        n = snprintf(buf, len, "%s/ledticker", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.local/state/ledticker", home);
    else {
        diag_error(d, "no state directory: set HOME or XDG_STATE_HOME, or give --state-dir");
        return -1;
    }
    if (n < 0 || (size_t)n >= len) {
        diag_error(d, "state directory path too long");
        return -1;
    }
    if (mkdir_p(buf, 0700) != 0) {
        diag_emit(d, DIAG_ERROR, buf, 0, "cannot create the state directory: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* STATE/history/TOPIC with '/' written '+' (no site name holds a '+'). */
static int history_dir(char *buf, size_t len, const char *state_dir, const char *topic)
{
    int n = snprintf(buf, len, "%s/history/%s", state_dir, topic);
    if (n < 0 || (size_t)n >= len)
        return -1;
    for (char *s = buf + strlen(state_dir) + strlen("/history/"); *s; s++)
        if (*s == '/')
            *s = '+';
    return 0;
}

/* The highest SEQ of DIR/SEQ.bundle (0: none). */
static uint64_t highest_seq(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return 0;
    uint64_t best = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        char *end;
        errno = 0;
        uint64_t v = strtoull(e->d_name, &end, 10);
        if (!errno && end != e->d_name && !strcmp(end, ".bundle") && v > best)
            best = v;
    }
    closedir(dh);
    return best;
}

uint64_t newsroom_next_seq(const char *state_dir, const char *topic, uint64_t now_ms)
{
    char dir[PATH_MAX];
    if (history_dir(dir, sizeof dir, state_dir, topic) < 0)
        return now_ms;
    uint64_t last = highest_seq(dir);
    return now_ms > last ? now_ms : last + 1;
}

int newsroom_history_save(const char *state_dir, const char *topic, uint64_t seq,
                          const uint8_t *msg, size_t len, const struct diag *d)
{
    char dir[PATH_MAX], path[PATH_MAX + 32];
    if (history_dir(dir, sizeof dir, state_dir, topic) < 0 || mkdir_p(dir, 0700) != 0) {
        diag_emit(d, DIAG_ERROR, dir, 0, "cannot create the history directory: %s", strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/%" PRIu64 ".bundle", dir, seq);
    const char *step;
    int rc = wfile_replace(path, msg, len, 0600, &step);
    if (rc < 0) {
        diag_emit(d, DIAG_ERROR, path, 0, "cannot keep the bundle in the history (%s): %s", step,
                  strerror(-rc));
        return -1;
    }
    return 0;
}

static int read_bundle(const char *path, uint8_t **msg, size_t *len)
{
    return read_file(path, msg, len) == 0 ? 1 : -1;
}

int newsroom_history_find(const char *state_dir, uint64_t seq, char *topic, size_t topiclen,
                          uint8_t **msg, size_t *len)
{
    char hist[PATH_MAX], path[PATH_MAX * 2];
    snprintf(hist, sizeof hist, "%s/history", state_dir);
    DIR *dh = opendir(hist);
    if (!dh)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/%" PRIu64 ".bundle", hist, e->d_name, seq);
        if (access(path, F_OK) != 0)
            continue;
        found = read_bundle(path, msg, len);
        snprintf(topic, topiclen, "%s", e->d_name);
        for (char *s = topic; *s; s++)
            if (*s == '+')
                *s = '/';
    }
    closedir(dh);
    return found;
}

int newsroom_history_latest(const char *state_dir, const char *topic, uint8_t **msg,
                            size_t *len)
{
    char dir[PATH_MAX], path[PATH_MAX + 32];
    if (history_dir(dir, sizeof dir, state_dir, topic) < 0)
        return -1;
    uint64_t last = highest_seq(dir);
    if (!last)
        return 0;
    snprintf(path, sizeof path, "%s/%" PRIu64 ".bundle", dir, last);
    return read_bundle(path, msg, len);
}

/* ---- the audit log ---------------------------------------------------- */

int newsroom_audit(const char *state_dir, const char *action, const char *topic,
                   uint64_t seq, const char *sha256, size_t files, const struct diag *d)
{
    char path[PATH_MAX], when[64], host[256] = "?";
    snprintf(path, sizeof path, "%s/audit.log", state_dir);
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", localtime_r(&now, &tm));
    gethostname(host, sizeof host - 1);
    struct passwd *pw = getpwuid(getuid());
    const char *user = pw ? pw->pw_name : getenv("USER");
    char *line;
    int n = asprintf(&line, "%s user=%s host=%s action=%s topic=%s seq=%" PRIu64
                     " sha256=%s files=%zu\n", when, user ? user : "?", host, action, topic,
                     seq, sha256, files);
    if (n < 0) {
        diag_error(d, "out of memory");
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int rc = fd < 0 ? -errno : wfile_write_all(fd, line, (size_t)n);
    if (rc == 0)
        rc = wfile_sync(fd);
    if (fd >= 0) {
        int crc = wfile_close(fd);
        if (rc == 0)
            rc = crc;
    }
    free(line);
    if (rc < 0) {
        diag_emit(d, DIAG_ERROR, path, 0, "cannot append to the audit log: %s", strerror(-rc));
        return -1;
    }
    return 0;
}
