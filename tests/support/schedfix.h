/* schedfix — a config parsed from text and its compiled schedule, for the
 * scheduler's tests. */
#ifndef LEDTICKER_TEST_SCHEDFIX_H
#define LEDTICKER_TEST_SCHEDFIX_H

#include <time.h>

#include "schedule/config.h"
#include "schedule/sched.h"

/* Parses `text` as t.ini and compiles it; fails the test (after printing
 * the config's errors) when either does not work. */
void schedfix_build(struct config **cfg, struct sched **s, const char *text);
/* A local "YYYY-MM-DD HH:MM" as an instant; fails the test if unreadable. */
time_t schedfix_time(const char *text);

#endif
