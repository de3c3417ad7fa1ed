/* datadir — where ledticker's data is: board files, fonts, the statutory
 * calendar (calendar/cn-YYYY.ini), and any kind
 * to come. One rule for every kind and every command, whatever the current
 * folder and wherever the config is. The first match wins:
 *
 *   1. the command's flag (--boards-dir, --fonts-dir, --calendar-dir)
 *   2. the kind's variable ($LEDTICKER_BOARDS, $LEDTICKER_FONTS_DIR,
 *      $LEDTICKER_CALENDAR)
 *   3. $LEDTICKER_DATA/KIND (the data root)
 *   4. boards only: a boards/ folder beside the config
 *   5. BIN/../share/ledticker/KIND beside the executable (any PREFIX, a
 *      staged install, an extracted .deb: nothing is compiled in)
 *   6. the source tree, when the executable is in its build/ (or
 *      build/san/): SRC/KIND
 *
 * A flag that names no usable directory is an error; it is not passed
 * over. A directory counts for fonts when it holds default.chain. */
#ifndef LEDTICKER_DATADIR_H
#define LEDTICKER_DATADIR_H

#include <stddef.h>

enum datadir_kind { DATADIR_BOARDS, DATADIR_FONTS, DATADIR_CALENDAR };

/* Writes the directory into buf and returns 0. Otherwise returns -1 with
 * the places searched, in order, in buf (for the error message).
 * `config_path` may be NULL (no config: rule 4 is left out). */
int datadir_find(enum datadir_kind kind, const char *flag, const char *config_path,
                 char *buf, size_t len);

/* For a command: as datadir_find, but a flag that names no usable
 * directory is reported on stderr and gives -1 (a usage error, exit 2).
 * Otherwise returns 0 with *dir = buf, or *dir = NULL when nothing was
 * found (buf then lists the places searched). */
int datadir_resolve(enum datadir_kind kind, const char *flag, const char *config_path,
                    char *buf, size_t len, const char **dir);

/* The flag's name for a kind ("--boards-dir"), for messages. */
const char *datadir_flag(enum datadir_kind kind);

#endif
