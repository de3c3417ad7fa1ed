#include "schedule/lunar.h"

#include <lunar-date/lunar-date.h>
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
    LunarDate *d = lunar_date_new();
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
    g_object_unref(l->date);    /* lunar_date_free leaks even the object */
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

/* The term among the library's holiday names ("A|B|C"), or NULL. Under a
 * Chinese locale the library may already give the Chinese name. */
static const char *find_term(const char *holidays)
{
    for (const char *p = holidays; p && *p;) {
        const char *end = strchr(p, '|');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
            size_t lp = strlen(terms[i].pinyin), lz = strlen(terms[i].name);
            if ((n >= lp && !strncmp(p, terms[i].pinyin, lp)) || (n == lz && !strncmp(p, terms[i].name, lz)))
                return terms[i].name;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
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

int lunar_of(struct lunar *l, civil_day day, struct lunar_day *out)
{
    char *holidays = NULL;
    memset(out, 0, sizeof *out);
    if (ask(l->date, day, out, &holidays) != 0)
        return -1;
    const char *term = find_term(holidays);
    g_free(holidays);
    if (term)
        snprintf(out->term, sizeof out->term, "%s", term);
    /* A 29-day month: the day 30 days after its first is already the next. */
    struct lunar_day next;
    out->month_is_short = ask(l->date, day - out->day + 30, &next, NULL) == 0 && next.day == 1;
    return 0;
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
