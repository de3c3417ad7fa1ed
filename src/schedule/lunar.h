/* lunar — the Chinese lunar date and the 24 solar terms (节气) of a day,
 * through liblunar-date (Debian's liblunar-date-dev): no conversion tables
 * of our own, only an errata list for the solar terms it misplaces.
 *
 * The library's names follow the process locale, which is C under
 * systemd (pinyin, English month names). So this module reads only its
 * numeric formats (%(nian), %(yue), %(ri); a leap month prints as "*6")
 * and its solar-term names, and maps them to Chinese itself: months
 * 正月 … 十月, 冬月, 腊月 with 闰 for a leap month, days 初一 … 三十.
 *
 * The library leaks (lunar_date_free leaks the object, and even
 * g_object_unref leaves allocations behind), so an owner keeps one struct
 * lunar for its lifetime instead of one per question; tests/lsan.supp
 * silences LeakSanitizer for that library alone.
 *
 * A solar term's day is its day in Beijing time (UTC+8), whatever TZ is.
 * The library places terms with a mean-year formula, truncated to a
 * Beijing date (year_jieqi in its lunar-date-utils.c): it never reads TZ,
 * but the real instant wanders up to two hours from the mean, so 183 of
 * the 4776 terms of 1901-2099 land on the wrong day (芒种 2026: 5 June
 * 23:48 Beijing time, the library says 6 June). lunar.c corrects those
 * from an errata table made from an ephemeris by
 * tests/tools/solar_terms_errata.py.
 *
 * The library also keeps the year's term table in one static buffer for
 * the whole process, so lunar.c holds one process-wide lock around every
 * call into it: different struct lunar may be used from different
 * threads; one struct lunar belongs to one thread at a time. */
#ifndef LEDTICKER_LUNAR_H
#define LEDTICKER_LUNAR_H

#include <stdbool.h>
#include <stddef.h>

#include "schedule/civil.h"

struct lunar;

struct lunar_day {
    int year;                   /* the lunar year (a day in January may still be last year's) */
    int month;                  /* 1-12 */
    bool leap;                  /* a leap month (闰) */
    int day;                    /* 1-30 */
    bool month_is_short;        /* the month has 29 days (then 廿九 is its last) */
    char term[8];               /* the solar term on this day, e.g. "冬至"; "" = none */
    int term_index;             /* 0 = 小寒 ... 23 = 冬至 (lunar_term_name); -1 = none */
};

#define LUNAR_TERMS 24

/* NULL when out of memory. */
struct lunar *lunar_new(void);
void lunar_free(struct lunar *l);

/* The lunar date of a (Gregorian) day. 0, or -1 outside the library's
 * range (1900-2100). */
int lunar_of(struct lunar *l, civil_day day, struct lunar_day *out);

/* The days of lunar month `month` (闰 when `leap`) of lunar year `year`:
 * 29 or 30; 0 when that year has no such month (a leap month it lacks);
 * -1 outside the library's range. */
int lunar_month_length(struct lunar *l, int year, int month, bool leap);

/* Solar term n (0 = 小寒, in calendar order from January, 23 = 冬至), or
 * NULL; and the index of a term's name, or -1. */
const char *lunar_term_name(int n);
int lunar_term_index(const char *name);

/* lunar_of without month_is_short (always false): one question to the
 * library instead of two, for callers that walk day by day and see the
 * month's end as the next day's 初一. */
int lunar_of_day(struct lunar *l, civil_day day, struct lunar_day *out);

/* 正月 … 腊月, with 闰 before a leap month ("闰六月"). */
const char *lunar_month_name(int month, bool leap, char buf[16]);
/* 初一 … 三十. */
const char *lunar_day_name(int day);
/* Month and day: "十月廿三". */
void lunar_format(const struct lunar_day *d, char *buf, size_t len);

#endif
