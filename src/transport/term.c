/* term — the host's composed frames drawn straight into a 24-bit colour
 * terminal, fitted to its size (termdraw.h: half blocks, quadrant blocks
 * or braille). Nothing is drawn when stdout is no terminal. No protocol: the
 * wire bytes are dropped, credits are unlimited, and the geometry comes
 * from the config's board. For trying a config on a laptop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/frame.h"
#include "transport/backend.h"
#include "transport/board.h"
#include "termdraw.h"

struct term {
    struct transport base;
    struct transport_info info;
    bool draw;                  /* stdout is a terminal */
    struct term_view view;
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

static void get_pixel(const void *src, unsigned x, unsigned y, uint8_t rgb[3])
{
    memcpy(rgb, frame_pixel(src, (int)x, (int)y), 3);
}

static int term_show_frame(struct transport *t, const struct frame *f)
{
    struct term *tm = (struct term *)t;
    if (f->width != tm->info.width || f->height != tm->info.height)
        return TRANSPORT_ERR_INVALID;
    if (!tm->draw)              /* no terminal: `run` said so once */
        return 0;
    return term_view_draw(&tm->view, get_pixel, f, (unsigned)f->width, (unsigned)f->height,
                          &t->diag);
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
    term_view_free(&tm->view);
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
    tm->draw = isatty(STDOUT_FILENO);
    if (tm->draw && term_view_init(&tm->view, info.width, info.height) != 0) {
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
