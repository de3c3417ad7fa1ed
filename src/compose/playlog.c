#include "compose/playlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct playlog {
    int fd;
    char *path;
    struct diag diag;
};

static int open_append(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
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
    log->fd = log->path ? open_append(path) : -1;
    if (log->fd < 0) {
        int err = errno;
        if (log->path)
            diag_emit(&log->diag, DIAG_ERROR, path, 0, "cannot open the play log: %s",
                      strerror(err));
        free(log->path);
        free(log);
        return err == ENOMEM ? PLAYLOG_ERR_NO_MEM : PLAYLOG_ERR_IO;
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

int playlog_write(struct playlog *log, int64_t start, int64_t end, const char *id)
{
    char line[256];
    int n = playlog_format(line, sizeof line, start, end, id);
    if (n <= 0 || n >= (int)sizeof line)
        return PLAYLOG_ERR_INVALID;
    if (log->fd < 0 && playlog_reopen(log) != PLAYLOG_OK)
        return PLAYLOG_ERR_IO;
    ssize_t w;
    do
        w = write(log->fd, line, (size_t)n);
    while (w < 0 && errno == EINTR);
    if (w != n) {
        diag_emit(&log->diag, DIAG_WARN, log->path, 0, "play log write failed: %s",
                  w < 0 ? strerror(errno) : "short write");
        return PLAYLOG_ERR_IO;
    }
    return PLAYLOG_OK;
}

int playlog_reopen(struct playlog *log)
{
    int fd = open_append(log->path);
    if (fd < 0) {
        diag_emit(&log->diag, DIAG_WARN, log->path, 0, "cannot reopen the play log: %s",
                  strerror(errno));
        return PLAYLOG_ERR_IO;     /* the old descriptor, if any, stays in use */
    }
    if (log->fd >= 0)
        close(log->fd);
    log->fd = fd;
    return PLAYLOG_OK;
}

void playlog_close(struct playlog *log)
{
    if (!log)
        return;
    if (log->fd >= 0)
        close(log->fd);
    free(log->path);
    free(log);
}

const char *playlog_strerror(int err)
{
    switch (err) {
    case PLAYLOG_OK: return "success";
    case PLAYLOG_ERR_IO: return "play log I/O error";
    case PLAYLOG_ERR_NO_MEM: return "out of memory";
    case PLAYLOG_ERR_INVALID: return "invalid play log argument";
    }
    return "unknown play log error";
}
