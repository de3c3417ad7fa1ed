#include "util/ini.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/utf8.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_FILE_BYTES (64u << 20)
#define ARENA_CHUNK 65536

struct chunk {
    struct chunk *next;
    size_t used, size;
    char data[];
};

struct section_store {
    struct ini_section pub;
    struct ini_entry *entries;
    size_t cap;
};

struct watch {
    const char *dir, *pattern;
};

/* A file as it was when read, or what an include pattern matched. */
struct stamp {
    const char *path;
    const char *matches;        /* a pattern: its files, one a line; NULL for a file */
    bool there;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
};

struct ini_doc {
    struct chunk *chunks;
    struct section_store *sections;
    size_t nsections, capsections;
    struct watch *watches;
    size_t nwatches, capwatches;
    struct stamp *stamps;
    size_t nstamps, capstamps;
    const struct diag *d;
    unsigned flags;
    int errors;
    bool oom;
    const char *stack[MAX_INCLUDE_DEPTH + 1];   /* real paths being read */
    int depth;
    const char *confine;                /* INI_CONFINE: the top file's real directory */
};

const char *ini_strerror(int err)
{
    switch (err) {
    case INI_OK: return "success";
    case INI_ERR_SYNTAX: return "the file has errors";
    case INI_ERR_IO: return "cannot read the file";
    case INI_ERR_NO_MEM: return "out of memory";
    }
    return "unknown error";
}

/* ---- storage ---------------------------------------------------------- */

static void *arena_alloc(struct ini_doc *doc, size_t n)
{
    struct chunk *c = doc->chunks;
    if (!c || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
        struct chunk *fresh = malloc(sizeof *fresh + size);
        if (!fresh) {
            doc->oom = true;
            return NULL;
        }
        fresh->used = 0;
        fresh->size = size;
        if (c && size != ARENA_CHUNK) {         /* a big one: keep filling the current chunk */
            fresh->next = c->next;
            c->next = fresh;
        } else {
            fresh->next = c;
            doc->chunks = fresh;
        }
        c = fresh;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

const char *ini_intern(struct ini_doc *doc, const char *s, size_t len)
{
    char *p = arena_alloc(doc, len + 1);
    if (!p)
        return "";
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, n * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

void ini_watch_add(struct ini_doc *doc, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dir = slash ? ini_intern(doc, path, slash == path ? 1 : (size_t)(slash - path)) : ".";
    const char *pattern = slash ? slash + 1 : path;
    for (size_t i = 0; i < doc->nwatches; i++)
        if (!strcmp(doc->watches[i].dir, dir) && !strcmp(doc->watches[i].pattern, pattern))
            return;
    if (!grow((void **)&doc->watches, &doc->capwatches, doc->nwatches + 1, sizeof *doc->watches)) {
        doc->oom = true;
        return;
    }
    doc->watches[doc->nwatches++] = (struct watch){ dir, ini_intern(doc, pattern, strlen(pattern)) };
}

static struct stamp stamp_of(const char *path, const struct stat *st)
{
    struct stamp s = { .path = path, .there = st != NULL };
    if (st) {
        s.dev = st->st_dev;
        s.ino = st->st_ino;
        s.size = st->st_size;
        s.mtime = st->st_mtim;
        s.ctime = st->st_ctim;
    }
    return s;
}

void ini_note_read(struct ini_doc *doc, const char *path, const struct stat *st)
{
    if (!grow((void **)&doc->stamps, &doc->capstamps, doc->nstamps + 1, sizeof *doc->stamps)) {
        doc->oom = true;
        return;
    }
    doc->stamps[doc->nstamps++] = stamp_of(ini_intern(doc, path, strlen(path)), st);
}

/* The files an include pattern matches, one a line (directories left out),
 * in a malloc'd string; NULL when out of memory. */
static char *glob_files(glob_t *g, int rc)
{
    size_t len = 1;
    for (size_t i = 0; rc == 0 && i < g->gl_pathc; i++)
        len += strlen(g->gl_pathv[i]) + 1;
    char *out = malloc(len), *o = out;
    for (size_t i = 0; out && rc == 0 && i < g->gl_pathc; i++) {
        size_t n = strlen(g->gl_pathv[i]);
        if (n && g->gl_pathv[i][n - 1] != '/') {
            memcpy(o, g->gl_pathv[i], n);
            o += n;
            *o++ = '\n';
        }
    }
    if (out)
        *o = '\0';
    return out;
}

static bool pattern_changed(const struct stamp *was)
{
    glob_t g;
    int rc = glob(was->path, GLOB_MARK, NULL, &g);
    char *now = glob_files(&g, rc);
    bool changed = !now || strcmp(now, was->matches) != 0;
    free(now);
    if (rc == 0 || rc == GLOB_NOMATCH)
        globfree(&g);
    return changed;
}

bool ini_changed_on_disk(const struct ini_doc *doc)
{
    for (size_t i = 0; i < doc->nstamps; i++) {
        const struct stamp *was = &doc->stamps[i];
        if (was->matches) {
            if (pattern_changed(was))
                return true;
            continue;
        }
        struct stat st;
        struct stamp now = stamp_of(was->path, stat(was->path, &st) == 0 ? &st : NULL);
        if (now.there != was->there)
            return true;
        if (now.there && (now.dev != was->dev || now.ino != was->ino || now.size != was->size ||
                          now.mtime.tv_sec != was->mtime.tv_sec || now.mtime.tv_nsec != was->mtime.tv_nsec ||
                          now.ctime.tv_sec != was->ctime.tv_sec || now.ctime.tv_nsec != was->ctime.tv_nsec))
            return true;
    }
    return false;
}

/* ---- UTF-8 and text helpers ------------------------------------------ */

/* ASCII white space and U+3000 IDEOGRAPHIC SPACE. */
static size_t space_at(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\v' || s[0] == '\f'))
        return 1;
    if (len >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

static size_t space_before(const char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                     s[len - 1] == '\v' || s[len - 1] == '\f'))
        return 1;
    if (len >= 3 && !memcmp(s + len - 3, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

static void trim(const char **s, size_t *len)
{
    size_t k;
    while ((k = space_at(*s, *len))) {
        *s += k;
        *len -= k;
    }
    while ((k = space_before(*s, *len)))
        *len -= k;
}

/* A short, printable excerpt of a line for messages (cut on a character). */
static int excerpt_len(const char *s, size_t len)
{
    size_t n = len < 40 ? len : 40;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

static void error_at(struct ini_doc *doc, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void error_at(struct ini_doc *doc, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(doc->d, DIAG_ERROR, file, line, fmt, ap);
    va_end(ap);
    doc->errors++;
}

/* ---- parsing ---------------------------------------------------------- */

static int parse_text(struct ini_doc *doc, const char *name, const char *text, size_t len);

static bool has_glob_chars(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* Reads a whole file; *st is the file as it was when opened. */
static int read_whole(const char *path, char **out, size_t *len, int *err, struct stat *st_out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
        *err = S_ISDIR(st.st_mode) ? EISDIR : errno;
        fclose(f);
        return -1;
    }
    *st_out = st;
    if (st.st_size > (off_t)MAX_FILE_BYTES) {
        *err = EFBIG;
        fclose(f);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f))
            break;
        if (cap >= MAX_FILE_BYTES) {            /* grew while we read */
            free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    *err = buf ? 0 : (errno ? errno : ENOMEM);
    if (buf && ferror(f)) {
        *err = EIO;
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf)
        return -1;
    *out = buf;
    *len = n;
    return 0;
}

/* Reads one file (top or included) given the name used in messages. */
static int parse_file(struct ini_doc *doc, const char *name, const char *from_file, int from_line)
{
    char *text;
    size_t len;
    int err;
    struct stat st;
    if (read_whole(name, &text, &len, &err, &st) != 0) {
        if (from_file)
            error_at(doc, from_file, from_line, "cannot read include '%s': %s", name, strerror(err));
        else
            error_at(doc, name, 0, "cannot read the file: %s", strerror(err));
        return INI_ERR_IO;
    }
    ini_watch_add(doc, name);
    ini_note_read(doc, name, &st);
    char *real = realpath(name, NULL);
    for (int i = 0; real && i < doc->depth; i++)
        if (!strcmp(doc->stack[i], real)) {
            error_at(doc, from_file, from_line, "include cycle: '%s' is already being read", name);
            free(real);
            free(text);
            return INI_ERR_SYNTAX;
        }
    if (doc->confine && from_file && real
        && (strncmp(real, doc->confine, strlen(doc->confine)) || real[strlen(doc->confine)] != '/')) {
        error_at(doc, from_file, from_line, "include '%s' is outside %s, the only directory this file may read",
                 name, doc->confine);
        free(real);
        free(text);
        return INI_ERR_SYNTAX;
    }
    doc->stack[doc->depth++] = real ? ini_intern(doc, real, strlen(real)) : name;
    free(real);
    int rc = parse_text(doc, ini_intern(doc, name, strlen(name)), text, len);
    doc->depth--;
    free(text);
    return rc;
}

static void do_include(struct ini_doc *doc, const char *file, int line, const char *pattern)
{
    if (!*pattern) {
        error_at(doc, file, line, "include needs a file name or a pattern");
        return;
    }
    if (doc->depth >= MAX_INCLUDE_DEPTH) {
        error_at(doc, file, line, "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
        return;
    }
    char path[PATH_MAX];
    const char *slash = strrchr(file, '/');
    if (pattern[0] == '/' || !slash)
        snprintf(path, sizeof path, "%s", pattern);
    else
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - file), file, pattern);
    if (!has_glob_chars(path)) {
        parse_file(doc, path, file, line);
        return;
    }
    const char *last = strrchr(path, '/');
    if (!last || !has_glob_chars(last + 1) || !memchr(path, '*', (size_t)(last - path)))
        ini_watch_add(doc, path);                   /* new matches appear in this directory */
    glob_t g;
    int rc = glob(path, GLOB_MARK, NULL, &g);
    char *matches = glob_files(&g, rc);
    if (matches && grow((void **)&doc->stamps, &doc->capstamps, doc->nstamps + 1, sizeof *doc->stamps))
        doc->stamps[doc->nstamps++] = (struct stamp){ .path = ini_intern(doc, path, strlen(path)),
                                                      .matches = ini_intern(doc, matches, strlen(matches)) };
    else
        doc->oom = true;
    free(matches);
    size_t files = 0;
    if (rc == 0)
        for (size_t i = 0; i < g.gl_pathc; i++) {
            size_t n = strlen(g.gl_pathv[i]);
            if (n && g.gl_pathv[i][n - 1] == '/')
                continue;                       /* a directory */
            files++;
            parse_file(doc, g.gl_pathv[i], file, line);
        }
    else if (rc != GLOB_NOMATCH)
        error_at(doc, file, line, "cannot expand include pattern '%s'", pattern);
    if (rc == 0 || rc == GLOB_NOMATCH)
        globfree(&g);
    if (!files && (rc == 0 || rc == GLOB_NOMATCH))
        diag_emit(doc->d, DIAG_WARN, file, line, "include pattern '%s' matches nothing", pattern);
}

static struct section_store *add_section(struct ini_doc *doc, const char *file, int line,
                                         const char *name, size_t len)
{
    if (!grow((void **)&doc->sections, &doc->capsections, doc->nsections + 1, sizeof *doc->sections)) {
        doc->oom = true;
        return NULL;
    }
    struct section_store *s = &doc->sections[doc->nsections++];
    memset(s, 0, sizeof *s);
    s->pub.name = ini_intern(doc, name, len);
    s->pub.file = file;
    s->pub.line = line;
    return s;
}

static void add_entry(struct ini_doc *doc, size_t section, const char *file, int line,
                      const char *key, size_t klen, const char *value, size_t vlen)
{
    struct section_store *s = &doc->sections[section];
    if (!grow((void **)&s->entries, &s->cap, s->pub.count + 1, sizeof *s->entries)) {
        doc->oom = true;
        return;
    }
    s->entries[s->pub.count++] = (struct ini_entry){
        ini_intern(doc, key, klen), ini_intern(doc, value, vlen), file, line };
    s->pub.entries = s->entries;
}

/* Where the key ends: the first '=' or full-width '＝' (EF BC 9D). */
static const char *find_separator(const char *s, size_t len, size_t *seplen)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '=') {
            *seplen = 1;
            return s + i;
        }
        if (s[i] == '\xEF' && i + 3 <= len && !memcmp(s + i, "\xEF\xBC\x9D", 3)) {
            *seplen = 3;
            return s + i;
        }
    }
    return NULL;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !memcmp(s, prefix, n);
}

static void parse_line(struct ini_doc *doc, const char *file, int lineno,
                       const char *s, size_t len, size_t *cur)
{
    trim(&s, &len);
    if (!len || s[0] == '#' || s[0] == ';' || starts_with(s, len, "\xEF\xBC\x83") /* ＃ */ ||
        starts_with(s, len, "\xEF\xBC\x9B") /* ； */)
        return;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close) {
            error_at(doc, file, lineno, "section header '%.*s' is missing its closing ']'",
                     excerpt_len(s, len), s);
            return;
        }
        const char *name = s + 1, *rest = close + 1;
        size_t nlen = (size_t)(close - name), rlen = len - (size_t)(rest - s);
        trim(&name, &nlen);
        trim(&rest, &rlen);
        if (rlen && rest[0] != '#' && rest[0] != ';') {
            error_at(doc, file, lineno, "unexpected text '%.*s' after the section header",
                     excerpt_len(rest, rlen), rest);
            return;
        }
        if (!nlen) {
            error_at(doc, file, lineno, "empty section name '[]'");
            return;
        }
        if (add_section(doc, file, lineno, name, nlen))
            *cur = doc->nsections - 1;
        return;
    }
    size_t seplen;
    const char *sep = find_separator(s, len, &seplen);
    if (!sep) {
        error_at(doc, file, lineno, "expected '[section]' or 'key = value', not '%.*s'",
                 excerpt_len(s, len), s);
        return;
    }
    const char *key = s, *value = sep + seplen;
    size_t klen = (size_t)(sep - s), vlen = len - (size_t)(value - s);
    trim(&key, &klen);
    trim(&value, &vlen);
    if (!klen) {
        error_at(doc, file, lineno, "missing key before '='");
        return;
    }
    if (klen == 7 && !strncasecmp(key, "include", 7) && !(doc->flags & INI_NO_INCLUDE)) {
        char *pattern = strndup(value, vlen);
        if (!pattern) {
            doc->oom = true;
            return;
        }
        do_include(doc, file, lineno, pattern);
        free(pattern);
        return;
    }
    if (*cur == (size_t)-1) {
        error_at(doc, file, lineno, "key '%.*s' comes before any [section]", excerpt_len(key, klen), key);
        return;
    }
    add_entry(doc, *cur, file, lineno, key, klen, value, vlen);
}

static int parse_text(struct ini_doc *doc, const char *name, const char *text, size_t len)
{
    int errors_before = doc->errors;
    size_t cur = (size_t)-1;                    /* each file starts outside any section */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    int lineno = 0;
    for (size_t pos = 0; pos < len && !doc->oom;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + pos;
        size_t llen = end - pos;
        lineno++;
        size_t bad = utf8_check(line, llen);
        if (bad < llen) {
            error_at(doc, name, lineno,
                     "not valid UTF-8 (byte 0x%02X in column %zu); the file may be GBK: "
                     "save it as UTF-8 (the rest of this file is ignored)",
                     (unsigned char)line[bad], bad + 1);
            break;
        }
        parse_line(doc, name, lineno, line, llen, &cur);
        pos = end + 1;
    }
    if (doc->oom)
        return INI_ERR_NO_MEM;
    return doc->errors > errors_before ? INI_ERR_SYNTAX : INI_OK;
}

/* ---- public ----------------------------------------------------------- */

static struct ini_doc *doc_new(unsigned flags, const struct diag *d)
{
    struct ini_doc *doc = calloc(1, sizeof *doc);
    if (doc) {
        doc->flags = flags;
        doc->d = d;
    }
    return doc;
}

static int finish(struct ini_doc *doc, int rc, struct ini_doc **out)
{
    if (doc->oom)
        rc = INI_ERR_NO_MEM;
    else if (doc->errors && rc == INI_OK)
        rc = INI_ERR_SYNTAX;
    if (rc == INI_ERR_NO_MEM || rc == INI_ERR_IO) {
        ini_free(doc);
        doc = NULL;
    }
    *out = doc;
    return rc;
}

int ini_load(struct ini_doc **out, const char *path, unsigned flags, const struct diag *d)
{
    struct ini_doc *doc = doc_new(flags, d);
    *out = NULL;
    if (!doc)
        return INI_ERR_NO_MEM;
    if (flags & INI_CONFINE) {
        char *real = realpath(path, NULL), *slash = real ? strrchr(real, '/') : NULL;
        if (slash)
            doc->confine = ini_intern(doc, real, (size_t)(slash - real));
        free(real);
        if (!doc->confine)
            doc->confine = "/nonexistent";      /* nothing can be included */
    }
    return finish(doc, parse_file(doc, path, NULL, 0), out);
}

size_t ini_file_count(const struct ini_doc *doc)
{
    return doc->nstamps;
}

const char *ini_file_at(const struct ini_doc *doc, size_t i)
{
    const struct stamp *s = &doc->stamps[i];
    return s->matches || !s->there ? NULL : s->path;
}

int ini_parse(struct ini_doc **out, const char *name, const char *text, size_t len,
              unsigned flags, const struct diag *d)
{
    struct ini_doc *doc = doc_new(flags, d);
    *out = NULL;
    if (!doc)
        return INI_ERR_NO_MEM;
    return finish(doc, parse_text(doc, ini_intern(doc, name, strlen(name)), text, len), out);
}

void ini_free(struct ini_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nsections; i++)
        free(doc->sections[i].entries);
    free(doc->sections);
    free(doc->watches);
    free(doc->stamps);
    for (struct chunk *c = doc->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(doc);
}

size_t ini_section_count(const struct ini_doc *doc)
{
    return doc->nsections;
}

const struct ini_section *ini_section_at(const struct ini_doc *doc, size_t i)
{
    return i < doc->nsections ? &doc->sections[i].pub : NULL;
}

size_t ini_watch_count(const struct ini_doc *doc)
{
    return doc->nwatches;
}

void ini_watch_at(const struct ini_doc *doc, size_t i, const char **dir, const char **pattern)
{
    *dir = doc->watches[i].dir;
    *pattern = doc->watches[i].pattern;
}
