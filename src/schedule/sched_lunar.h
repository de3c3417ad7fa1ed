/* sched_lunar — the `lunar` key in the scheduler (internal to
 * src/schedule/: sched.c and its checks). One struct per compiled
 * schedule owns the one struct lunar (liblunar-date leaks per object,
 * lunar.h) and a cache of the lunar date of every day asked about, so
 * that scanning thousands of messages over many days asks the library
 * once per day. Safe to share between threads (a mutex guards the cache
 * and the library). */
#ifndef LEDTICKER_SCHED_LUNAR_H
#define LEDTICKER_SCHED_LUNAR_H

#include <stdbool.h>

#include "schedule/civil.h"
#include "schedule/config.h"
#include "util/diag.h"

struct sched_lunar;

/* NULL when out of memory. */
struct sched_lunar *sched_lunar_new(void);
void sched_lunar_free(struct sched_lunar *sl);

/* Whether `day` is one of the days `l` names (true when l->count is 0).
 * Days outside the library's range (1900-2100) match no lunar item. */
bool sched_lunar_allows(struct sched_lunar *sl, const struct config_lunar *l, civil_day day);

/* The nearest day after `day` (dir +1) or before it (dir -1) on which
 * some message of `cfg` with a lunar key changes its answer from the day
 * before it (dir +1) or after it (dir -1): the only days on which the
 * lunar key can start or stop a message. false when there is none
 * within `max_days` (0: within the library's range). */
bool sched_lunar_next_edge(struct sched_lunar *sl, const struct config *cfg, civil_day day, int dir,
                           long max_days, civil_day *out);

/* check's warnings about lunar dates missed in some years: a 三十 (or a
 * range starting on one) in a month that has 29 days in some of the ten
 * lunar years from `now`, and a leap month that some of them lack. Each
 * names those years, at the `lunar =` line. 0, or -1 out of memory. */
int sched_lunar_warn(struct sched_lunar *sl, const struct config *cfg, time_t now, const struct diag *d);

#endif
