/* cfgcheck — the checks the schedule leaves to the CLI
 * (config_options.check_board, check_output): a board must be a file of
 * the boards directory that `run` and `preview` will read (found by the
 * data-directory rule, datadir.h), an output a transport spec. `check`,
 * `run` and `preview` all use these, so `check` passes no config that
 * `run` refuses. */
#ifndef LEDTICKER_CFGCHECK_H
#define LEDTICKER_CFGCHECK_H

#include "schedule/config.h"

struct cfgcheck {
    const char *boards_dir;     /* NULL: none was found */
    const char *searched;       /* then: the places searched */
};

/* Finds the boards directory for `config_path` (datadir_resolve, with
 * `flag` = --boards-dir) into buf, and fills c. -1 for a flag that names
 * no directory (reported: a usage error). */
int  cfgcheck_find_boards(struct cfgcheck *c, const char *flag, const char *config_path,
                          char *buf, size_t len);

/* Points opt's checks at `c`, which must outlive every load with opt. */
void cfgcheck_install(struct config_options *opt, struct cfgcheck *c);

#endif
