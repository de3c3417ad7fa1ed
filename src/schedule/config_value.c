/* config_value — one parser per kind of value: numbers, yes/no, colours,
 * dates and weekdays, hours, outputs, fonts, speeds... Each takes the raw
 * value, reports a problem with its file and line, and stores into the
 * field the key table names. Full-width forms typed by Chinese input
 * methods are accepted wherever a value is structured. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schedule/config_internal.h"
#include "util/suggest.h"

/* ---- full-width tolerance ------------------------------------------- */

/* A copy of `s` with what Chinese input methods type in place of ASCII
 * turned back into ASCII: ＝ ： ， 、 － ～ ＃, full-width digits and the
 * ideographic space. Only for structured values, never for text shown. */
char *config_value_normalize(const char *s)
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

char *config_value_skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return (char *)s;
}

void config_value_trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

/* ---- value parsers ---------------------------------------------------- */

const char *config_value_path_near(struct pctx *c, const char *v)
{
    char path[PATH_MAX];
    const char *slash = c->file ? strrchr(c->file, '/') : NULL;
    if (v[0] == '/' || !slash)
        snprintf(path, sizeof path, "%s", v);
    else
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - c->file), c->file, v);
    return config_intern(c, path);
}

int config_value_text(struct pctx *c, const char *v, void *field)
{
    if ((long)strlen(v) < c->k->min) {
        config_perr(c, "%s is empty", c->k->name);
        return -1;
    }
    FIELD(const char *) = config_intern(c, v);
    return 0;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *config_value_skip_space(end) || errno)
        return -1;
    *out = v;
    return 0;
}

int config_value_int(struct pctx *c, const char *v, void *field)
{
    char *n = config_value_normalize(v);
    long x = 0;
    int rc = n ? parse_long(config_value_skip_space(n), &x) : -1;
    free(n);
    if (rc != 0) {
        config_perr(c, "%s '%s' is not a whole number", c->k->name, v);
        return -1;
    }
    if (x < c->k->min || x > c->k->max) {
        config_perr(c, "%s %ld is out of range %ld-%ld", c->k->name, x, c->k->min, c->k->max);
        return -1;
    }
    FIELD(int) = (int)x;
    return 0;
}

int config_value_bool(struct pctx *c, const char *v, void *field)
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
    config_perr(c, "%s must be yes or no, not '%s'", c->k->name, v);
    return -1;
}

int config_value_color(struct pctx *c, const char *v, void *field)
{
    static const struct { const char *name; uint32_t rgb; } names[] = {
        { "white", 0xFFFFFF }, { "red", 0xFF0000 }, { "green", 0x00FF00 },
        { "blue", 0x0000FF }, { "yellow", 0xFFFF00 }, { "cyan", 0x00FFFF },
        { "magenta", 0xFF00FF }, { "orange", 0xFF8000 }, { "amber", 0xFFB000 },
    };
    char *n = config_value_normalize(v);
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
        config_perr(c, "color '%s' is not a colour: use #RRGGBB, #RGB or a name "
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

static int p_when(struct pctx *c, const char *v, void *field, bool end_of_day)
{
    struct config_when *w = field;
    if (!*v) {
        w->set = false;
        return 0;
    }
    struct civil_when when;
    if (civil_parse(v, &when) != 0 || when.precision == CIVIL_SECOND) {
        config_perr(c, "%s '%s' is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM", c->k->name, v);
        return -1;
    }
    *w = (struct config_when){ true, when.day,
                               when.precision == CIVIL_DATE && end_of_day ? 1440 : when.minute };
    return 0;
}

int config_value_from(struct pctx *c, const char *v, void *field)
{
    return p_when(c, v, field, false);
}

int config_value_until(struct pctx *c, const char *v, void *field)
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

/* The statutory calendar's kinds of day (calendar.h), in English and Chinese. */
static const struct {
    const char *name;
    unsigned bit;
} day_kinds[] = {
    { "workday", CONFIG_DAYS_WORKDAY }, { "工作日", CONFIG_DAYS_WORKDAY },
    { "restday", CONFIG_DAYS_RESTDAY }, { "休息日", CONFIG_DAYS_RESTDAY },
    { "holiday", CONFIG_DAYS_HOLIDAY }, { "节假日", CONFIG_DAYS_HOLIDAY },
};

static unsigned day_word(const char *item)
{
    if (!strcasecmp(item, "daily") || !strcasecmp(item, "all"))
        return CONFIG_DAYS_ALL;
    if (!strcasecmp(item, "weekdays"))
        return 0x3E;
    if (!strcasecmp(item, "weekends"))
        return 0x41;
    for (size_t i = 0; i < sizeof day_kinds / sizeof day_kinds[0]; i++)
        if (!strcasecmp(item, day_kinds[i].name))
            return day_kinds[i].bit;
    return 0;
}

/* The closest word to a mistyped item. `workday` (the statutory calendar)
 * and `weekdays` (Monday to Friday) are one letter apart but mean different
 * things, so neither is ever offered for the other. */
static const char *days_suggestion(const char *item)
{
    static const char *words[] = { "daily", "weekdays", "weekends", "workday", "restday", "holiday",
                                   "monday", "tuesday", "wednesday", "thursday", "friday",
                                   "saturday", "sunday" };
    struct suggest s = { item, NULL, 0 };
    bool week = !strncasecmp(item, "we", 2), work = !strncasecmp(item, "wo", 2);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if ((week && !strcmp(words[i], "workday")) || (work && !strncmp(words[i], "week", 4)))
            continue;
        suggest_try(&s, words[i]);
    }
    return s.best;
}

int config_value_days(struct pctx *c, const char *v, void *field)
{
    char *n = config_value_normalize(v);
    if (!n)
        return -1;
    unsigned mask = 0;
    const char *hint = NULL;
    int rc = 0;
    for (char *save = NULL, *item = strtok_r(n, ",", &save); item && !rc;
         item = strtok_r(NULL, ",", &save)) {
        item = config_value_skip_space(item);
        config_value_trim_end(item);
        unsigned word = day_word(item);
        if (word) {
            mask |= word;
            continue;
        }
        char *dash = strchr(item, '-');
        char *a = item, *b = dash ? dash + 1 : item;
        size_t alen = dash ? (size_t)(dash - item) : strlen(item);
        while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
            alen--;
        b = config_value_skip_space(b);
        int from = weekday_name(a, alen), to = weekday_name(b, strlen(b));
        if (from < 0 || to < 0) {
            hint = dash ? NULL : days_suggestion(item);
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
        if (hint)
            config_perr(c, "days '%s' is not a list of days; did you mean '%s'?", v, hint);
        else
            config_perr(c, "days '%s' is not a list of days: use e.g. mon-fri, sat,sun, fri-mon, daily, "
                        "or workday, restday, holiday (工作日, 休息日, 节假日)", v);
        return -1;
    }
    FIELD(uint16_t) = (uint16_t)mask;
    return 0;
}

static int parse_windows(const char *v, struct config_hours *h, size_t max, const char **why)
{
    char *n = config_value_normalize(v);
    if (!n)
        return -1;
    struct config_hours out = { 0 };
    int rc = 0;
    for (char *save = NULL, *item = strtok_r(n, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        const char *s = config_value_skip_space(item), *end = s;
        int a = parse_hhmm(s, &end);
        s = config_value_skip_space(end);
        if (a < 0 || *s != '-') {
            rc = -1;
            break;
        }
        end = s;
        int b = parse_hhmm(config_value_skip_space(s + 1), &end);
        if (b < 0 || *config_value_skip_space(end)) {
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

int config_value_hours(struct pctx *c, const char *v, void *field)
{
    struct config_hours *h = field;
    const char *why = NULL;
    if (!*v) {
        h->count = 0;
        return 0;
    }
    if (parse_windows(v, h, c->k->max, &why) != 0) {
        config_perr(c, "%s '%s' %s%s", c->k->name, v, why ? "is wrong: " : "",
             why ? why : c->k->max == 1 ? "is not a time window: use HH:MM-HH:MM, e.g. 22:00-06:00"
                                        : "is not a list of time windows: use e.g. 08:00-12:00, 14:00-18:00");
        return -1;
    }
    return 0;
}

/* A value only another module can judge: the caller's check says whether
 * it names something that exists. Defaults (no file) are not checked. */
static int checked(struct pctx *c, const char *v, void *field, config_check_fn check)
{
    char why[512];
    if (*v && check && c->file && check(c->opt->check_user, v, why, sizeof why) != 0) {
        config_perr(c, "%s", why);
        return -1;
    }
    FIELD(const char *) = config_intern(c, v);
    return 0;
}

int config_value_output(struct pctx *c, const char *v, void *field)
{
    if (!*v) {
        config_perr(c, "output is empty: leave it out for auto");
        return -1;
    }
    return checked(c, v, field, c->opt->check_output);
}

int config_value_font(struct pctx *c, const char *v, void *field)
{
    char *n = config_value_normalize(v);
    if (!n)
        return -1;
    /* Tidy "A ， B" into "A,B" so the renderer's list parser sees one form. */
    char *o = n;
    for (char *save = NULL, *item = strtok_r(n, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        item = config_value_skip_space(item);
        config_value_trim_end(item);
        if (!*item)
            continue;
        if (o != n)
            *o++ = ',';
        memmove(o, item, strlen(item) + 1);
        o += strlen(o);
    }
    *o = '\0';
    FIELD(const char *) = config_intern(c, n);
    free(n);
    return 0;
}

int config_value_mode(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "mono"))
        FIELD(enum config_mode) = CONFIG_MODE_MONO;
    else if (!strcasecmp(v, "gray") || !strcasecmp(v, "grey"))
        FIELD(enum config_mode) = CONFIG_MODE_GRAY;
    else {
        config_perr(c, "mode '%s' is not mono or gray", v);
        return -1;
    }
    return 0;
}

int config_value_speed(struct pctx *c, const char *v, void *field)
{
    char *n = config_value_normalize(v), *end;
    if (!n)
        return -1;
    errno = 0;
    double x = strtod(n, &end);
    const char *unit = config_value_skip_space(end);
    struct config_speed s = { x, CONFIG_SPEED_PX };
    int rc = end != n && !errno && isfinite(x) ? 0 : -1;
    if (!strcasecmp(unit, "cps"))
        s.unit = CONFIG_SPEED_CPS;
    else if (*unit && strcasecmp(unit, "px/s") && strcasecmp(unit, "px"))
        rc = -1;
    free(n);
    if (rc) {
        config_perr(c, "speed '%s' is not a speed: use pixels per second (32) or characters per second (3 cps)", v);
        return -1;
    }
    double lo = s.unit == CONFIG_SPEED_CPS ? 0.5 : (double)c->k->min;
    double hi = s.unit == CONFIG_SPEED_CPS ? 50 : (double)c->k->max;
    if (x < lo || x > hi) {
        config_perr(c, "speed '%s' is out of range %g-%g %s", v, lo, hi,
             s.unit == CONFIG_SPEED_CPS ? "cps" : "px/s");
        return -1;
    }
    FIELD(struct config_speed) = s;
    return 0;
}

int config_value_board(struct pctx *c, const char *v, void *field)
{
    if (*v && strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(v)) {
        config_perr(c, "board '%s' is not a board name (letters, digits, '.', '-', '_')", v);
        return -1;
    }
    return checked(c, v, field, c->opt->check_board);
}

int config_value_idle(struct pctx *c, const char *v, void *field)
{
    struct config_idle *idle = field;
    if (!strcasecmp(v, "clock"))
        *idle = (struct config_idle){ CONFIG_IDLE_CLOCK, NULL };
    else if (!strcasecmp(v, "blank"))
        *idle = (struct config_idle){ CONFIG_IDLE_BLANK, NULL };
    else if (!strncasecmp(v, "text:", 5) && *config_value_skip_space(v + 5))
        *idle = (struct config_idle){ CONFIG_IDLE_TEXT, config_intern(c, config_value_skip_space(v + 5)) };
    else {
        config_perr(c, "idle '%s' is not clock, blank or text:WORDS", v);
        return -1;
    }
    return 0;
}

/* A decimal with up to `decimals` places, stored scaled as an int (hold in
 * ms, gamma * 100), bounds from the table in the same scaled unit. */
static int p_scaled(struct pctx *c, const char *v, void *field, double scale, const char *what)
{
    char *n = config_value_normalize(v), *end;
    if (!n)
        return -1;
    errno = 0;
    double x = strtod(config_value_skip_space(n), &end);
    int rc = end != config_value_skip_space(n) && !errno && isfinite(x) && !*config_value_skip_space(end) ? 0 : -1;
    free(n);
    if (rc) {
        config_perr(c, "%s '%s' is not %s", c->k->name, v, what);
        return -1;
    }
    long scaled = lround(x * scale);
    if (scaled < c->k->min || scaled > c->k->max) {
        config_perr(c, "%s %s is out of range %g-%g", c->k->name, v, c->k->min / scale, c->k->max / scale);
        return -1;
    }
    FIELD(int) = (int)scaled;
    return 0;
}

int config_value_seconds_ms(struct pctx *c, const char *v, void *field)
{
    return p_scaled(c, v, field, 1000, "a number of seconds");
}

int config_value_gamma(struct pctx *c, const char *v, void *field)
{
    return p_scaled(c, v, field, 100, "a gamma like 2.2");
}

int config_value_rows(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "auto"))
        FIELD(int) = 0;
    else if (!strcmp(v, "1") || !strcmp(v, "2"))
        FIELD(int) = v[0] - '0';
    else {
        config_perr(c, "rows '%s' is not auto, 1 or 2", v);
        return -1;
    }
    return 0;
}

int config_value_clock(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "none") || !*v)
        FIELD(enum config_clock) = CONFIG_CLOCK_NONE;
    else if (!strcasecmp(v, "time"))
        FIELD(enum config_clock) = CONFIG_CLOCK_TIME;
    else if (!strcasecmp(v, "date"))
        FIELD(enum config_clock) = CONFIG_CLOCK_DATE;
    else if (!strcasecmp(v, "lunar"))
        FIELD(enum config_clock) = CONFIG_CLOCK_LUNAR;
    else if (!strcasecmp(v, "date_lunar"))
        FIELD(enum config_clock) = CONFIG_CLOCK_DATE_LUNAR;
    else {
        config_perr(c, "clock '%s' is not none, time, date, lunar or date_lunar", v);
        return -1;
    }
    return 0;
}

int config_value_on_stop(struct pctx *c, const char *v, void *field)
{
    if (!strcasecmp(v, "standby"))
        FIELD(enum config_on_stop) = CONFIG_ON_STOP_STANDBY;
    else if (!strcasecmp(v, "notice"))
        FIELD(enum config_on_stop) = CONFIG_ON_STOP_NOTICE;
    else {
        config_perr(c, "on_stop '%s' is not standby or notice", v);
        return -1;
    }
    return 0;
}
