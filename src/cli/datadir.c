#include "cli/datadir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct kind {
    const char *sub;        /* folder name under a data root */
    const char *flag;
    const char *var;        /* the kind's own environment variable */
    const char *marker;     /* a file that must be there; NULL = any directory */
    bool beside_config;
};

static const struct kind kinds[] = {
    [DATADIR_BOARDS] = { "boards", "--boards-dir", "LEDTICKER_BOARDS", NULL, true },
    [DATADIR_FONTS] = { "fonts", "--fonts-dir", "LEDTICKER_FONTS_DIR", "default.chain", false },
    [DATADIR_CALENDAR] = { "calendar", "--calendar-dir", "LEDTICKER_CALENDAR", NULL, false },
};

const char *datadir_flag(enum datadir_kind kind)
{
    return kinds[kind].flag;
}

/* The places tried so far, for the message when nothing is found. */
struct search {
    const struct kind *k;
    char *buf;
    size_t len;
    char tried[2048];
};

static bool usable(const struct kind *k, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    if (!k->marker)
        return true;
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, k->marker) >= (int)sizeof path)
        return false;
    return access(path, R_OK) == 0;
}

/* Tries one place; `why` says where it came from, for the list. */
static bool try_dir(struct search *s, const char *dir, const char *why)
{
    if (usable(s->k, dir)) {
        snprintf(s->buf, s->len, "%s", dir);
        return true;
    }
    size_t used = strlen(s->tried);
    snprintf(s->tried + used, sizeof s->tried - used, "%s%s (%s)", used ? ", " : "", dir, why);
    return false;
}

static void note(struct search *s, const char *what)
{
    size_t used = strlen(s->tried);
    snprintf(s->tried + used, sizeof s->tried - used, "%s%s", used ? ", " : "", what);
}

static bool try_var(struct search *s, const char *var, const char *sub)
{
    const char *v = getenv(var);
    if (!v || !*v) {
        char unset[64];
        snprintf(unset, sizeof unset, "$%s unset", var);
        note(s, unset);
        return false;
    }
    char dir[PATH_MAX], why[64];
    snprintf(dir, sizeof dir, "%s%s%s", v, sub ? "/" : "", sub ? sub : "");
    snprintf(why, sizeof why, "$%s", var);
    return try_dir(s, dir, why);
}

/* The folder the running executable is in, or "" when /proc cannot say. */
static void exe_dir(char *out, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    out[0] = 0;
    if (n <= 0)
        return;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = 0;
        snprintf(out, len, "%s", exe);
    }
}

/* `path` without its last `n` components ("/usr/bin", 1: "/usr"); false
 * when it has fewer. */
static bool parent(const char *path, int n, char *out, size_t len)
{
    snprintf(out, len, "%s", path);
    while (n-- > 0) {
        char *slash = strrchr(out, '/');
        if (!slash)
            return false;
        *slash = 0;
    }
    return true;
}

/* Rules 5 and 6: PREFIX/share/ledticker/KIND for BIN = PREFIX/bin, and the
 * source tree SRC/KIND for BIN = SRC/build or SRC/build/san (the tree is
 * known by its src/main.c). */
static bool try_beside_exe(struct search *s)
{
    char bin[PATH_MAX], root[PATH_MAX], dir[PATH_MAX + 64];
    exe_dir(bin, sizeof bin);
    if (!*bin)
        return false;
    if (parent(bin, 1, root, sizeof root)) {
        snprintf(dir, sizeof dir, "%s/share/ledticker/%s", root, s->k->sub);
        if (try_dir(s, dir, "beside the executable"))
            return true;
    }
    for (int up = 1; up <= 2; up++) {
        if (!parent(bin, up, root, sizeof root))
            break;
        snprintf(dir, sizeof dir, "%s/src/main.c", root);
        if (access(dir, R_OK) != 0)
            continue;
        snprintf(dir, sizeof dir, "%s/%s", root, s->k->sub);
        return try_dir(s, dir, "source tree");
    }
    return false;
}

int datadir_find(enum datadir_kind kind, const char *flag, const char *config_path,
                 char *buf, size_t len)
{
    struct search s = { &kinds[kind], buf, len, "" };
    if (flag) {
        if (try_dir(&s, flag, s.k->flag))
            return 0;
        snprintf(buf, len, "%s", s.tried);
        return -1;
    }
    if (try_var(&s, s.k->var, NULL) || try_var(&s, "LEDTICKER_DATA", s.k->sub))
        return 0;
    if (s.k->beside_config && config_path) {
        const char *slash = strrchr(config_path, '/');
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s/%s", slash ? (int)(slash - config_path) : 1,
                 slash ? config_path : ".", s.k->sub);
        if (try_dir(&s, dir, "beside the config"))
            return 0;
    }
    if (try_beside_exe(&s))
        return 0;
    snprintf(buf, len, "%s", s.tried);
    return -1;
}

int datadir_resolve(enum datadir_kind kind, const char *flag, const char *config_path,
                    char *buf, size_t len, const char **dir)
{
    *dir = NULL;
    if (datadir_find(kind, flag, config_path, buf, len) == 0) {
        *dir = buf;
        return 0;
    }
    if (!flag)
        return 0;
    fprintf(stderr, "ledticker: error: %s %s: %s\n", kinds[kind].flag, flag,
            kinds[kind].marker ? "no such directory, or it has no default.chain"
                               : "no such directory");
    return -1;
}
