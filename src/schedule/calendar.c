#include "schedule/calendar.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/suggest.h"

/* One year: bit n of each set is day n of the year (0 = 1 January). Each
 * bit remembers the line that set it, for "overlaps line N" messages. */
struct calendar_year {
    int year;
    uint8_t holiday[46], workday[46];
    uint16_t line[366];
};

struct calendar {
    const struct calendar *base;
    struct calendar_year *years;
    size_t count;
};

struct calendar *calendar_new(const struct calendar *base)
{
    struct calendar *cal = calloc(1, sizeof *cal);
    if (cal)
        cal->base = base;
    return cal;
}

void calendar_free(struct calendar *cal)
{
    if (!cal)
        return;
    free(cal->years);
    free(cal);
}

static const struct calendar_year *find_year(const struct calendar *cal, int year)
{
    for (; cal; cal = cal->base)
        for (size_t i = 0; i < cal->count; i++)
            if (cal->years[i].year == year)
                return &cal->years[i];
    return NULL;
}

bool calendar_has_year(const struct calendar *cal, int year)
{
    return find_year(cal, year) != NULL;
}

bool calendar_section_is(const char *name)
{
    return !strncasecmp(name, "calendar", 8) && (!name[8] || name[8] == ' ' || name[8] == '\t');
}

static bool bit(const uint8_t *set, int n)
{
    return set[n / 8] >> (n % 8) & 1;
}

unsigned calendar_day(const struct calendar *cal, civil_day day)
{
    struct civil_date date = civil_date_from_day(day);
    int wd = civil_weekday(day);
    unsigned flags = wd >= 1 && wd <= 5 ? CALENDAR_WORKDAY : 0;
    const struct calendar_year *y = find_year(cal, date.year);
    if (!y)
        return flags;
    int n = (int)(day - civil_day_from_date(date.year, 1, 1));
    if (bit(y->holiday, n))
        return CALENDAR_HOLIDAY;
    if (bit(y->workday, n))
        flags |= CALENDAR_WORKDAY;
    return flags;
}

/* ---- reading a section --------------------------------------------------- */

struct reader {
    const struct diag *d;
    const struct ini_entry *e;
    struct calendar_year *y;
    int errors;
};

__attribute__((format(printf, 2, 3)))
static void fail(struct reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(r->d, DIAG_ERROR, r->e->file, r->e->line, fmt, ap);
    va_end(ap);
    r->errors++;
}

/* One date at *s (YYYY-MM-DD, full-width digits allowed), ending at "..",
 * a blank or the end; advances *s past it. -1 when it is not a date. */
static int read_date(const char **s, civil_day *out)
{
    const char *p = *s, *end = p;
    while (*end && *end != ' ' && *end != '\t' && strncmp(end, "..", 2) &&
           strncmp(end, "\xEF\xBD\x9E", 3) && strncmp(end, "\xE3\x80\x80", 3))   /* ～, ideographic space */
        end++;
    char buf[64];
    if (end == p || (size_t)(end - p) >= sizeof buf)
        return -1;
    memcpy(buf, p, (size_t)(end - p));
    buf[end - p] = 0;
    struct civil_when w;
    if (civil_parse(buf, &w) != 0 || w.precision != CIVIL_DATE)
        return -1;
    *out = w.day;
    *s = end;
    return 0;
}

/* The day's number in the reader's year, or -1 (reported) outside it. */
static int day_in_year(struct reader *r, civil_day day, const char *what)
{
    struct civil_date date = civil_date_from_day(day);
    if (date.year != r->y->year) {
        fail(r, "%s %04d-%02d-%02d is outside [calendar %d]", what, date.year, date.month,
             date.day, r->y->year);
        return -1;
    }
    return (int)(day - civil_day_from_date(r->y->year, 1, 1));
}

static void read_holiday(struct reader *r)
{
    const char *s = r->e->value;
    civil_day a, b;
    if (read_date(&s, &a) != 0) {
        fail(r, "holiday '%s' is not a date or range: use YYYY-MM-DD..YYYY-MM-DD NAME", r->e->value);
        return;
    }
    b = a;
    if (!strncmp(s, "..", 2) || !strncmp(s, "\xEF\xBD\x9E", 3)) {
        s += s[0] == '.' ? 2 : 3;
        if (read_date(&s, &b) != 0) {
            fail(r, "holiday '%s': the range's end is not a date (YYYY-MM-DD)", r->e->value);
            return;
        }
    }
    int first = day_in_year(r, a, "holiday"), last = day_in_year(r, b, "holiday");
    if (first < 0 || last < 0)
        return;
    if (last < first) {
        fail(r, "holiday '%s': the range ends before it starts", r->e->value);
        return;
    }
    for (int n = first; n <= last; n++)
        if (bit(r->y->holiday, n)) {
            fail(r, "holiday '%s' overlaps the holiday at line %d", r->e->value, r->y->line[n]);
            return;
        }
    for (int n = first; n <= last; n++) {
        r->y->holiday[n / 8] |= (uint8_t)(1u << (n % 8));
        r->y->line[n] = (uint16_t)(r->e->line > UINT16_MAX ? UINT16_MAX : r->e->line);
    }
}

static void read_workday(struct reader *r)
{
    const char *s = r->e->value;
    civil_day day;
    if (read_date(&s, &day) != 0 || *s) {
        fail(r, "workday '%s' is not a date: use YYYY-MM-DD", r->e->value);
        return;
    }
    int n = day_in_year(r, day, "workday");
    if (n >= 0)
        r->y->workday[n / 8] |= (uint8_t)(1u << (n % 8));
}

/* Workdays that are also holidays, checked once every key is read (the
 * holiday may come later in the section). */
static void check_workdays(struct reader *r, const struct ini_section *sec)
{
    for (size_t i = 0; i < sec->count; i++) {
        r->e = &sec->entries[i];
        const char *s = r->e->value;
        civil_day day;
        if (strcasecmp(r->e->key, "workday") || read_date(&s, &day) != 0)
            continue;
        int n = (int)(day - civil_day_from_date(r->y->year, 1, 1));
        if (n >= 0 && n < 366 && bit(r->y->holiday, n))
            fail(r, "workday '%s' is also a holiday (line %d)", r->e->value, r->y->line[n]);
    }
}

static int header_year(const char *name)
{
    const char *p = name + 8;
    while (*p == ' ' || *p == '\t')
        p++;
    int year = 0, digits = 0;
    for (; isdigit((unsigned char)*p) && digits < 5; p++, digits++)
        year = year * 10 + (*p - '0');
    return digits == 4 && !*p && year >= 1970 ? year : -1;
}

int calendar_read_section(struct calendar *cal, const struct ini_section *sec, const struct diag *d)
{
    int year = header_year(sec->name);
    if (year < 0) {
        diag_emit(d, DIAG_ERROR, sec->file, sec->line,
                  "[%s] needs a year: write [calendar YYYY], e.g. [calendar 2027]", sec->name);
        return 1;
    }
    for (size_t i = 0; i < cal->count; i++)
        if (cal->years[i].year == year) {
            diag_emit(d, DIAG_ERROR, sec->file, sec->line, "[calendar %d] appears twice", year);
            return 1;
        }
    struct calendar_year *y = calloc(1, sizeof *y);
    if (!y)
        return -1;
    y->year = year;
    struct reader r = { d, NULL, y, 0 };
    for (size_t i = 0; i < sec->count; i++) {
        r.e = &sec->entries[i];
        if (!strcasecmp(r.e->key, "holiday"))
            read_holiday(&r);
        else if (!strcasecmp(r.e->key, "workday"))
            read_workday(&r);
        else {
            struct suggest s = { r.e->key, NULL, 0 };
            suggest_try(&s, "holiday");
            suggest_try(&s, "workday");
            fail(&r, "unknown key '%s' in [calendar %d]%s%s%s", r.e->key, year,
                 s.best ? "; did you mean '" : ": keys are holiday and workday",
                 s.best ? s.best : "", s.best ? "'?" : "");
        }
    }
    check_workdays(&r, sec);
    if (r.errors) {
        free(y);
        return r.errors;
    }
    void *p = realloc(cal->years, (cal->count + 1) * sizeof *cal->years);
    if (!p) {
        free(y);
        return -1;
    }
    cal->years = p;
    cal->years[cal->count++] = *y;
    free(y);
    return 0;
}
