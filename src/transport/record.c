/* record:PATH — the wire bytes, written to PATH exactly as sent ("-" is
 * stdout), with unlimited credits and the geometry of the config's board.
 * A recording plays back with `ledsim --board NAME PATH`. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transport/backend.h"
#include "transport/board.h"
#include "util/wfile.h"

struct record {
    struct transport base;
    int fd;
    bool own_fd;
    bool failed;                /* a write failed: the recording has a hole */
    char *path;
    struct transport_info info;
};

static int record_info(struct transport *t, struct transport_info *info)
{
    *info = ((struct record *)t)->info;
    return 0;
}

/* A recording with a hole is worthless: the first failure is an error
 * naming the file and the reason, and every send after it fails too. */
static int record_failed(struct record *r, int err)
{
    if (!r->failed)
        diag_error(&r->base.diag, "record %s: %s; a recording with holes is worthless, stopping",
                   r->path, strerror(err));
    r->failed = true;
    return TRANSPORT_ERR_IO;
}

static int record_send(struct transport *t, const void *bytes, size_t len)
{
    struct record *r = (struct record *)t;
    if (r->failed)
        return TRANSPORT_ERR_IO;
    int rc = wfile_write_all(r->fd, bytes, len);
    return rc ? record_failed(r, -rc) : 0;
}

static int record_poll(struct transport *t, int timeout_ms, enum transport_event *event)
{
    (void)t, (void)timeout_ms;
    *event = TRANSPORT_EVENT_NONE;
    return 0;
}

/* The recording is complete only once the disk has it: fsync (files; a
 * pipe or /dev/null cannot be synced and need not be) and close, checked. */
static int record_finish(struct transport *t)
{
    struct record *r = (struct record *)t;
    if (r->failed)
        return TRANSPORT_ERR_IO;
    int rc = wfile_sync(r->fd);
    if (r->own_fd) {
        int c = wfile_close(r->fd);
        rc = rc ? rc : c;
        r->own_fd = false;
    }
    return rc ? record_failed(r, -rc) : 0;
}

static void record_close(struct transport *t)
{
    struct record *r = (struct record *)t;
    if (r->own_fd)
        close(r->fd);       /* not finished: the run failed already, or was not recording */
    free(r->path);
    free(r);
}

static const struct transport_ops record_ops = {
    .name = "record",
    .info = record_info,
    .send = record_send,
    .poll = record_poll,
    .finish = record_finish,
    .close = record_close,
};

int record_open(struct transport **out, const char *arg, const struct transport_config *cfg,
                const struct diag *d)
{
    struct transport_info info;
    int rc = board_geometry(cfg, &info, d);
    if (rc)
        return rc;
    info.max_in_flight = UINT32_MAX;    /* a file never pushes back */
    info.lossless = true;
    struct record *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(arg))) {
        free(r);
        return TRANSPORT_ERR_NO_MEM;
    }
    r->base.ops = &record_ops;
    if (d)
        r->base.diag = *d;
    r->info = info;
    if (!strcmp(arg, "-")) {
        r->fd = STDOUT_FILENO;
    } else {
        r->fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (r->fd < 0) {
            int e = errno;
            diag_error(d, "%s: %s", arg, strerror(e));
            free(r->path);
            free(r);
            return e == EACCES ? TRANSPORT_ERR_ACCESS : TRANSPORT_ERR_IO;
        }
        r->own_fd = true;
    }
    *out = &r->base;
    return 0;
}
