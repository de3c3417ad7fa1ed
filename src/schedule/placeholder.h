/* placeholder — the date in a message's text: {date}, {weekday}, {lunar}
 * and {countdown:YYYY-MM-DD}, expanded for one local day.
 *
 *   {date}                   12月1日
 *   {weekday}                星期二
 *   {lunar}                  十月廿三: always the lunar date, also on a
 *                            solar term's day ("农历{lunar}" must read
 *                            农历冬月十四, never 农历冬至; the clock zone
 *                            is where the term replaces it)
 *   {countdown:2026-12-05}   the days left: 4 on 1 December 2026, 0 on
 *                            the day itself
 *
 * Only these names expand. `{{` and `}}` write a literal brace; any other
 * text in braces stays as it is. A message with a countdown expires at the
 * end of its (earliest) countdown day: config.c makes that its `until`.
 *
 * Text and dates only: this module knows nothing of panels or strips; the
 * CLI expands a message's text once per local day (src/cli/show.c). */
#ifndef LEDTICKER_PLACEHOLDER_H
#define LEDTICKER_PLACEHOLDER_H

#include <stdbool.h>
#include <stddef.h>

#include "schedule/civil.h"

struct lunar;

enum placeholder_kind {
    PLACEHOLDER_DATE,
    PLACEHOLDER_WEEKDAY,
    PLACEHOLDER_LUNAR,
    PLACEHOLDER_COUNTDOWN,
    PLACEHOLDER_BAD_COUNTDOWN,  /* {countdown:...} without a valid YYYY-MM-DD */
    PLACEHOLDER_OTHER,          /* text in braces that names no placeholder: kept */
};

/* One group in braces. */
struct placeholder_token {
    enum placeholder_kind kind;
    size_t at, len;             /* the group, braces included, within the text */
    civil_day target;           /* PLACEHOLDER_COUNTDOWN: the day counted to */
};

/* The next group in braces at or after text[*pos] (an escaped {{ or }} is
 * no group); *pos moves past it. false when there is none. */
bool placeholder_next(const char *text, size_t *pos, struct placeholder_token *tok);

/* Whether the text changes with the day: it has a placeholder to expand. */
bool placeholder_present(const char *text);

/* The earliest countdown day of the text into *day; false when it has none. */
bool placeholder_countdown_end(const char *text, civil_day *day);

/* `text` expanded for the local day `day` into a new string (*out, the
 * caller frees it). `l` answers {lunar}; with NULL, or outside the lunar
 * library's range, {lunar} stays as written. 0, or -1 out of memory. */
int placeholder_expand(const char *text, civil_day day, struct lunar *l, char **out);

/* The pieces, for the clock zone too. */
void placeholder_date(civil_day day, char *buf, size_t len);       /* 12月1日 */
void placeholder_weekday(civil_day day, char *buf, size_t len);    /* 星期二 */
/* For the clock: the solar term on its day, else the lunar date
 * (十月廿三). 0, or -1 outside the library's range. */
int  placeholder_lunar(struct lunar *l, civil_day day, char *buf, size_t len);
/* For text: the lunar date (十月廿三), whatever the day. 0, or -1
 * outside the library's range. */
int  placeholder_lunar_date(struct lunar *l, civil_day day, char *buf, size_t len);

/* The placeholder names ("date", "weekday", "lunar", "countdown"), for
 * "did you mean". */
extern const char *const placeholder_names[];
#define PLACEHOLDER_NAMES 4

#endif
