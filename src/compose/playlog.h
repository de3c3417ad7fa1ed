/* playlog — proof of play: one line per completed pass.
 *
 *   2026-03-02T09:30:05+08:00 lishi-01 5.125
 *
 * The pass's start in local time with its UTC offset, the message ID, and
 * how long the pass took in seconds. Each line goes to the file in one
 * write(2) on an O_APPEND descriptor: nothing is buffered in the process
 * while the disk takes data, so a killed ticker loses no line and two
 * writers cannot interleave within a line.
 *
 * The file is opened for each line and closed after it. No descriptor
 * stays open between passes, so a log deleted or moved away (logrotate
 * without SIGHUP, a cleaner) is noticed at the next line (its inode
 * differs; one warning) and a new file is started at the path, and an
 * administrator can remount the file system read-only and back while the
 * ticker runs (a kernel refuses that while a file on it is open for
 * writing).
 *
 * The log is what a center shows to prove a notice was on screen, so a
 * line is never dropped silently. When the disk is full or read-only (or
 * the file cannot be opened), the unwritten lines wait in a bounded memory
 * queue (PLAYLOG_QUEUE_LINES) and are written in order once the file takes
 * data again; playlog_tick retries once a second. The fault is logged once
 * when it starts (an error naming the file and the reason) and once when it
 * ends (a notice with how many lines were recovered, and an error with how
 * many were lost if the queue overflowed).
 */
#ifndef LEDTICKER_PLAYLOG_H
#define LEDTICKER_PLAYLOG_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

enum playlog_error {
    PLAYLOG_OK = 0,
    PLAYLOG_ERR_IO = -1,
    PLAYLOG_ERR_NO_MEM = -2,
    PLAYLOG_ERR_INVALID = -3,
    PLAYLOG_ERR_LOST = -4,      /* the queue was full: this line is lost (counted) */
};

#define PLAYLOG_QUEUE_LINES 10000
#define PLAYLOG_LINE_MAX 256

struct playlog;

/* Checks that `path` can be opened (creating it, mode 0644) for appending. A path that cannot
 * work (no such directory, permission denied, a directory) is refused with
 * PLAYLOG_ERR_IO. A file system that is full or read-only now is a fault,
 * not a refusal: the log opens, queues, and retries. */
int  playlog_open(struct playlog **out, const char *path, const struct diag *d);
/* Appends one line, or queues it while the file cannot take it
 * (PLAYLOG_OK either way). start and end are wall ns. */
int  playlog_write(struct playlog *log, int64_t start, int64_t end, const char *id);
/* SIGHUP: logrotate moved the file on purpose; the next line starts a new
 * file without a warning. Writes what is queued. */
int  playlog_reopen(struct playlog *log);
/* Call often (each frame) with a monotonic time in ns: retries a failing
 * log once a second. */
void playlog_tick(struct playlog *log, int64_t mono);
/* The active fault as one line ("No space left on device since ...; 12
 * lines queued"), or NULL when the log is healthy. */
const char *playlog_fault(const struct playlog *log, char *buf, size_t size);
/* Lines waiting in memory. */
size_t playlog_queued(const struct playlog *log);
/* Writes what it can of the queue, then frees; lines that still cannot be
 * written are reported as lost (one error). Returns how many were lost
 * (in this last attempt, or earlier when the queue overflowed). */
uint64_t playlog_close(struct playlog *log);
/* Formats the line (with its newline) into buf; returns its length. */
int  playlog_format(char *buf, int size, int64_t start, int64_t end, const char *id);
const char *playlog_strerror(int err);

#endif
