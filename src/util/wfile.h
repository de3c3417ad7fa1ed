/* wfile — checked writes for every file the ticker writes.
 *
 * A kiosk's disk fills up, turns read-only or loses a file that is in use;
 * a write that fails silently is how a proof-of-play log ends up empty.
 * These helpers check every write, fsync and close, retry EINTR, and report
 * a failure as a negative errno so the caller can name the file and the
 * reason. They never print: the caller decides whether a failure starts a
 * fault (logged once) or continues one.
 *
 * Used by the play log, the record: output and the run state file; a file
 * cache would use the same calls.
 */
#ifndef LEDTICKER_WFILE_H
#define LEDTICKER_WFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Writes up to len bytes; returns how many were written (> 0), or -errno.
 * A short count means the file system took only part (a full disk): the
 * caller keeps the rest. A write of 0 bytes that makes no progress is
 * reported as -ENOSPC. */
ssize_t wfile_write(int fd, const void *buf, size_t len);

/* Writes all len bytes: 0, or -errno (some may have been written). */
int wfile_write_all(int fd, const void *buf, size_t len);

/* fsync that reports -errno; descriptors that cannot be synced (pipes,
 * character devices such as /dev/null: EINVAL) count as success. */
int wfile_sync(int fd);

/* close(2) that reports -errno (EINTR counts as closed, as on Linux). */
int wfile_close(int fd);

/* Replaces `path` atomically with len bytes: writes PATH.PID.tmp, fsyncs,
 * closes and renames it over PATH. Readers see the old file or the new one,
 * never a half-written one. 0, or -errno with *step set to what failed
 * ("create", "write", "fsync", "close", "rename"); the temporary file is
 * removed on failure. */
int wfile_replace(const char *path, const void *data, size_t len, mode_t mode,
                  const char **step);

/* Is the file open on fd still the one at path (same device and inode)?
 * 1 yes, 0 no (deleted, renamed away, replaced), -errno when fd cannot be
 * examined. */
int wfile_same_file(int fd, const char *path);

#endif
