#include "compose/playlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/wfile.h"

#define NS_PER_SEC INT64_C(1000000000)
#define RETRY_NS NS_PER_SEC             /* a failing log is tried again each second */

/* Lines the file has not taken yet, oldest first. The slots are allocated
 * at open but touched only when a fault queues lines, so a healthy log
 * costs no resident memory for them. */
struct queue {
    char (*slot)[PLAYLOG_LINE_MAX];
    unsigned short *len;
    size_t head, count;
    size_t done;                        /* bytes of the head already written */
};

struct playlog {
    char *path;
    struct diag diag;
    struct queue q;
    dev_t dev;                          /* the file the last line went to */
    ino_t ino;
    bool known;                         /* dev and ino are set */
    bool rotated;                       /* SIGHUP: a new file is expected */
    int err;                            /* errno of the active fault; 0 = healthy */
    time_t since;                       /* when it started (wall clock) */
    uint64_t lost;                      /* lines dropped in this fault (queue full) */
    uint64_t recovered;                 /* queued lines written in this fault */
    int64_t next_retry;                 /* monotonic ns */
};

/* Errors that a configured path always gets: a mistake, not a fault. */
static bool hopeless(int err)
{
    return err == ENOENT || err == ENOTDIR || err == EACCES || err == EISDIR ||
           err == ENAMETOOLONG || err == ELOOP;
}

static void fault_start(struct playlog *log, int err)
{
    if (log->err)
        return;             /* one fault, one line: a change of reason is no news */
    log->err = err;
    log->since = time(NULL);
    log->lost = log->recovered = 0;
    diag_emit(&log->diag, DIAG_ERROR, NULL, 0,
              "play log %s: %s; passes are kept in memory until it can be written",
              log->path, strerror(err));
}

static void fault_end(struct playlog *log)
{
    if (!log->err)
        return;
    log->err = 0;
    if (log->lost)
        diag_emit(&log->diag, DIAG_ERROR, NULL, 0,
                  "play log %s: written again; %llu lines recovered, %llu lost when the "
                  "memory queue (%d lines) overflowed", log->path,
                  (unsigned long long)log->recovered, (unsigned long long)log->lost,
                  PLAYLOG_QUEUE_LINES);
    else
        diag_emit(&log->diag, DIAG_NOTICE, NULL, 0,
                  "play log %s: written again; %llu lines recovered, none lost",
                  log->path, (unsigned long long)log->recovered);
    log->lost = log->recovered = 0;
}

/* Opens the file for one batch of lines: -errno, or a descriptor. A file
 * that is not the one the last line went to was deleted or moved away. */
static int open_log(struct playlog *log)
{
    int fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) == 0) {
        if (log->known && !log->rotated && !log->err && (st.st_dev != log->dev || st.st_ino != log->ino))
            diag_emit(&log->diag, DIAG_WARN, NULL, 0,
                      "play log %s: the file was deleted or moved away since the last line "
                      "(not by a SIGHUP); a new one is started", log->path);
        log->dev = st.st_dev;
        log->ino = st.st_ino;
        log->known = true;
        log->rotated = false;
    }
    return fd;
}

/* Closes after a batch; a failing close is a failing write (NFS, quotas). */
static int close_log(int fd, int rc)
{
    int c = wfile_close(fd);
    return rc ? rc : c;
}

int playlog_open(struct playlog **out, const char *path, const struct diag *d)
{
    *out = NULL;
    if (!path || !*path)
        return PLAYLOG_ERR_INVALID;
    struct playlog *log = calloc(1, sizeof *log);
    if (!log)
        return PLAYLOG_ERR_NO_MEM;
    if (d)
        log->diag = *d;
    log->path = strdup(path);
    log->q.slot = calloc(PLAYLOG_QUEUE_LINES, sizeof *log->q.slot);
    log->q.len = calloc(PLAYLOG_QUEUE_LINES, sizeof *log->q.len);
    if (!log->path || !log->q.slot || !log->q.len) {
        playlog_close(log);
        return PLAYLOG_ERR_NO_MEM;
    }
    int fd = open_log(log);
    if (fd < 0) {
        int err = -fd;
        if (hopeless(err) || err == ENOMEM) {
            diag_emit(&log->diag, DIAG_ERROR, path, 0, "cannot open the play log: %s",
                      strerror(err));
            playlog_close(log);
            return err == ENOMEM ? PLAYLOG_ERR_NO_MEM : PLAYLOG_ERR_IO;
        }
        fault_start(log, err);      /* full or read-only: try again later */
    } else {
        int rc = close_log(fd, 0);
        if (rc)
            fault_start(log, -rc);
    }
    *out = log;
    return PLAYLOG_OK;
}

int playlog_format(char *buf, int size, int64_t start, int64_t end, const char *id)
{
    time_t s = (time_t)(start / 1000000000);
    struct tm tm;
    localtime_r(&s, &tm);
    char when[40], zone[8];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof zone, "%z", &tm);       /* +0800 -> +08:00 */
    int64_t ms = (end - start) / 1000000;
    if (ms < 0)
        ms = 0;
    return snprintf(buf, (size_t)size, "%s%.3s:%s %s %lld.%03lld\n", when, zone, zone + 3,
                    id && *id ? id : "-", (long long)(ms / 1000), (long long)(ms % 1000));
}

static bool enqueue(struct playlog *log, const char *line, size_t len, size_t done)
{
    struct queue *q = &log->q;
    if (q->count == PLAYLOG_QUEUE_LINES) {
        log->lost++;
        return false;
    }
    size_t i = (q->head + q->count) % PLAYLOG_QUEUE_LINES;
    memcpy(q->slot[i], line, len);
    q->len[i] = (unsigned short)len;
    if (q->count == 0)
        q->done = done;
    q->count++;
    return true;
}

/* Writes queued lines to fd, oldest first, until the queue is empty (0)
 * or the file refuses (-errno). */
static int write_queue(struct playlog *log, int fd)
{
    struct queue *q = &log->q;
    while (q->count) {
        ssize_t n = wfile_write(fd, q->slot[q->head] + q->done, q->len[q->head] - q->done);
        if (n < 0)
            return (int)n;
        q->done += (size_t)n;
        if (q->done < q->len[q->head])
            continue;               /* part of a line: the rest next, or the error */
        q->head = (q->head + 1) % PLAYLOG_QUEUE_LINES;
        q->count--;
        q->done = 0;
        if (log->err)
            log->recovered++;
    }
    return 0;
}

/* Tries the queue now: the fault starts or ends accordingly. */
static void flush(struct playlog *log)
{
    int fd = open_log(log);
    int rc = fd < 0 ? fd : close_log(fd, write_queue(log, fd));
    if (rc < 0)
        fault_start(log, -rc);
    else
        fault_end(log);
}

int playlog_write(struct playlog *log, int64_t start, int64_t end, const char *id)
{
    char line[PLAYLOG_LINE_MAX];
    int n = playlog_format(line, sizeof line, start, end, id);
    if (n <= 0 || n >= (int)sizeof line)
        return PLAYLOG_ERR_INVALID;
    if (log->q.count || log->err) {
        /* Behind lines that wait: in order, and retried by the tick. */
        return enqueue(log, line, (size_t)n, 0) ? PLAYLOG_OK : PLAYLOG_ERR_LOST;
    }
    int fd = open_log(log);
    if (fd < 0) {
        fault_start(log, -fd);
        return enqueue(log, line, (size_t)n, 0) ? PLAYLOG_OK : PLAYLOG_ERR_LOST;
    }
    ssize_t w = wfile_write(fd, line, (size_t)n);
    int rc = close_log(fd, w < 0 ? (int)w : 0);
    if (w == n && rc == 0)
        return PLAYLOG_OK;
    if (w < n) {                    /* keep what the disk did not take */
        enqueue(log, line, (size_t)n, w > 0 ? (size_t)w : 0);
        if (rc == 0)
            flush(log);             /* a short write: try the rest at once */
    }
    if (rc < 0)
        fault_start(log, -rc);
    return PLAYLOG_OK;
}

int playlog_reopen(struct playlog *log)
{
    log->rotated = true;
    log->q.done = 0;                /* a half-written head goes whole into the new file */
    if (log->q.count || log->err)
        flush(log);
    return log->err ? PLAYLOG_ERR_IO : PLAYLOG_OK;
}

void playlog_tick(struct playlog *log, int64_t mono)
{
    if (!log->err || mono < log->next_retry)
        return;
    log->next_retry = mono + RETRY_NS;
    flush(log);
}

const char *playlog_fault(const struct playlog *log, char *buf, size_t size)
{
    if (!log || !log->err)
        return NULL;
    struct tm tm;
    char when[32];
    localtime_r(&log->since, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, size, "play log %s: %s since %s; %zu lines queued in memory, %llu lost",
             log->path, strerror(log->err), when, log->q.count, (unsigned long long)log->lost);
    return buf;
}

size_t playlog_queued(const struct playlog *log)
{
    return log ? log->q.count : 0;
}

uint64_t playlog_close(struct playlog *log)
{
    if (!log)
        return 0;
    if (log->q.count && log->q.slot)
        flush(log);
    uint64_t lost = log->q.count + log->lost;
    if (lost)
        diag_emit(&log->diag, DIAG_ERROR, NULL, 0,
                  "play log %s: stopping with %llu lines never written (%s)", log->path,
                  (unsigned long long)lost, log->err ? strerror(log->err) : "lost");
    free(log->q.slot);
    free(log->q.len);
    free(log->path);
    free(log);
    return lost;
}

const char *playlog_strerror(int err)
{
    switch (err) {
    case PLAYLOG_OK: return "success";
    case PLAYLOG_ERR_IO: return "play log I/O error";
    case PLAYLOG_ERR_NO_MEM: return "out of memory";
    case PLAYLOG_ERR_INVALID: return "invalid play log argument";
    case PLAYLOG_ERR_LOST: return "the play log's memory queue is full; a line was lost";
    }
    return "unknown play log error";
}
