/* config_summary — summary_file: a UTF-8 text file, relative to the config
 * file that names it, watched for changes and joined into one line. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schedule/config_internal.h"
#include "util/utf8.h"

#define SUMMARY_FILE_MAX (1u << 20)

/* Joins the lines of a text file: nothing between two lines, except a space
 * between two ASCII words (the files are often hard-wrapped mid-sentence). */
static char *join_lines(const char *text, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return NULL;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        text += 3, len -= 3;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *s = text + pos;
        size_t n = end - pos;
        while (n && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++, n--;
        while (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
            s += 3, n -= 3;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            n--;
        if (n) {
            if (o > out && isalnum((unsigned char)o[-1]) && isalnum((unsigned char)s[0]))
                *o++ = ' ';
            memcpy(o, s, n);
            o += n;
        }
        pos = end + 1;
    }
    *o = '\0';
    return out;
}

int config_summary_file(struct pctx *c, const char *v, void *field)
{
    if (!*v) {
        config_perr(c, "summary_file needs a file name");
        return -1;
    }
    if (c->opt->sandbox) {
        config_perr(c, "summary_file '%s' is not read in sandbox mode", v);
        return -1;
    }
    const char *path = config_value_path_near(c, v);
    if (c->layer && !config_layer_inside(c->layer, path)) {
        config_perr(c, "summary_file '%s' is outside %s, the only directory %s may read", v,
                    c->layer->dir, c->layer->name);
        return -1;
    }
    ini_watch_add(c->cfg->doc, path);
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0)
        ini_note_read(c->cfg->doc, path, &st);
    if (!f) {
        config_perr(c, "cannot read summary_file '%s': %s", v, strerror(errno));
        return -1;
    }
    char *buf = malloc(SUMMARY_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, SUMMARY_FILE_MAX + 1, f) : 0;
    int rerr = ferror(f) ? errno : 0;
    fclose(f);
    if (!buf || rerr || n > SUMMARY_FILE_MAX) {
        config_perr(c, "cannot read summary_file '%s': %s", v,
             !buf ? strerror(ENOMEM) : rerr ? strerror(rerr) : "larger than 1 MiB");
        free(buf);
        return -1;
    }
    size_t bad = utf8_check(buf, n);
    if (bad < n) {
        int line = 1;
        for (size_t i = 0; i < bad; i++)
            line += buf[i] == '\n';
        config_perr(c, "summary_file '%s' is not valid UTF-8 (line %d); the file may be GBK: save it as UTF-8",
             v, line);
        free(buf);
        return -1;
    }
    char *joined = join_lines(buf, n);
    free(buf);
    if (!joined) {
        config_perr(c, "out of memory");
        return -1;
    }
    if (!*joined)
        config_pwarn(c, c->file, c->line, "summary_file '%s' is empty", v);
    FIELD(const char *) = config_intern(c, joined);
    free(joined);
    return 0;
}
