#include "schedule/config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/ini.h"

#define SUMMARY_FILE_MAX (1u << 20)

struct config {
    struct ini_doc *doc;                /* owns every string */
    struct config_display display;
    struct config_message *messages;
    size_t nmessages, capmessages;
    size_t *hash;                       /* message index + 1 by ID, open addressing */
    size_t hashcap;
};

const char *config_strerror(int err)
{
    switch (err) {
    case CONFIG_OK: return "success";
    case CONFIG_ERR_INVALID: return "the config has errors";
    case CONFIG_ERR_IO: return "cannot read the config";
    case CONFIG_ERR_NO_MEM: return "out of memory";
    }
    return "unknown error";
}

/* ---- parsing context ------------------------------------------------- */

struct config_key;

struct pctx {
    struct config *cfg;
    const struct config_options *opt;
    const struct diag *d;
    const struct config_key *k;
    const char *file;                   /* NULL while applying defaults */
    int line;
    int errors;
};

typedef int (*parse_fn)(struct pctx *c, const char *value, void *field);

struct config_key {
    const char *section;
    const char *name;
    parse_fn parse;
    long min, max;
    const char *def;                    /* parsed by `parse` itself; NULL = no default */
    size_t offset;
    const char *type, *doc;
};

static void perr(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(struct pctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(c->d, DIAG_ERROR, c->file, c->line, fmt, ap);
    va_end(ap);
    c->errors++;
}

static void pwarn(struct pctx *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void pwarn(struct pctx *c, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(c->d, DIAG_WARN, file, line, fmt, ap);
    va_end(ap);
}

/* ---- full-width tolerance ------------------------------------------- */

/* A copy of `s` with what Chinese input methods type in place of ASCII
 * turned back into ASCII: ＝ ： ， 、 － ～ ＃, full-width digits and the
 * ideographic space. Only for structured values, never for text shown. */
static char *normalize(const char *s)
{
    static const struct { const char *from, *to; } map[] = {
        { "\xEF\xBC\x9D", "=" }, { "\xEF\xBC\x9A", ":" }, { "\xEF\xBC\x8C", "," },
        { "\xE3\x80\x81", "," }, { "\xEF\xBC\x8D", "-" }, { "\xEF\xBD\x9E", "-" },
        { "\xEF\xBC\x83", "#" }, { "\xE3\x80\x80", " " }, { "~", "-" },
    };
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        if (u[0] < 0x80 && u[0] != '~') {
            *o++ = s[i++];
            continue;
        }
        if (n - i >= 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
            *o++ = (char)('0' + u[2] - 0x90);   /* ０..９ */
            i += 3;
            continue;
        }
        size_t k = 0;
        for (; k < sizeof map / sizeof map[0]; k++) {
            size_t len = strlen(map[k].from);
            if (n - i >= len && !memcmp(s + i, map[k].from, len)) {
                *o++ = map[k].to[0];
                i += len;
                break;
            }
        }
        if (k == sizeof map / sizeof map[0])
            *o++ = s[i++];
    }
    *o = '\0';
    return out;
}

static char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return (char *)s;
}

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

/* ---- did you mean ----------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Keeps the closest candidate within a typo's reach of `word`. */
struct suggest {
    const char *word, *best;
    size_t dist;
};

static void suggest_try(struct suggest *s, const char *candidate)
{
    size_t d = edit_distance(s->word, candidate);
    size_t reach = strlen(candidate) / 3 > 2 ? strlen(candidate) / 3 : 2;
    if (d <= reach && (!s->best || d < s->dist)) {
        s->best = candidate;
        s->dist = d;
    }
}

/* ---- value parsers ---------------------------------------------------- */

#define FIELD(type) (*(type *)field)

static const char *intern(struct pctx *c, const char *s)
{
    return ini_intern(c->cfg->doc, s, strlen(s));
}

static int p_text(struct pctx *c, const char *v, void *field)
{
    if ((long)strlen(v) < c->k->min) {
        perr(c, "%s is empty", c->k->name);
        return -1;
    }
    FIELD(const char *) = intern(c, v);
    return 0;
}

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

static int p_text_file(struct pctx *c, const char *v, void *field)
{
    if (!*v) {
        perr(c, "summary_file needs a file name");
        return -1;
    }
    if (c->opt->sandbox) {
        perr(c, "summary_file '%s' is not read in sandbox mode", v);
        return -1;
    }
    char path[PATH_MAX];
    const char *slash = c->file ? strrchr(c->file, '/') : NULL;
    if (v[0] == '/' || !slash)
        snprintf(path, sizeof path, "%s", v);
    else
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - c->file), c->file, v);
    ini_watch_add(c->cfg->doc, path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perr(c, "cannot read summary_file '%s': %s", v, strerror(errno));
        return -1;
    }
    char *buf = malloc(SUMMARY_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, SUMMARY_FILE_MAX + 1, f) : 0;
    int rerr = ferror(f) ? errno : 0;
    fclose(f);
    if (!buf || rerr || n > SUMMARY_FILE_MAX) {
        perr(c, "cannot read summary_file '%s': %s", v,
             !buf ? strerror(ENOMEM) : rerr ? strerror(rerr) : "larger than 1 MiB");
        free(buf);
        return -1;
    }
    size_t bad = ini_utf8_check(buf, n);
    if (bad < n) {
        int line = 1;
        for (size_t i = 0; i < bad; i++)
            line += buf[i] == '\n';
        perr(c, "summary_file '%s' is not valid UTF-8 (line %d); the file may be GBK: save it as UTF-8",
             v, line);
        free(buf);
        return -1;
    }
    char *joined = join_lines(buf, n);
    free(buf);
    if (!joined) {
        perr(c, "out of memory");
        return -1;
    }
    if (!*joined)
        pwarn(c, c->file, c->line, "summary_file '%s' is empty", v);
    FIELD(const char *) = intern(c, joined);
    free(joined);
    return 0;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *skip_space(end) || errno)
        return -1;
    *out = v;
    return 0;
}

static int p_int(struct pctx *c, const char *v, void *field)
{
    char *n = normalize(v);
    long x = 0;
    int rc = n ? parse_long(skip_space(n), &x) : -1;
    free(n);
    if (rc != 0) {
        perr(c, "%s '%s' is not a whole number", c->k->name, v);
        return -1;
    }
    if (x < c->k->min || x > c->k->max) {
        perr(c, "%s %ld is out of range %ld-%ld", c->k->name, x, c->k->min, c->k->max);
        return -1;
    }
    FIELD(int) = (int)x;
    return 0;
}

static int p_bool(struct pctx *c, const char *v, void *field)
{
    static const char *yes[] = { "yes", "true", "on", "1", "是" };
    static const char *no[] = { "no", "false", "off", "0", "否" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!strcasecmp(v, yes[i])) {
            FIELD(bool) = true;
            return 0;
        }
        if (!strcasecmp(v, no[i])) {
            FIELD(bool) = false;
            return 0;
        }
    }
    perr(c, "%s must be yes or no, not '%s'", c->k->name, v);
    return -1;
}

static int p_color(struct pctx *c, const char *v, void *field)
{
    static const struct { const char *name; uint32_t rgb; } names[] = {
        { "white", 0xFFFFFF }, { "red", 0xFF0000 }, { "green", 0x00FF00 },
        { "blue", 0x0000FF }, { "yellow", 0xFFFF00 }, { "cyan", 0x00FFFF },
        { "magenta", 0xFF00FF }, { "orange", 0xFF8000 }, { "amber", 0xFFB000 },
    };
    char *n = normalize(v);
    if (!n)
        return -1;
    const char *s = n;
    size_t len = strlen(s);
    int rc = -1;
    if (s[0] == '#' && (len == 4 || len == 7) && strspn(s + 1, "0123456789abcdefABCDEF") == len - 1) {
        uint32_t x = (uint32_t)strtoul(s + 1, NULL, 16);
        if (len == 4)
            x = (x >> 8 & 0xF) * 0x110000 + (x >> 4 & 0xF) * 0x1100 + (x & 0xF) * 0x11;
        FIELD(uint32_t) = x;
        rc = 0;
    }
    for (size_t i = 0; rc && i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(s, names[i].name)) {
            FIELD(uint32_t) = names[i].rgb;
            rc = 0;
        }
    free(n);
    if (rc)
        perr(c, "color '%s' is not a colour: use #RRGGBB, #RGB or a name "
                "(white, red, green, blue, yellow, cyan, magenta, orange, amber)", v);
    return rc;
}

/* "HH:MM" with 0-24 hours; returns minutes or -1. */
static int parse_hhmm(const char *s, const char **end)
{
    int h = 0, digits = 0;
    while (isdigit((unsigned char)*s) && digits < 2)
        h = h * 10 + (*s++ - '0'), digits++;
    if (!digits || *s != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
        return -1;
    int m = (s[1] - '0') * 10 + (s[2] - '0');
    *end = s + 3;
    if (h > 24 || m > 59 || (h == 24 && m))
        return -1;
    return h * 60 + m;
}

int config_parse_when(const char *text, bool end_of_day, struct config_when *out)
{
    char *n = normalize(text);
    if (!n)
        return -1;
    const char *s = skip_space(n);
    int y, mo, d, used = 0, rc = -1;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 && used >= 8 &&
        y >= 1970 && y <= 9999 && civil_date_valid(y, mo, d)) {
        const char *rest = skip_space(s + used);
        struct config_when w = { true, civil_day_from_date(y, mo, d), end_of_day ? 1440 : 0 };
        if (!*rest)
            rc = 0;
        else if (rest != s + used) {
            const char *end = rest;
            int m = parse_hhmm(rest, &end);
            if (m >= 0 && m < 1440 && !*skip_space(end)) {
                w.minute = m;
                rc = 0;
            }
        }
        if (rc == 0)
            *out = w;
    }
    free(n);
    return rc;
}

static int p_when(struct pctx *c, const char *v, void *field, bool end_of_day)
{
    struct config_when *w = field;
    if (!*v) {
        w->set = false;
        return 0;
    }
    if (config_parse_when(v, end_of_day, w) != 0) {
        perr(c, "%s '%s' is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM", c->k->name, v);
        return -1;
    }
    return 0;
}

static int p_from(struct pctx *c, const char *v, void *field)
{
    return p_when(c, v, field, false);
}

static int p_until(struct pctx *c, const char *v, void *field)
{
    return p_when(c, v, field, true);
}

static int weekday_name(const char *s, size_t len)
{
    static const char *names[7] = { "sunday", "monday", "tuesday", "wednesday",
                                    "thursday", "friday", "saturday" };
    for (int i = 0; i < 7; i++)
        if ((len == 3 || len == strlen(names[i])) && !strncasecmp(s, names[i], len))
            return i;
    return -1;
}

static int p_days(struct pctx *c, const char *v, void *field)
{
    char *n = normalize(v);
    if (!n)
        return -1;
    unsigned mask = 0;
    int rc = 0;
    for (char *save = NULL, *item = strtok_r(n, ",", &save); item && !rc;
         item = strtok_r(NULL, ",", &save)) {
        item = skip_space(item);
        trim_end(item);
        if (!strcasecmp(item, "daily") || !strcasecmp(item, "all")) {
            mask |= CONFIG_DAYS_ALL;
            continue;
        }
        if (!strcasecmp(item, "weekdays")) {
            mask |= 0x3E;
            continue;
        }
        if (!strcasecmp(item, "weekends")) {
            mask |= 0x41;
            continue;
        }
        char *dash = strchr(item, '-');
        char *a = item, *b = dash ? dash + 1 : item;
        size_t alen = dash ? (size_t)(dash - item) : strlen(item);
        while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
            alen--;
        b = skip_space(b);
        int from = weekday_name(a, alen), to = weekday_name(b, strlen(b));
        if (from < 0 || to < 0) {
            rc = -1;
            break;
        }
        for (int d = from;; d = (d + 1) % 7) {          /* ranges wrap: fri-mon */
            mask |= 1u << d;
            if (d == to)
                break;
        }
    }
    free(n);
    if (rc || !mask) {
        perr(c, "days '%s' is not a list of weekdays: use e.g. mon-fri, sat,sun, fri-mon or daily", v);
        return -1;
    }
    FIELD(uint8_t) = (uint8_t)mask;
    return 0;
}

static int parse_windows(const char *v, struct config_hours *h, size_t max, const char **why)
{
    char *n = normalize(v);
    if (!n)
        return -1;
    struct config_hours out = { 0 };
    int rc = 0;
    for (char *save = NULL, *item = strtok_r(n, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        const char *s = skip_space(item), *end = s;
        int a = parse_hhmm(s, &end);
        s = skip_space(end);
        if (a < 0 || *s != '-') {
            rc = -1;
            break;
        }
        end = s;
        int b = parse_hhmm(skip_space(s + 1), &end);
        if (b < 0 || *skip_space(end)) {
            rc = -1;
            break;
        }
        if (a == 1440) {
            *why = "24:00 is allowed only as the end of a window";
            rc = -1;
            break;
        }
        if (out.count == max) {
            *why = max == 1 ? "only one window is allowed" : "too many windows (at most 16)";
            rc = -1;
            break;
        }
        out.w[out.count++] = (struct config_window){ (int16_t)a, (int16_t)b };
    }
    free(n);
    if (rc == 0 && out.count == 0)
        rc = -1;
    if (rc == 0)
        *h = out;
    return rc;
}

static int p_hours(struct pctx *c, const char *v, void *field)
{
    struct config_hours *h = field;
    const char *why = NULL;
    if (!*v) {
        h->count = 0;
        return 0;
    }
    if (parse_windows(v, h, c->k->max, &why) != 0) {
        perr(c, "%s '%s' %s%s", c->k->name, v, why ? "is wrong: " : "",
             why ? why : c->k->max == 1 ? "is not a time window: use HH:MM-HH:MM, e.g. 22:00-06:00"
                                        : "is not a list of time windows: use e.g. 08:00-12:00, 14:00-18:00");
        return -1;
    }
    return 0;
}

static int p_output(struct pctx *c, const char *v, void *field)
{
    static const struct { const char *name; enum config_output_kind kind; } kinds[] = {
        { "auto", CONFIG_OUTPUT_AUTO }, { "usb", CONFIG_OUTPUT_USB },
        { "sim", CONFIG_OUTPUT_SIM }, { "term", CONFIG_OUTPUT_TERM },
    };
    struct config_output *o = field;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcasecmp(v, kinds[i].name)) {
            *o = (struct config_output){ kinds[i].kind, NULL, kinds[i].name };
            return 0;
        }
    if (!strncasecmp(v, "record:", 7) && v[7]) {
        *o = (struct config_output){ CONFIG_OUTPUT_RECORD, intern(c, v + 7), intern(c, v) };
        return 0;
    }
    perr(c, "output '%s' is not one of auto, usb, sim, term, record:PATH", v);
    return -1;
}

static int p_font(struct pctx *c, const char *v, void *field)
{
    char *n = normalize(v);
    if (!n)
        return -1;
    /* Tidy "A ， B" into "A,B" so the renderer's list parser sees one form. */
    char *o = n;
    for (char *save = NULL, *item = strtok_r(n, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        item = skip_space(item);
        trim_end(item);
        if (!*item)
            continue;
        if (o != n)
            *o++ = ',';
        memmove(o, item, strlen(item) + 1);
        o += strlen(o);
    }
    *o = '\0';
    FIELD(const char *) = intern(c, n);
    free(n);
    return 0;
}

static int p_mode(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "mono"))
        FIELD(enum config_mode) = CONFIG_MODE_MONO;
    else if (!strcasecmp(v, "gray") || !strcasecmp(v, "grey"))
        FIELD(enum config_mode) = CONFIG_MODE_GRAY;
    else {
        perr(c, "mode '%s' is not mono or gray", v);
        return -1;
    }
    return 0;
}

static int p_speed(struct pctx *c, const char *v, void *field)
{
    char *n = normalize(v), *end;
    if (!n)
        return -1;
    errno = 0;
    double x = strtod(n, &end);
    const char *unit = skip_space(end);
    struct config_speed s = { x, CONFIG_SPEED_PX };
    int rc = end != n && !errno && isfinite(x) ? 0 : -1;
    if (!strcasecmp(unit, "cps"))
        s.unit = CONFIG_SPEED_CPS;
    else if (*unit && strcasecmp(unit, "px/s") && strcasecmp(unit, "px"))
        rc = -1;
    free(n);
    if (rc) {
        perr(c, "speed '%s' is not a speed: use pixels per second (32) or characters per second (3 cps)", v);
        return -1;
    }
    double lo = s.unit == CONFIG_SPEED_CPS ? 0.5 : (double)c->k->min;
    double hi = s.unit == CONFIG_SPEED_CPS ? 50 : (double)c->k->max;
    if (x < lo || x > hi) {
        perr(c, "speed '%s' is out of range %g-%g %s", v, lo, hi,
             s.unit == CONFIG_SPEED_CPS ? "cps" : "px/s");
        return -1;
    }
    FIELD(struct config_speed) = s;
    return 0;
}

static void suggest_board(struct pctx *c, const char *name, char *out, size_t outlen)
{
    struct suggest s = { name, NULL, 0 };
    char names[64][64];
    size_t count = 0;
    DIR *dir = opendir(c->opt->boards_dir);
    struct dirent *e;
    while (dir && (e = readdir(dir)) && count < 64) {
        size_t len = strlen(e->d_name);
        if (len > 4 && len < 64 && !strcmp(e->d_name + len - 4, ".ini")) {
            snprintf(names[count], sizeof names[count], "%.*s", (int)(len - 4), e->d_name);
            suggest_try(&s, names[count]);
            count++;
        }
    }
    if (dir)
        closedir(dir);
    snprintf(out, outlen, "%s%s%s", s.best ? "; did you mean '" : "", s.best ? s.best : "", s.best ? "'?" : "");
}

static int p_board(struct pctx *c, const char *v, void *field)
{
    if (*v && strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(v)) {
        perr(c, "board '%s' is not a board name (letters, digits, '.', '-', '_')", v);
        return -1;
    }
    if (*v && c->opt->boards_dir && c->file) {
        char path[PATH_MAX], hint[128];
        snprintf(path, sizeof path, "%s/%s.ini", c->opt->boards_dir, v);
        if (access(path, R_OK) != 0) {
            suggest_board(c, v, hint, sizeof hint);
            perr(c, "unknown board '%s' (no %s)%s", v, path, hint);
            return -1;
        }
    }
    FIELD(const char *) = intern(c, v);
    return 0;
}

static int p_idle(struct pctx *c, const char *v, void *field)
{
    struct config_idle *idle = field;
    if (!strcasecmp(v, "clock"))
        *idle = (struct config_idle){ CONFIG_IDLE_CLOCK, NULL };
    else if (!strcasecmp(v, "blank"))
        *idle = (struct config_idle){ CONFIG_IDLE_BLANK, NULL };
    else if (!strncasecmp(v, "text:", 5) && *skip_space(v + 5))
        *idle = (struct config_idle){ CONFIG_IDLE_TEXT, intern(c, skip_space(v + 5)) };
    else {
        perr(c, "idle '%s' is not clock, blank or text:WORDS", v);
        return -1;
    }
    return 0;
}

/* A decimal with up to `decimals` places, stored scaled as an int (hold in
 * ms, gamma * 100), bounds from the table in the same scaled unit. */
static int p_scaled(struct pctx *c, const char *v, void *field, double scale, const char *what)
{
    char *n = normalize(v), *end;
    if (!n)
        return -1;
    errno = 0;
    double x = strtod(skip_space(n), &end);
    int rc = end != skip_space(n) && !errno && isfinite(x) && !*skip_space(end) ? 0 : -1;
    free(n);
    if (rc) {
        perr(c, "%s '%s' is not %s", c->k->name, v, what);
        return -1;
    }
    long scaled = lround(x * scale);
    if (scaled < c->k->min || scaled > c->k->max) {
        perr(c, "%s %s is out of range %g-%g", c->k->name, v, c->k->min / scale, c->k->max / scale);
        return -1;
    }
    FIELD(int) = (int)scaled;
    return 0;
}

static int p_seconds_ms(struct pctx *c, const char *v, void *field)
{
    return p_scaled(c, v, field, 1000, "a number of seconds");
}

static int p_gamma(struct pctx *c, const char *v, void *field)
{
    return p_scaled(c, v, field, 100, "a gamma like 2.2");
}

static int p_rows(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "auto"))
        FIELD(int) = 0;
    else if (!strcmp(v, "1") || !strcmp(v, "2"))
        FIELD(int) = v[0] - '0';
    else {
        perr(c, "rows '%s' is not auto, 1 or 2", v);
        return -1;
    }
    return 0;
}

static int p_clock(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "none") || !*v)
        FIELD(enum config_clock) = CONFIG_CLOCK_NONE;
    else if (!strcasecmp(v, "time"))
        FIELD(enum config_clock) = CONFIG_CLOCK_TIME;
    else if (!strcasecmp(v, "date"))
        FIELD(enum config_clock) = CONFIG_CLOCK_DATE;
    else {
        perr(c, "clock '%s' is not none, time or date", v);
        return -1;
    }
    return 0;
}

static int p_on_stop(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "standby"))
        FIELD(enum config_on_stop) = CONFIG_ON_STOP_STANDBY;
    else if (!strcasecmp(v, "notice"))
        FIELD(enum config_on_stop) = CONFIG_ON_STOP_NOTICE;
    else {
        perr(c, "on_stop '%s' is not standby or notice", v);
        return -1;
    }
    return 0;
}

/* ---- the table -------------------------------------------------------- */

#define D(f) offsetof(struct config_display, f)
#define M(f) offsetof(struct config_message, f)

static const struct config_key keys[] = {
    /* section, key, parser, min, max, default, field, type, doc */
    { "display", "board", p_board, 0, 0, "", D(board), "NAME",
      "board description under boards/ (geometry when no controller answers)" },
    { "display", "output", p_output, 0, 0, "auto", D(output), "auto|usb|sim|term|record:PATH",
      "where frames go; auto = the USB controller if one answers, else the simulator" },
    { "display", "font", p_font, 0, 0, "", D(font), "FAMILY[,FALLBACK...]",
      "font family chain; empty = the default chain (fonts/default.chain)" },
    { "display", "size", p_int, 6, 256, "16", D(size), "PX", "text size in pixels, as ledticker render --size" },
    { "display", "mode", p_mode, 0, 0, "mono", D(mode), "mono|gray", "rasterizing mode, as ledticker render --mode" },
    { "display", "speed", p_speed, 1, 2000, "32", D(speed), "PX_PER_S | N cps",
      "scroll speed: pixels per second, or characters per second with 'cps' (0.5-50)" },
    { "display", "brightness", p_int, 0, 100, "80", D(brightness), "PERCENT", "panel brightness" },
    { "display", "brightness_night", p_int, 0, 100, "30", D(brightness_night), "PERCENT",
      "brightness during the night window" },
    { "display", "night", p_hours, 0, 1, "", D(night), "HH:MM-HH:MM",
      "when brightness_night applies, e.g. 22:00-06:00; empty = never" },
    { "display", "off", p_hours, 0, CONFIG_MAX_WINDOWS, "", D(off), "HH:MM-HH:MM[, ...]",
      "hours with the panel dark; empty = never" },
    { "display", "idle", p_idle, 0, 0, "clock", D(idle), "clock|blank|text:WORDS",
      "what shows when no message is active" },
    { "display", "fps", p_int, 1, 240, "60", D(fps), "N", "frames per second, independent of the speed" },
    { "display", "gap", p_int, 1, 4096, "32", D(gap), "PX", "space between one message and the next" },
    { "display", "hold", p_seconds_ms, 0, 60000, "0", D(hold_ms), "SECONDS",
      "pause with the start of each message at the left edge" },
    { "display", "separator", p_text, 0, 0, "◆", D(separator), "TEXT",
      "between a headline and its summary on one row (set off by full-width spaces)" },
    { "display", "rows", p_rows, 0, 0, "auto", D(rows), "auto|1|2",
      "two rows (headline still on top, summary scrolling below) on panels at least twice the size tall" },
    { "display", "label", p_text, 0, 0, "", D(label), "TEXT", "a fixed label zone at the left, e.g. 新闻; empty = none" },
    { "display", "label_color", p_color, 0, 0, "#FF4000", D(label_color), "#RRGGBB|#RGB|NAME", "the label's colour" },
    { "display", "clock", p_clock, 0, 0, "none", D(clock), "none|time|date",
      "a clock zone at the right: HH:MM, or the date with 星期" },
    { "display", "clock_color", p_color, 0, 0, "#FFB000", D(clock_color), "#RRGGBB|#RGB|NAME", "the clock's colour" },
    { "display", "gamma", p_gamma, 100, 300, "2.2", D(gamma_x100), "G",
      "gamma the host applies when the controller does not (GET_INFO says which)" },
    { "display", "play_log", p_text, 0, 0, "", D(play_log), "PATH",
      "proof of play: one line per completed pass (start, message ID, seconds); reopened on SIGHUP" },
    { "display", "on_stop", p_on_stop, 0, 0, "standby", D(on_stop), "standby|notice",
      "what the panel shows after the ticker stops: dark, or stop_notice" },
    { "display", "stop_notice", p_text, 0, 0, "", D(stop_notice), "TEXT", "the notice left on the panel with on_stop = notice" },

    { "message", "headline", p_text, 1, 0, NULL, M(headline), "TEXT", "the headline (required)" },
    { "message", "summary", p_text, 0, 0, "", M(summary), "TEXT", "one or two sentences after the headline" },
    { "message", "summary_file", p_text_file, 0, 0, NULL, M(summary), "PATH",
      "the summary from a UTF-8 text file, relative to this config file; lines are joined" },
    { "message", "color", p_color, 0, 0, "#FFFFFF", M(color), "#RRGGBB|#RGB|NAME", "text colour" },
    { "message", "priority", p_int, 0, 100, "50", M(priority), "0-100", "higher plays first" },
    { "message", "from", p_from, 0, 0, "", M(from), "YYYY-MM-DD [HH:MM]", "first moment it plays" },
    { "message", "until", p_until, 0, 0, "", M(until), "YYYY-MM-DD [HH:MM]",
      "it stops before this moment; a bare date means the end of that day" },
    { "message", "days", p_days, 0, 0, "daily", M(days), "mon-fri|sat,sun|fri-mon|daily",
      "weekdays; ranges wrap" },
    { "message", "hours", p_hours, 0, CONFIG_MAX_WINDOWS, "", M(hours), "HH:MM-HH:MM[, ...]",
      "daily windows; empty = all day; end <= start crosses midnight; 24:00 is allowed as an end" },
    { "message", "repeat", p_int, 1, 100, "1", M(repeat), "N", "copies per cycle, spread evenly" },
    { "message", "emergency", p_bool, 0, 0, "no", M(emergency), "yes|no",
      "while an emergency message is active, only emergency messages play" },
    { "message", "enabled", p_bool, 0, 0, "yes", M(enabled), "yes|no", "no = never plays" },
};

#define NKEYS (sizeof keys / sizeof keys[0])

size_t config_key_count(void)
{
    return NKEYS;
}

void config_key_at(size_t i, struct config_key_info *info)
{
    *info = (struct config_key_info){ keys[i].section, keys[i].name, keys[i].type,
                                      keys[i].def, keys[i].doc };
}

static size_t key_index(const char *section, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].name[0] == tolower((unsigned char)name[0]) && !strcmp(keys[i].section, section) &&
            !strcasecmp(keys[i].name, name))
            return i;
    return NKEYS;
}

/* ---- sections --------------------------------------------------------- */

static const struct {
    const char *name;
    bool has_id;
} kinds[] = { { "display", false }, { "message", true } };

#define NKINDS (sizeof kinds / sizeof kinds[0])

static void apply_defaults(struct pctx *c, const char *section, void *obj)
{
    const char *file = c->file;
    int line = c->line;
    c->file = NULL;
    c->line = 0;
    for (size_t i = 0; i < NKEYS; i++)
        if (!strcmp(keys[i].section, section) && keys[i].def) {
            c->k = &keys[i];
            keys[i].parse(c, keys[i].def, (char *)obj + keys[i].offset);
        }
    c->file = file;
    c->line = line;
}

static bool id_valid(const char *id)
{
    return *id && strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == strlen(id);
}

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

const struct config_message *config_message_find(const struct config *cfg, const char *id)
{
    if (!cfg->hashcap)
        return NULL;
    for (size_t i = hash_str(id) & (cfg->hashcap - 1);; i = (i + 1) & (cfg->hashcap - 1)) {
        if (!cfg->hash[i])
            return NULL;
        if (!strcmp(cfg->messages[cfg->hash[i] - 1].id, id))
            return &cfg->messages[cfg->hash[i] - 1];
    }
}

static int hash_insert(struct config *cfg, size_t index)
{
    if ((cfg->nmessages + 1) * 2 > cfg->hashcap) {
        size_t cap = cfg->hashcap ? cfg->hashcap * 2 : 64;
        size_t *h = calloc(cap, sizeof *h);
        if (!h)
            return -1;
        for (size_t j = 0; j < cfg->hashcap; j++)
            if (cfg->hash[j])
                for (size_t i = hash_str(cfg->messages[cfg->hash[j] - 1].id) & (cap - 1);; i = (i + 1) & (cap - 1))
                    if (!h[i]) {
                        h[i] = cfg->hash[j];
                        break;
                    }
        free(cfg->hash);
        cfg->hash = h;
        cfg->hashcap = cap;
    }
    for (size_t i = hash_str(cfg->messages[index].id) & (cfg->hashcap - 1);; i = (i + 1) & (cfg->hashcap - 1))
        if (!cfg->hash[i]) {
            cfg->hash[i] = index + 1;
            return 0;
        }
}

/* Per-message facts needed after all sections are read. */
struct msg_build {
    const struct ini_entry *seen[NKEYS];
};

struct build {
    struct pctx c;
    struct config_message message_defaults;     /* the table's defaults, parsed once */
    const struct ini_entry *display_seen[NKEYS];
    struct msg_build *msgs;
    size_t capmsgs;
};

static void parse_entries(struct build *b, const struct ini_section *sec, const char *kind,
                          void *obj, const struct ini_entry **seen)
{
    struct pctx *c = &b->c;
    for (size_t i = 0; i < sec->count; i++) {
        const struct ini_entry *e = &sec->entries[i];
        c->file = e->file;
        c->line = e->line;
        size_t k = key_index(kind, e->key);
        if (k == NKEYS) {
            struct suggest s = { e->key, NULL, 0 };
            for (size_t j = 0; j < NKEYS; j++)
                if (!strcmp(keys[j].section, kind))
                    suggest_try(&s, keys[j].name);
            if (s.best)
                perr(c, "unknown key '%s' in [%s]; did you mean '%s'?", e->key, kind, s.best);
            else
                perr(c, "unknown key '%s' in [%s]", e->key, kind);
            continue;
        }
        if (seen[k]) {
            perr(c, "'%s' is already set at %s:%d", keys[k].name, seen[k]->file, seen[k]->line);
            continue;
        }
        seen[k] = e;
        c->k = &keys[k];
        keys[k].parse(c, e->value, (char *)obj + keys[k].offset);
    }
}

static void check_message(struct build *b, struct config_message *m, const struct ini_entry **seen)
{
    struct pctx *c = &b->c;
    size_t ks = key_index("message", "summary"), kf = key_index("message", "summary_file");
    size_t kfrom = key_index("message", "from"), kuntil = key_index("message", "until");
    if (!seen[key_index("message", "headline")]) {
        c->file = m->file;
        c->line = m->line;
        perr(c, "message '%s' has no headline", m->id);
    }
    if (seen[ks] && seen[kf]) {
        const struct ini_entry *later = seen[ks]->line > seen[kf]->line ? seen[ks] : seen[kf];
        c->file = later->file;
        c->line = later->line;
        perr(c, "message '%s' sets both summary and summary_file; keep one", m->id);
    }
    if (m->from.set && m->until.set &&
        (int64_t)m->until.day * 1440 + m->until.minute <= (int64_t)m->from.day * 1440 + m->from.minute) {
        c->file = seen[kuntil]->file;
        c->line = seen[kuntil]->line;
        perr(c, "until '%s' is not after from '%s' (line %d)", seen[kuntil]->value,
             seen[kfrom]->value, seen[kfrom]->line);
    } else if (m->until.set && c->opt->now &&
               civil_instant(m->until.day, m->until.minute) <= c->opt->now)
        pwarn(c, seen[kuntil]->file, seen[kuntil]->line, "message '%s' has expired (until %s)",
              m->id, seen[kuntil]->value);
}

static void read_section(struct build *b, const struct ini_section *sec)
{
    struct pctx *c = &b->c;
    struct config *cfg = c->cfg;
    c->file = sec->file;
    c->line = sec->line;
    const char *sp = sec->name + strcspn(sec->name, " \t");
    char kind[64];
    snprintf(kind, sizeof kind, "%.*s", (int)(sp - sec->name), sec->name);
    const char *id = skip_space(sp);
    size_t k = 0;
    while (k < NKINDS && strcasecmp(kinds[k].name, kind))
        k++;
    if (k == NKINDS) {
        struct suggest s = { kind, NULL, 0 };
        for (size_t j = 0; j < NKINDS; j++)
            suggest_try(&s, kinds[j].name);
        if (s.best)
            perr(c, "unknown section [%s]; did you mean [%s%s%s]?", sec->name, s.best, *id ? " " : "", id);
        else
            perr(c, "unknown section [%s]: sections are [display] and [message ID]", sec->name);
        return;
    }
    if (!kinds[k].has_id) {
        if (*id) {
            perr(c, "[%s] takes no name; write [%s]", sec->name, kinds[k].name);
            return;
        }
        parse_entries(b, sec, "display", &cfg->display, b->display_seen);
        return;
    }
    struct config_message scratch, *m = &scratch;
    bool keep = false;
    if (!*id)
        perr(c, "[%s] needs an ID: [message ID]", sec->name);
    else if (!id_valid(id))
        perr(c, "message ID '%s' may use only ASCII letters, digits, '-' and '_'", id);
    else if (config_message_find(cfg, id)) {
        const struct config_message *first = config_message_find(cfg, id);
        perr(c, "duplicate message ID '%s' (first defined at %s:%d)", id, first->file, first->line);
    } else
        keep = true;
    if (keep) {
        if (cfg->nmessages == cfg->capmessages) {
            size_t cap = cfg->capmessages ? cfg->capmessages * 2 : 16;
            void *p = realloc(cfg->messages, cap * sizeof *cfg->messages);
            void *q = realloc(b->msgs, cap * sizeof *b->msgs);
            if (p)
                cfg->messages = p;
            if (q)
                b->msgs = q;
            if (!p || !q) {
                perr(c, "out of memory");
                return;
            }
            cfg->capmessages = b->capmsgs = cap;
        }
        m = &cfg->messages[cfg->nmessages];
    }
    *m = b->message_defaults;
    m->id = intern(c, *id ? id : "?");
    m->file = sec->file;
    m->line = sec->line;
    m->index = cfg->nmessages;
    struct msg_build local = { 0 }, *mb = keep ? &b->msgs[cfg->nmessages] : &local;
    memset(mb, 0, sizeof *mb);
    if (keep) {
        if (hash_insert(cfg, cfg->nmessages) != 0) {
            perr(c, "out of memory");
            return;
        }
        cfg->nmessages++;
    }
    parse_entries(b, sec, "message", m, mb->seen);
    check_message(b, m, mb->seen);
}

static void coverage_warning(struct build *b, const char *what, const char *id,
                             const char *text, const struct ini_entry *where)
{
    struct pctx *c = &b->c;
    uint32_t cps[8];
    size_t n = c->opt->uncovered(c->opt->uncovered_user, &c->cfg->display, text, strlen(text), cps, 8);
    if (!n)
        return;
    char list[8 * 24] = "", *o = list;
    for (size_t i = 0; i < n && i < 8; i++)
        o += snprintf(o, sizeof list - (size_t)(o - list), "%sU+%04X", i ? ", " : "", (unsigned)cps[i]);
    pwarn(c, where ? where->file : NULL, where ? where->line : 0,
          "%s%s%s%s: %zu character%s no configured font covers: %s%s", id ? "message '" : "",
          id ? id : "", id ? "' " : "", what, n, n == 1 ? "" : "s", list, n > 8 ? ", ..." : "");
}

/* A colour the display's panel shows as nothing (cmd_check decides). */
static void colour_warning(struct build *b, const char *key, const char *id, uint32_t rgb,
                           const struct ini_entry *where, const char *file, int line)
{
    struct pctx *c = &b->c;
    const char *why = c->opt->unlit(c->opt->unlit_user, &c->cfg->display, rgb);
    if (!why)
        return;
    pwarn(c, where ? where->file : file, where ? where->line : line,
          "%s%s%s%s #%06X shows nothing: %s", id ? "message '" : "", id ? id : "",
          id ? "' " : "", key, (unsigned)rgb, why);
}

static void check_colours(struct build *b)
{
    struct config *cfg = b->c.cfg;
    size_t kc = key_index("message", "color");
    for (size_t i = 0; i < cfg->nmessages; i++) {
        const struct config_message *m = &cfg->messages[i];
        colour_warning(b, "color", m->id, m->color, b->msgs[i].seen[kc], m->file, m->line);
    }
    const struct config_display *d = &cfg->display;
    if (*d->label)
        colour_warning(b, "label_color", NULL, d->label_color,
                       b->display_seen[key_index("display", "label_color")], NULL, 0);
    if (d->clock != CONFIG_CLOCK_NONE)
        colour_warning(b, "clock_color", NULL, d->clock_color,
                       b->display_seen[key_index("display", "clock_color")], NULL, 0);
}

static void check_coverage(struct build *b)
{
    struct config *cfg = b->c.cfg;
    size_t kh = key_index("message", "headline"), ks = key_index("message", "summary");
    size_t kf = key_index("message", "summary_file"), ki = key_index("display", "idle");
    for (size_t i = 0; i < cfg->nmessages; i++) {
        const struct config_message *m = &cfg->messages[i];
        const struct ini_entry **seen = b->msgs[i].seen;
        coverage_warning(b, "headline", m->id, m->headline ? m->headline : "", seen[kh]);
        if (*m->summary)
            coverage_warning(b, seen[kf] ? "summary_file" : "summary", m->id, m->summary,
                             seen[kf] ? seen[kf] : seen[ks]);
    }
    if (cfg->display.idle.kind == CONFIG_IDLE_TEXT)
        coverage_warning(b, "idle text", NULL, cfg->display.idle.text, b->display_seen[ki]);
}

static int build_config(struct config *cfg, int ini_rc, const struct config_options *opt,
                        const struct diag *d)
{
    struct build b = { .c = { .cfg = cfg, .opt = opt, .d = d } };
    apply_defaults(&b.c, "display", &cfg->display);
    apply_defaults(&b.c, "message", &b.message_defaults);
    for (size_t i = 0; i < ini_section_count(cfg->doc); i++)
        read_section(&b, ini_section_at(cfg->doc, i));
    if (opt->uncovered)
        check_coverage(&b);
    if (opt->unlit)
        check_colours(&b);
    if (cfg->nmessages == 0 && b.c.errors == 0 && ini_rc == INI_OK)
        diag_emit(d, DIAG_WARN, NULL, 0, "no [message ID] sections: only the idle display will show");
    for (size_t i = 0; i < cfg->nmessages; i++)
        if (!cfg->messages[i].headline)
            cfg->messages[i].headline = "";
    free(b.msgs);
    return b.c.errors || ini_rc != INI_OK ? CONFIG_ERR_INVALID : CONFIG_OK;
}

static int finish(struct config *cfg, struct ini_doc *doc, int ini_rc,
                  const struct config_options *opt, const struct diag *d, struct config **out)
{
    *out = NULL;
    if (ini_rc == INI_ERR_IO)
        return CONFIG_ERR_IO;
    if (ini_rc == INI_ERR_NO_MEM || !cfg) {
        ini_free(doc);
        free(cfg);
        return CONFIG_ERR_NO_MEM;
    }
    cfg->doc = doc;
    static const struct config_options none;
    int rc = build_config(cfg, ini_rc, opt ? opt : &none, d);
    if (rc != CONFIG_OK) {
        config_free(cfg);
        return rc;
    }
    *out = cfg;
    return CONFIG_OK;
}

int config_load(struct config **out, const char *path, const struct config_options *opt,
                const struct diag *d)
{
    struct ini_doc *doc;
    int rc = ini_load(&doc, path, opt && opt->sandbox ? INI_NO_INCLUDE : 0, d);
    return finish(calloc(1, sizeof(struct config)), doc, rc, opt, d, out);
}

int config_parse(struct config **out, const char *name, const char *text, size_t len,
                 const struct config_options *opt, const struct diag *d)
{
    struct ini_doc *doc;
    int rc = ini_parse(&doc, name, text, len, opt && opt->sandbox ? INI_NO_INCLUDE : 0, d);
    return finish(calloc(1, sizeof(struct config)), doc, rc, opt, d, out);
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    ini_free(cfg->doc);
    free(cfg->messages);
    free(cfg->hash);
    free(cfg);
}

const struct config_display *config_display(const struct config *cfg)
{
    return &cfg->display;
}

size_t config_message_count(const struct config *cfg)
{
    return cfg->nmessages;
}

const struct config_message *config_message_at(const struct config *cfg, size_t i)
{
    return i < cfg->nmessages ? &cfg->messages[i] : NULL;
}

size_t config_watch_count(const struct config *cfg)
{
    return ini_watch_count(cfg->doc);
}

void config_watch_at(const struct config *cfg, size_t i, const char **dir, const char **pattern)
{
    ini_watch_at(cfg->doc, i, dir, pattern);
}
