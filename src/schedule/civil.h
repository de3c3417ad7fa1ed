/* civil — calendar dates and local wall-clock times, and the one rule that
 * turns a local wall-clock time into an instant.
 *
 * Local time is the process's time zone (TZ), read when these functions run.
 * The rule, used by the scheduler for every window edge and every from/until:
 *
 *   civil_instant(date, minute) is the first instant whose local wall clock
 *   reads that date and minute or later.
 *
 * So an ambiguous time (the repeated hour when clocks go back) means its
 * first occurrence, and a time that does not exist (the skipped hour when
 * clocks go forward) rolls forward to the moment the clocks jump. The rule
 * is monotonic: a later wall time never maps to an earlier instant. */
#ifndef LEDTICKER_CIVIL_H
#define LEDTICKER_CIVIL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
typedef int32_t civil_day;

struct civil_date {
    int year, month, day;       /* month 1-12, day 1-31 */
};

civil_day civil_day_from_date(int year, int month, int day);
struct civil_date civil_date_from_day(civil_day day);
/* 0 = Sunday .. 6 = Saturday. */
int  civil_weekday(civil_day day);
bool civil_date_valid(int year, int month, int day);

/* The instant of local wall time `minute` (may exceed 1440: it then falls on
 * a later day) on `day`, by the rule above. */
time_t civil_instant(civil_day day, int minute);

/* The local date and minute of the day an instant shows on the wall clock. */
void civil_local(time_t t, civil_day *day, int *minute);

/* A local wall-clock time as a person writes it: "YYYY-MM-DD",
 * "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS". This is the one parser for
 * every date and time a user types: the config's from/until and the
 * commands' --at, --from, --to and --clock-start. What Chinese input
 * methods type counts as ASCII: full-width digits, － ： and the
 * ideographic space. Years 1970-9999, hours 0-23. */
enum civil_precision { CIVIL_DATE, CIVIL_MINUTE, CIVIL_SECOND };

struct civil_when {
    civil_day day;
    int minute;                 /* of the day; 0 for a bare date */
    int second;                 /* 0-59; 0 unless CIVIL_SECOND */
    enum civil_precision precision;
};

/* 0, or -1 when `text` is not such a time. */
int    civil_parse(const char *text, struct civil_when *out);
/* The instant of a parsed time by the rule above (seconds included; a
 * skipped time rolls forward to the jump itself). */
time_t civil_when_instant(const struct civil_when *w);
/* civil_parse and civil_when_instant in one: what the commands use. A
 * bare date means the first instant of that day. 0 or -1. */
int    civil_parse_instant(const char *text, time_t *out);
/* The local wall clock of t: "YYYY-MM-DD HH:MM", or with ":SS" when
 * `seconds`. */
void   civil_format(time_t t, bool seconds, char out[32]);

/* Instants of a few consecutive days, with a fast path for days without a
 * clock change (midnight + minutes). Built once per query. */
struct civil_span {
    civil_day first;            /* the first day covered */
    int days;                   /* how many days are covered */
    time_t midnight;            /* civil_instant(first, 0) */
    bool uniform;               /* no clock change anywhere in the span */
};

void   civil_span_init(struct civil_span *s, civil_day first, int days);
/* civil_instant(day, minute) for day in the span (minute up to 2880). */
time_t civil_span_instant(const struct civil_span *s, civil_day day, int minute);

#endif
