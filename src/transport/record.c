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

struct record {
    struct transport base;
    int fd;
    bool own_fd;
    char *path;
    struct transport_info info;
};

static int record_info(struct transport *t, struct transport_info *info)
{
    *info = ((struct record *)t)->info;
    return 0;
}

static int record_send(struct transport *t, const void *bytes, size_t len)
{
    struct record *r = (struct record *)t;
    const uint8_t *p = bytes;
    while (len > 0) {
        ssize_t n = write(r->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            diag_error(&t->diag, "%s: %s", r->path, n < 0 ? strerror(errno) : "short write");
            return TRANSPORT_ERR_IO;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int record_poll(struct transport *t, int timeout_ms, enum transport_event *event)
{
    (void)t, (void)timeout_ms;
    *event = TRANSPORT_EVENT_NONE;
    return 0;
}

static void record_close(struct transport *t)
{
    struct record *r = (struct record *)t;
    if (r->own_fd && close(r->fd) != 0)
        diag_error(&t->diag, "%s: %s", r->path, strerror(errno));
    free(r->path);
    free(r);
}

static const struct transport_ops record_ops = {
    .name = "record",
    .info = record_info,
    .send = record_send,
    .poll = record_poll,
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
