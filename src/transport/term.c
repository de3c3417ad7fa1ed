/* term — the host's composed frames drawn straight into a 24-bit colour
 * terminal, two pixels per character cell (the upper one as the
 * foreground of U+2580, the lower as the background). No protocol: the
 * wire bytes are dropped, credits are unlimited, and the geometry comes
 * from the config's board. For trying a config on a laptop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/frame.h"
#include "transport/backend.h"
#include "transport/board.h"
#include "termdraw.h"

struct term {
    struct transport base;
    struct transport_info info;
    bool drew;
    char *buf;
    size_t cap;
};

static int term_info(struct transport *t, struct transport_info *info)
{
    *info = ((struct term *)t)->info;
    return 0;
}

static int term_send(struct transport *t, const void *bytes, size_t len)
{
    (void)t, (void)bytes, (void)len;
    return 0;
}

/* Worst case per cell: two colour changes of 19 bytes and the glyph. */
#define CELL_MAX 41

static void get_pixel(const void *src, unsigned x, unsigned y, uint8_t rgb[3])
{
    memcpy(rgb, frame_pixel(src, (int)x, (int)y), 3);
}

static int term_show_frame(struct transport *t, const struct frame *f)
{
    struct term *tm = (struct term *)t;
    if (f->width != tm->info.width || f->height != tm->info.height)
        return TRANSPORT_ERR_INVALID;
    size_t n = (size_t)sprintf(tm->buf, tm->drew ? "\x1b[H" : "\x1b[2J\x1b[H");
    n += termdraw_pixels(get_pixel, f, (unsigned)f->width, (unsigned)f->height,
                         transport_term_columns(), tm->buf + n, tm->cap - n);
    tm->drew = true;
    if (fwrite(tm->buf, 1, n, stdout) != n || fflush(stdout) != 0)
        return TRANSPORT_ERR_IO;
    return 0;
}

static int term_poll(struct transport *t, int timeout_ms, enum transport_event *event)
{
    (void)t, (void)timeout_ms;
    *event = TRANSPORT_EVENT_NONE;
    return 0;
}

static void term_close(struct transport *t)
{
    struct term *tm = (struct term *)t;
    free(tm->buf);
    free(tm);
}

static const struct transport_ops term_ops = {
    .name = "term",
    .info = term_info,
    .send = term_send,
    .show_frame = term_show_frame,
    .poll = term_poll,
    .close = term_close,
};

int term_open(struct transport **out, const char *arg, const struct transport_config *cfg,
              const struct diag *d)
{
    (void)arg;
    struct transport_info info;
    int rc = board_geometry(cfg, &info, d);
    if (rc)
        return rc;
    info.max_in_flight = UINT32_MAX;
    struct term *tm = calloc(1, sizeof *tm);
    if (!tm)
        return TRANSPORT_ERR_NO_MEM;
    tm->cap = 16 + ((size_t)info.height + 1) / 2 * ((size_t)info.width * CELL_MAX + 8);
    tm->buf = malloc(tm->cap);
    if (!tm->buf) {
        free(tm);
        return TRANSPORT_ERR_NO_MEM;
    }
    tm->base.ops = &term_ops;
    if (d)
        tm->base.diag = *d;
    tm->info = info;
    snprintf(tm->info.serial, sizeof tm->info.serial, "term");
    *out = &tm->base;
    return 0;
}
