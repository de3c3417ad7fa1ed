/* calendar — China's statutory holidays and swapped workdays (调休), year
 * by year, for the `days` values workday, restday and holiday.
 *
 * A year's data is one INI section, in a shipped file (calendar/cn-YYYY.ini,
 * which the CLI finds and reads: this module reads no directories) or in a
 * config's own [calendar YEAR] section:
 *
 *   [calendar 2026]
 *   holiday = 2026-01-01..2026-01-03 元旦     (a range, or one date; a name)
 *   workday = 2026-01-04                      (a weekend day that is worked)
 *
 * A calendar may sit on a base (the shipped years under a config's own):
 * a year it defines itself replaces the base's year whole.
 *
 * Rules for a day:
 *   workday  Monday to Friday, minus the holidays, plus the swapped workdays
 *   restday  every other day
 *   holiday  a day inside a holiday range (its weekends included)
 * A year with no data anywhere has no holidays: workday is Monday to Friday
 * (the CLI warns; calendar_has_year says which years are missing). */
#ifndef LEDTICKER_CALENDAR_H
#define LEDTICKER_CALENDAR_H

#include <stdbool.h>

#include "schedule/civil.h"
#include "util/diag.h"
#include "util/ini.h"

struct calendar;

/* A calendar over `base` (NULL: none); `base` must outlive it. NULL when
 * out of memory. */
struct calendar *calendar_new(const struct calendar *base);
void calendar_free(struct calendar *cal);

/* Whether a section name is "calendar" or "calendar YEAR". */
bool calendar_section_is(const char *section_name);

/* Reads one [calendar YEAR] section into `cal`, where it replaces any year
 * of the base. Every problem is reported through `d` with its file and
 * line: a bad header or key, a date that cannot be read or lies outside
 * YEAR, overlapping holiday ranges, a workday that is also a holiday, and
 * a year this calendar already defines. Returns the number of errors (the
 * year is not kept when there are any), or -1 when out of memory. */
int calendar_read_section(struct calendar *cal, const struct ini_section *sec,
                          const struct diag *d);

/* Whether `year` has data, in this calendar or its base. */
bool calendar_has_year(const struct calendar *cal, int year);

#define CALENDAR_WORKDAY 1u     /* a workday by the rules above */
#define CALENDAR_HOLIDAY 2u     /* inside a statutory holiday */

/* CALENDAR_* bits of a day. `cal` may be NULL (no data at all). */
unsigned calendar_day(const struct calendar *cal, civil_day day);

#endif
