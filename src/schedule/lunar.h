/* lunar — the Chinese lunar date and the 24 solar terms (节气) of a day,
 * through liblunar-date (Debian's liblunar-date-dev): no conversion tables
 * of our own.
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
 * silences LeakSanitizer for that library alone. Not thread-safe: one
 * owner, one thread.
 *
 * A solar term's day is its day in Beijing time (UTC+8), whatever TZ is:
 * the library's term table is by Beijing date and is asked by date. */
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
};

/* NULL when out of memory. */
struct lunar *lunar_new(void);
void lunar_free(struct lunar *l);

/* The lunar date of a (Gregorian) day. 0, or -1 outside the library's
 * range (1900-2100). */
int lunar_of(struct lunar *l, civil_day day, struct lunar_day *out);

/* 正月 … 腊月, with 闰 before a leap month ("闰六月"). */
const char *lunar_month_name(int month, bool leap, char buf[16]);
/* 初一 … 三十. */
const char *lunar_day_name(int day);
/* Month and day: "十月廿三". */
void lunar_format(const struct lunar_day *d, char *buf, size_t len);

#endif
