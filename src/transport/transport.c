#include "transport/transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "transport/backend.h"

/* The back ends, by the name that opens a spec ("record:out.bin"). */
static const struct {
    const char *name;
    int (*open)(struct transport **out, const char *arg, const struct transport_config *cfg,
                const struct diag *d);
    bool needs_arg;
} backends[] = {
    { "sim", sim_open, false },
    { "term", term_open, false },
    { "record", record_open, true },
    { "usb", usb_open, false },
};

/* The back end a spec names, or NULL with the reason in `why`. */
static int find_backend(const char *spec, const char **arg, char *why, size_t len)
{
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    *arg = colon ? colon + 1 : NULL;
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        if (strlen(backends[i].name) != n || strncmp(spec, backends[i].name, n))
            continue;
        if (backends[i].needs_arg && (!*arg || !**arg)) {
            snprintf(why, len, "output '%s': say where, as %s:PATH", spec, backends[i].name);
            return -1;
        }
        return (int)i;
    }
    char names[128] = "";
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
        strncat(names, backends[i].name, sizeof names - strlen(names) - 1);
    }
    snprintf(why, len, "output '%s': unknown; expected one of %s (record as record:PATH)",
             spec, names);
    return -1;
}

int transport_check_spec(const char *spec, char *why, size_t len)
{
    const char *arg;
    return find_backend(spec ? spec : "", &arg, why, len) < 0 ? -1 : 0;
}

int transport_open(struct transport **out, const char *spec, const struct transport_config *cfg,
                   const struct diag *d)
{
    static const struct transport_config none;
    *out = NULL;
    const char *arg;
    char why[256];
    int i = find_backend(spec ? spec : "", &arg, why, sizeof why);
    if (i < 0) {
        diag_error(d, "%s", why);
        return TRANSPORT_ERR_INVALID;
    }
    return backends[i].open(out, arg, cfg ? cfg : &none, d);
}

int transport_info(struct transport *t, struct transport_info *info)
{
    return t->ops->info(t, info);
}

int transport_send(struct transport *t, const void *bytes, size_t len)
{
    if (len == 0)
        return 0;
    if (!bytes)
        return TRANSPORT_ERR_INVALID;
    return t->ops->send(t, bytes, len);
}

int transport_show_frame(struct transport *t, const struct frame *f)
{
    return t->ops->show_frame ? t->ops->show_frame(t, f) : 0;
}

int transport_poll(struct transport *t, int timeout_ms, enum transport_event *event)
{
    enum transport_event ignored;
    if (!event)
        event = &ignored;
    *event = TRANSPORT_EVENT_NONE;
    return t->ops->poll(t, timeout_ms, event);
}

int transport_finish(struct transport *t)
{
    return t && t->ops->finish ? t->ops->finish(t) : 0;
}

void transport_close(struct transport *t)
{
    if (t)
        t->ops->close(t);
}

const char *transport_strerror(int err)
{
    switch (err) {
    case TRANSPORT_OK: return "success";
    case TRANSPORT_ERR_IO: return "input/output error";
    case TRANSPORT_ERR_NO_DEVICE: return "no device";
    case TRANSPORT_ERR_BUSY: return "no credits: poll, then send again";
    case TRANSPORT_ERR_TIMEOUT: return "timed out";
    case TRANSPORT_ERR_ACCESS: return "permission denied";
    case TRANSPORT_ERR_INVALID: return "invalid argument";
    case TRANSPORT_ERR_NO_MEM: return "out of memory";
    case TRANSPORT_ERR_PROTOCOL: return "protocol error";
    default: return "unknown transport error";
    }
}

int term_view_init(struct term_view *v, unsigned width, unsigned height)
{
    *v = (struct term_view){ 0 };
    v->cap = 16 + termdraw_max_bytes(width, height);
    v->buf = malloc(v->cap);
    return v->buf ? 0 : TRANSPORT_ERR_NO_MEM;
}

int term_view_draw(struct term_view *v, termdraw_get_fn get, const void *src,
                   unsigned width, unsigned height, const struct diag *d)
{
    struct winsize ws = { 0 };
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
        ws.ws_col = ws.ws_row = 0;
    bool resized = !v->drew || ws.ws_col != v->cols || ws.ws_row != v->rows;
    v->cols = ws.ws_col;
    v->rows = ws.ws_row;
    struct termdraw_fit fit;
    termdraw_fit(width, height, v->cols, v->rows, &fit);
    if (fit.cols_needed && !v->warned) {
        diag_warn(d, "this terminal is %u columns wide: it shows the left %u of the panel's "
                  "%u pixels; the whole panel needs %u columns", v->cols, fit.px_w, width,
                  fit.cols_needed);
        v->warned = true;
    }
    const char *start = resized ? "\x1b[2J\x1b[H" : "\x1b[H";
    size_t n = strlen(start);
    memcpy(v->buf, start, n);
    n += termdraw_pixels(get, src, &fit, v->buf + n, v->cap - n);
    v->drew = true;
    if (fwrite(v->buf, 1, n, stdout) != n || fflush(stdout) != 0)
        return TRANSPORT_ERR_IO;
    return 0;
}

void term_view_free(struct term_view *v)
{
    free(v->buf);
    v->buf = NULL;
}
