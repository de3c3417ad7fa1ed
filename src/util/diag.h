/* diag — how library modules report problems without owning a logger.
 *
 * Modules never print. They take a `struct diag` from their caller and emit
 * through it; the command-line layer decides where messages go (stderr with
 * a level, a list for `check`, a test's capture buffer). A zeroed struct diag
 * prints warnings and errors to stderr, so a forgotten sink loses nothing.
 */
#ifndef LEDTICKER_DIAG_H
#define LEDTICKER_DIAG_H

#include <stdarg.h>

/* NOTICE is for the end of a fault (the disk takes data again, the config
 * is back): printed by default like warnings, since a technician reading
 * the journal needs the end of a fault as much as its start. */
enum diag_level { DIAG_DEBUG, DIAG_INFO, DIAG_NOTICE, DIAG_WARN, DIAG_ERROR };

/* `file` may be NULL and `line` 0 when the problem has no source location. */
typedef void (*diag_fn)(void *user, enum diag_level level,
                        const char *file, int line, const char *msg);

struct diag {
    diag_fn fn;
    void *user;
};

void diag_emit(const struct diag *d, enum diag_level level,
               const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_vemit(const struct diag *d, enum diag_level level,
                const char *file, int line, const char *fmt, va_list ap);

/* Shorthands for the common case without a source location. */
#define diag_warn(d, ...)  diag_emit((d), DIAG_WARN, NULL, 0, __VA_ARGS__)
#define diag_error(d, ...) diag_emit((d), DIAG_ERROR, NULL, 0, __VA_ARGS__)
#define diag_info(d, ...)  diag_emit((d), DIAG_INFO, NULL, 0, __VA_ARGS__)
#define diag_notice(d, ...) diag_emit((d), DIAG_NOTICE, NULL, 0, __VA_ARGS__)
#define diag_debug(d, ...) diag_emit((d), DIAG_DEBUG, NULL, 0, __VA_ARGS__)

/* A sink that drops every message, for a caller that asks a question and
 * reports the answer itself (a probe for a controller, a repair it does
 * not want told). A zeroed struct diag is not silent: it prints. */
void diag_discard(void *user, enum diag_level level, const char *file, int line,
                  const char *msg);
extern const struct diag diag_silent;   /* { diag_discard, NULL } */

/* "notice", "warning", "error", ... as printed in FILE:LINE: LEVEL: MSG lines. */
const char *diag_level_name(enum diag_level level);

/* Format one message the way every command prints it:
 *   FILE:LINE: LEVEL: MSG      (with a location)
 *   ledticker: LEVEL: MSG      (without)
 * Writes to `stream` (a FILE *, kept as void * so this header stays small). */
void diag_print(void *stream, enum diag_level level,
                const char *file, int line, const char *msg);

#endif
