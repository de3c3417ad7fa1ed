/* reload — keep a running ticker's schedule in step with its config file.
 *
 * A struct reload holds the current snapshot: an immutable config plus its
 * compiled schedule. It re-reads the config when asked (reload_request, safe
 * to call from a SIGHUP handler) and when the file, an include, a file in an
 * include directory or a summary_file changes. Editors save by writing a new
 * file and renaming it over the old one, so the directories are watched with
 * inotify, not the files, and a burst of events is debounced. Watches
 * stay in place across reloads (events queued on them are never lost), and
 * after each load what was read is compared with the disk (inode, size,
 * times, what include patterns match): a save that landed while the config
 * was being read, where no watch could hear it, brings another reload.
 *
 * A new config with any error is rejected whole: the errors go to the diag
 * sink with FILE:LINE, and the last good snapshot stays current. A good one
 * replaces it in one pointer swap. Snapshots are reference counted: whoever
 * holds one (a message that is still scrolling) keeps it alive and
 * unchanged; the next reload_acquire sees the new one.
 *
 * Single-threaded use: call reload_poll from the engine's loop, or poll()
 * reload_fd yourself and call reload_poll(r, 0) when it is readable.
 * reload_acquire/reload_snapshot_release may be called from any thread. */
#ifndef LEDTICKER_RELOAD_H
#define LEDTICKER_RELOAD_H

#include <time.h>

#include "schedule/config.h"
#include "schedule/sched.h"
#include "util/diag.h"

enum reload_error {
    RELOAD_OK = 0,
    RELOAD_ERR_INVALID = -1,    /* the config has errors (reported); nothing changed */
    RELOAD_ERR_IO = -2,         /* inotify or eventfd failed */
    RELOAD_ERR_NO_MEM = -3,
};

struct reload;
struct reload_snapshot;

struct reload_options {
    struct config_options config;   /* how to load (now = 0 means "time(NULL) at each load") */
    int debounce_ms;                /* quiet time after the last change; 0 = 300 ms */
};

/* Loads `path` for the first time. Fails (RELOAD_ERR_INVALID) when that
 * first config has errors: there is no last good one to keep. */
int  reload_new(struct reload **out, const char *path, const struct reload_options *opt,
                const struct diag *d);
void reload_free(struct reload *r);

/* The current snapshot, with a reference the caller must release. */
struct reload_snapshot *reload_acquire(struct reload *r);
void reload_snapshot_release(struct reload_snapshot *s);
const struct config *reload_snapshot_config(const struct reload_snapshot *s);
const struct sched *reload_snapshot_sched(const struct reload_snapshot *s);
/* 1 for the first config, +1 for each accepted reload. */
unsigned reload_snapshot_generation(const struct reload_snapshot *s);

/* Ask for a reload at the next reload_poll. Async-signal-safe. */
void reload_request(struct reload *r);

/* A descriptor that becomes readable when there is something to do. */
int  reload_fd(const struct reload *r);

/* Waits up to timeout_ms (0: just look, -1: until something happens) for
 * changes and requests, and reloads once the debounce time has passed.
 * Returns 1 when a new snapshot became current, 0 when nothing changed,
 * RELOAD_ERR_INVALID when a changed config was rejected, or another error. */
int  reload_poll(struct reload *r, int timeout_ms);

/* When the config file was found gone (deleted or moved away) at the last
 * reload: the last good snapshot keeps playing and the file's directory is
 * watched for its return. 0 while the file is there. */
time_t reload_missing_since(const struct reload *r);

const char *reload_strerror(int err);

#endif
