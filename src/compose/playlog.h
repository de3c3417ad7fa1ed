/* playlog — proof of play: one line per completed pass.
 *
 *   2026-03-02T09:30:05+08:00 lishi-01 5.125
 *
 * The pass's start in local time with its UTC offset, the message ID, and
 * how long the pass took in seconds. Each line goes to the file in one
 * write(2) on an O_APPEND descriptor: nothing is buffered in the process,
 * so a killed ticker loses no line and never leaves half of one, and two
 * writers cannot interleave within a line. playlog_reopen (on SIGHUP)
 * closes and reopens the path, so logrotate can move the file away.
 */
#ifndef LEDTICKER_PLAYLOG_H
#define LEDTICKER_PLAYLOG_H

#include <stdint.h>

#include "util/diag.h"

enum playlog_error {
    PLAYLOG_OK = 0,
    PLAYLOG_ERR_IO = -1,
    PLAYLOG_ERR_NO_MEM = -2,
    PLAYLOG_ERR_INVALID = -3,
};

struct playlog;

/* Opens (creating, mode 0644) `path` for appending. */
int  playlog_open(struct playlog **out, const char *path, const struct diag *d);
/* Appends one line. start and end are wall ns. */
int  playlog_write(struct playlog *log, int64_t start, int64_t end, const char *id);
int  playlog_reopen(struct playlog *log);
void playlog_close(struct playlog *log);
/* Formats the line (with its newline) into buf; returns its length. */
int  playlog_format(char *buf, int size, int64_t start, int64_t end, const char *id);
const char *playlog_strerror(int err);

#endif
