#include "schedule/lunar.h"

#include <lunar-date/lunar-date.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define LUNAR_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LUNAR_LSAN 1
#endif
#endif
#ifdef LUNAR_LSAN
#include <sanitizer/lsan_interface.h>
#endif

struct lunar {
    LunarDate *date;            /* one per owner: the library leaks (lunar.h) */
};

/* The library keeps process-wide state (the year's solar terms in one
 * static buffer, refilled when another year is asked), so objects used
 * from two threads (the frame loop, the thread that builds a reloaded
 * config) would overwrite each other's terms. Every call into it holds
 * this lock: the one piece of global state here, and it guards the
 * library's, not ours. */
static pthread_mutex_t library = PTHREAD_MUTEX_INITIALIZER;

/* The library's object. Its instance init allocates what no free or
 * unref ever releases (lunar.h). tests/lsan.supp names the library, but
 * the sanitizer's fast unwinder stops at GLib (built without frame
 * pointers) and never sees it on the stack; so in sanitizer builds the
 * construction alone is kept out of leak checking. */
static LunarDate *new_date(void)
{
#ifdef LUNAR_LSAN
    __lsan_disable();
#endif
    pthread_mutex_lock(&library);
    LunarDate *d = lunar_date_new();
    pthread_mutex_unlock(&library);
#ifdef LUNAR_LSAN
    __lsan_enable();
#endif
    return d;
}

struct lunar *lunar_new(void)
{
    struct lunar *l = calloc(1, sizeof *l);
    if (l && !(l->date = new_date())) {
        free(l);
        return NULL;
    }
    return l;
}

void lunar_free(struct lunar *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&library);
    g_object_unref(l->date);    /* lunar_date_free leaks even the object */
    pthread_mutex_unlock(&library);
    free(l);
}

/* The library's solar-term names in the C locale, in order from 小寒.
 * Matched as prefixes: liblunar-date 3.0.1 glues two of them to the next
 * term's date ("Mángzhòng20260621 Xiàzhì") and cuts 霜降 to "Shuāngjià". */
static const struct {
    const char *pinyin, *name;
} terms[] = {
    { "Xiǎohán", "小寒" }, { "Dàhán", "大寒" }, { "Lìchūn", "立春" }, { "Yǔshuǐ", "雨水" },
    { "Jīngzhé", "惊蛰" }, { "Chūnfēn", "春分" }, { "Qīngmíng", "清明" }, { "Gǔyǔ", "谷雨" },
    { "Lìxià", "立夏" }, { "Xiǎomǎn", "小满" }, { "Mángzhòng", "芒种" }, { "Xiàzhì", "夏至" },
    { "Xiǎoshǔ", "小暑" }, { "Dàshǔ", "大暑" }, { "Lìqīu", "立秋" }, { "Chùshǔ", "处暑" },
    { "Báilòu", "白露" }, { "Qīufēn", "秋分" }, { "Hánlòu", "寒露" }, { "Shuāngjià", "霜降" },
    { "Lìdōng", "立冬" }, { "Xiǎoxuě", "小雪" }, { "Dàxuě", "大雪" }, { "Dōngzhì", "冬至" },
};

/* The terms the library puts on the wrong Beijing day, 1901-2100: year,
 * term index, and the real month and day. Made by
 * tests/tools/solar_terms_errata.py from an ephemeris (PyEphem, VSOP87,
 * apparent longitude of date) against liblunar-date 3.0.1; sorted by year. */
static const struct {
    int16_t year;
    int8_t term, month, day;
} errata[] = {
#include "schedule/lunar_errata.inc"
};

/* The term on a day as corrected by the errata: the library's `raw`
 * (or -1), moved off a day the errata move it from, onto the day they
 * move one to. */
static int corrected_term(struct civil_date c, int raw)
{
    size_t lo = 0, hi = sizeof errata / sizeof errata[0];
    while (lo < hi) {                   /* the year's first entry */
        size_t mid = (lo + hi) / 2;
        if (errata[mid].year < c.year)
            lo = mid + 1;
        else
            hi = mid;
    }
    int term = raw;
    for (size_t i = lo; i < sizeof errata / sizeof errata[0] && errata[i].year == c.year; i++) {
        if (errata[i].term == raw && (errata[i].month != c.month || errata[i].day != c.day))
            term = -1;
        if (errata[i].month == c.month && errata[i].day == c.day)
            return errata[i].term;
    }
    return term;
}

const char *lunar_term_name(int n)
{
    return n >= 0 && n < LUNAR_TERMS ? terms[n].name : NULL;
}

int lunar_term_index(const char *name)
{
    for (int i = 0; i < LUNAR_TERMS; i++)
        if (!strcmp(terms[i].name, name))
            return i;
    return -1;
}

/* The term among the library's holiday names ("A|B|C"), or -1. Under a
 * Chinese locale the library may already give the Chinese name. */
static int find_term(const char *holidays)
{
    for (const char *p = holidays; p && *p;) {
        const char *end = strchr(p, '|');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
            size_t lp = strlen(terms[i].pinyin), lz = strlen(terms[i].name);
            if ((n >= lp && !strncmp(p, terms[i].pinyin, lp)) || (n == lz && !strncmp(p, terms[i].name, lz)))
                return (int)i;
        }
        p = end ? end + 1 : NULL;
    }
    return -1;
}

/* "2025|*6|1": year, month (a leading * marks a leap month), day. */
static int parse_numeric(const char *s, struct lunar_day *out)
{
    int n = 0;
    if (sscanf(s, "%d|%n", &out->year, &n) != 1 || !n)
        return -1;
    s += n;
    out->leap = *s == '*';
    if (out->leap)
        s++;
    if (sscanf(s, "%d|%d", &out->month, &out->day) != 2 || out->month < 1 || out->month > 12 ||
        out->day < 1 || out->day > 30)
        return -1;
    return 0;
}

static int ask(LunarDate *date, civil_day day, struct lunar_day *out, char **holidays)
{
    struct civil_date c = civil_date_from_day(day);
    GError *err = NULL;
    lunar_date_set_solar_date(date, (GDateYear)c.year, (GDateMonth)c.month, (GDateDay)c.day, 12, &err);
    if (err) {
        g_error_free(err);
        return -1;
    }
    gchar *num = lunar_date_strftime(date, "%(nian)|%(yue)|%(ri)");
    int rc = num ? parse_numeric(num, out) : -1;
    g_free(num);
    if (rc == 0 && holidays)
        *holidays = lunar_date_get_holiday(date, "|");
    return rc;
}

/* lunar_of_day, the caller holding the library's lock. */
static int of_day(struct lunar *l, civil_day day, struct lunar_day *out)
{
    char *holidays = NULL;
    memset(out, 0, sizeof *out);
    out->term_index = -1;
    if (ask(l->date, day, out, &holidays) != 0)
        return -1;
    out->term_index = corrected_term(civil_date_from_day(day), find_term(holidays));
    g_free(holidays);
    if (out->term_index >= 0)
        snprintf(out->term, sizeof out->term, "%s", terms[out->term_index].name);
    return 0;
}

int lunar_of_day(struct lunar *l, civil_day day, struct lunar_day *out)
{
    pthread_mutex_lock(&library);
    int rc = of_day(l, day, out);
    pthread_mutex_unlock(&library);
    return rc;
}

int lunar_of(struct lunar *l, civil_day day, struct lunar_day *out)
{
    pthread_mutex_lock(&library);
    int rc = of_day(l, day, out);
    /* A 29-day month: the day 30 days after its first is already the next. */
    struct lunar_day next;
    if (rc == 0)
        out->month_is_short = ask(l->date, day - out->day + 30, &next, NULL) == 0 && next.day == 1;
    pthread_mutex_unlock(&library);
    return rc;
}

int lunar_month_length(struct lunar *l, int year, int month, bool leap)
{
    GError *err = NULL;
    pthread_mutex_lock(&library);
    lunar_date_set_lunar_date(l->date, (GDateYear)year, (GDateMonth)month, 1, 12, leap, &err);
    gchar *solar = err ? NULL : lunar_date_strftime(l->date, "%(year)|%(month)|%(day)");
    pthread_mutex_unlock(&library);
    if (err) {
        bool no_such_leap = err->domain == LUNAR_DATE_ERROR && err->code == LUNAR_DATE_ERROR_LEAP;
        g_error_free(err);
        return no_such_leap ? 0 : -1;
    }
    int y, m, d;
    bool ok = solar && sscanf(solar, "%d|%d|%d", &y, &m, &d) == 3;
    g_free(solar);
    struct lunar_day first;
    if (!ok || lunar_of(l, civil_day_from_date(y, m, d), &first) != 0)
        return -1;
    /* Asked for a leap month the year lacks, the library answers some
     * other day: the first of that very month or nothing. */
    if (first.year != year || first.month != month || first.leap != leap || first.day != 1)
        return 0;
    return first.month_is_short ? 29 : 30;
}

const char *lunar_month_name(int month, bool leap, char buf[16])
{
    static const char *names[12] = { "正月", "二月", "三月", "四月", "五月", "六月",
                                     "七月", "八月", "九月", "十月", "冬月", "腊月" };
    snprintf(buf, 16, "%s%s", leap ? "闰" : "", month >= 1 && month <= 12 ? names[month - 1] : "?");
    return buf;
}

const char *lunar_day_name(int day)
{
    static const char *names[30] = {
        "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
        "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
        "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十" };
    return day >= 1 && day <= 30 ? names[day - 1] : "?";
}

void lunar_format(const struct lunar_day *d, char *buf, size_t len)
{
    char month[16];
    snprintf(buf, len, "%s%s", lunar_month_name(d->month, d->leap, month), lunar_day_name(d->day));
}
