#include "diagcap.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void record(void *user, enum diag_level level, const char *file, int line, const char *msg)
{
    struct diagcap *c = user;
    if (c->echo)
        diag_print(stderr, level, file, line, msg);
    if (c->count == sizeof c->msgs / sizeof c->msgs[0])
        return;
    struct diagcap_msg *m = &c->msgs[c->count++];
    m->level = level;
    snprintf(m->file, sizeof m->file, "%s", file ? file : "");
    m->line = line;
    snprintf(m->text, sizeof m->text, "%s", msg);
}

void diagcap_init(struct diagcap *c)
{
    memset(c, 0, sizeof *c);
    c->diag.fn = record;
    c->diag.user = c;
    c->echo = getenv("DIAGCAP_ECHO") != NULL;
}

size_t diagcap_count(const struct diagcap *c, enum diag_level level)
{
    size_t n = 0;
    for (size_t i = 0; i < c->count; i++)
        n += c->msgs[i].level == level;
    return n;
}

const struct diagcap_msg *diagcap_find(const struct diagcap *c, enum diag_level level, const char *needle)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->msgs[i].level == level && strstr(c->msgs[i].text, needle))
            return &c->msgs[i];
    return NULL;
}

void tmpdir_make(char *out, size_t len)
{
    const char *base = getenv("TMPDIR");
    snprintf(out, len, "%s/ledticker-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(out)) {
        perror("mkdtemp");
        abort();
    }
}

void tmpdir_write_bytes(const char *dir, const char *name, const void *bytes, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len) {
        perror(path);
        abort();
    }
    fclose(f);
}

void tmpdir_write(const char *dir, const char *name, const char *text)
{
    tmpdir_write_bytes(dir, name, text, strlen(text));
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void tmpdir_remove(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
