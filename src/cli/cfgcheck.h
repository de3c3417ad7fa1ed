/* cfgcheck — the checks the schedule leaves to the CLI
 * (config_options.check_board, check_output): a board must be a file of
 * the boards directory that `run` and `preview` will read (found by the
 * data-directory rule, datadir.h), an output a transport spec. `check`,
 * `run` and `preview` all use these, so `check` passes no config that
 * `run` refuses. */
#ifndef LEDTICKER_CFGCHECK_H
#define LEDTICKER_CFGCHECK_H

#include <stdbool.h>

#include "schedule/config.h"

struct cfgcheck {
    const char *boards_dir;     /* NULL: none was found */
    const char *searched;       /* then: the places searched */
    struct calendar *calendar;  /* the shipped statutory calendar; NULL = none */
    char calendar_where[1024];  /* its directory, or the places searched */
    bool calendar_found;        /* calendar_where is the directory */
    int calendar_errors;        /* in its files (reported; those years are left out) */
};

/* Finds the boards directory for `config_path` (datadir_resolve, with
 * `flag` = --boards-dir) into buf, and fills c. -1 for a flag that names
 * no directory (reported: a usage error). */
int  cfgcheck_find_boards(struct cfgcheck *c, const char *flag, const char *config_path,
                          char *buf, size_t len);

/* Reads the statutory calendar (every calendar/cn-*.ini of the directory
 * the data-directory rule finds, `flag` = --calendar-dir) into c. Errors
 * in its files are reported through `d` and leave their year out; no
 * directory at all is no error (calendar_warn_missing says so when it
 * matters). -1 for a flag that names no directory (a usage error), or
 * out of memory (reported). Call it before cfgcheck_install. */
int  cfgcheck_load_calendar(struct cfgcheck *c, const char *flag, const struct diag *d);
/* Frees what cfgcheck_load_calendar read; after every config loaded with it. */
void cfgcheck_release(struct cfgcheck *c);

/* The warning for a year with no holiday data, when the config's days use
 * the statutory calendar: each names the year and where to add it. */
void cfgcheck_warn_year(const struct cfgcheck *c, const struct config *cfg, int year,
                        const struct diag *d);
/* check and run: the current year of `now`, and the next once its first
 * day is less than 30 days away. */
void cfgcheck_warn_now(const struct cfgcheck *c, const struct config *cfg, time_t now,
                       const struct diag *d);

/* Points opt's checks at `c`, which must outlive every load with opt. */
void cfgcheck_install(struct config_options *opt, struct cfgcheck *c);

#endif
