/* term — the host's composed frames drawn in a terminal, without the
 * protocol: 24-bit colour, two LEDs per character cell (the upper half
 * block ▀ in the top LED's colour on the bottom LED's colour).
 *
 * Only rows that changed since the last frame are redrawn, and colour
 * codes are sent only when the colour changes along a row, so a 256x32
 * panel costs a few kilobytes a frame. The drawing is cut at the
 * terminal's width. "term" draws on standard output; "term:PATH" draws
 * into a file (for tests). Wire bytes sent to it are accepted and
 * dropped: there is no controller. */
#include "transport/backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "compose/frame.h"

struct term {
    struct transport base;
    FILE *out;
    bool own_out;
    struct transport_info info;
    uint8_t *prev;          /* last frame drawn, width x height x 3 */
    bool drawn;
    int cols;               /* character cells that fit across */
    char *line;             /* one text row being built */
    size_t line_cap;
};

/* Width and height from the board file, when the caller did not say. */
static int term_board_size(const struct transport_config *cfg, int *w, int *h)
{
    if (!cfg->board || !cfg->boards_dir)
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.ini", cfg->boards_dir, cfg->board);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char buf[256];
    bool in_board = false;
    *w = *h = 0;
    while (fgets(buf, sizeof buf, f)) {
        char key[32];
        int v;
        if (buf[0] == '[')
            in_board = !strncmp(buf, "[board]", 7);
        else if (in_board && sscanf(buf, " %31[a-z_] = %d", key, &v) == 2) {
            if (!strcmp(key, "width"))
                *w = v;
            else if (!strcmp(key, "height"))
                *h = v;
        }
    }
    fclose(f);
    return *w > 0 && *h > 0 ? 0 : -1;
}

static int term_info(struct transport *t, struct transport_info *info)
{
    *info = ((struct term *)t)->info;
    return TRANSPORT_OK;
}

static int term_send(struct transport *t, const void *bytes, size_t len)
{
    (void)t, (void)bytes, (void)len;
    return TRANSPORT_OK;
}

static int term_poll(struct transport *t, int timeout_ms, enum transport_event *event)
{
    (void)t, (void)timeout_ms;
    *event = TRANSPORT_EVENT_NONE;
    return TRANSPORT_OK;
}

static bool line_reserve(struct term *tt, size_t need)
{
    if (need <= tt->line_cap)
        return true;
    size_t cap = need * 2;
    char *l = realloc(tt->line, cap);
    if (!l)
        return false;
    tt->line = l;
    tt->line_cap = cap;
    return true;
}

/* Text row `r` (LED rows 2r and 2r+1) as escape codes and half blocks. */
static size_t build_row(struct term *tt, const struct frame *f, int r)
{
    size_t n = 0;
    int cols = f->width < tt->cols ? f->width : tt->cols;
    if (!line_reserve(tt, (size_t)cols * 48 + 32))
        return 0;
    n += (size_t)sprintf(tt->line + n, "\x1b[%d;1H", r + 1);
    int last_fg = -1, last_bg = -1;
    for (int x = 0; x < cols; x++) {
        const uint8_t *top = frame_pixel(f, x, 2 * r);
        static const uint8_t black[3] = { 0, 0, 0 };
        const uint8_t *bot = 2 * r + 1 < f->height ? frame_pixel(f, x, 2 * r + 1) : black;
        int fg = top[0] << 16 | top[1] << 8 | top[2];
        int bg = bot[0] << 16 | bot[1] << 8 | bot[2];
        if (fg != last_fg)
            n += (size_t)sprintf(tt->line + n, "\x1b[38;2;%d;%d;%dm", top[0], top[1], top[2]);
        if (bg != last_bg)
            n += (size_t)sprintf(tt->line + n, "\x1b[48;2;%d;%d;%dm", bot[0], bot[1], bot[2]);
        last_fg = fg;
        last_bg = bg;
        memcpy(tt->line + n, "\xE2\x96\x80", 3);    /* ▀ */
        n += 3;
    }
    n += (size_t)sprintf(tt->line + n, "\x1b[0m");
    return n;
}

static bool rows_same(const struct term *tt, const struct frame *f, int r)
{
    size_t row = (size_t)f->width * 3;
    for (int y = 2 * r; y < 2 * r + 2 && y < f->height; y++)
        if (memcmp(tt->prev + (size_t)y * row, frame_pixel(f, 0, y), row))
            return false;
    return true;
}

static int term_show_frame(struct transport *t, const struct frame *f)
{
    struct term *tt = (struct term *)t;
    if (f->width != tt->info.width || f->height != tt->info.height)
        return TRANSPORT_ERR_INVALID;
    if (!tt->drawn)
        fputs("\x1b[?25l\x1b[2J", tt->out);     /* hide the cursor, clear */
    for (int r = 0; r < (f->height + 1) / 2; r++) {
        if (tt->drawn && rows_same(tt, f, r))
            continue;
        size_t n = build_row(tt, f, r);
        if (!n || fwrite(tt->line, 1, n, tt->out) != n)
            return TRANSPORT_ERR_IO;
    }
    size_t row = (size_t)f->width * 3;
    for (int y = 0; y < f->height; y++)
        memcpy(tt->prev + (size_t)y * row, frame_pixel(f, 0, y), row);
    tt->drawn = true;
    if (fflush(tt->out) != 0)
        return errno == EAGAIN ? TRANSPORT_ERR_BUSY : TRANSPORT_ERR_IO;
    return TRANSPORT_OK;
}

static void term_close(struct transport *t)
{
    struct term *tt = (struct term *)t;
    if (tt->drawn)
        fprintf(tt->out, "\x1b[0m\x1b[%d;1H\x1b[?25h\n", (tt->info.height + 1) / 2 + 1);
    if (tt->own_out)
        fclose(tt->out);
    else
        fflush(tt->out);
    free(tt->prev);
    free(tt->line);
    free(tt);
}

static const struct transport_ops term_ops = {
    .name = "term",
    .info = term_info,
    .send = term_send,
    .show_frame = term_show_frame,
    .poll = term_poll,
    .close = term_close,
};

int term_open(struct transport **out, const char *arg,
              const struct transport_config *cfg, const struct diag *d)
{
    *out = NULL;
    int w = cfg ? cfg->width : 0, h = cfg ? cfg->height : 0;
    if ((w <= 0 || h <= 0) && (!cfg || term_board_size(cfg, &w, &h) != 0)) {
        diag_error(d, "term: no panel size: give a board (boards/NAME.ini) or a width and height");
        return TRANSPORT_ERR_INVALID;
    }
    if (w > 4096 || h > 1024)
        return TRANSPORT_ERR_INVALID;
    struct term *tt = calloc(1, sizeof *tt);
    if (!tt)
        return TRANSPORT_ERR_NO_MEM;
    tt->base.ops = &term_ops;
    if (d)
        tt->base.diag = *d;
    tt->prev = calloc((size_t)w * h, 3);
    if (!tt->prev) {
        free(tt);
        return TRANSPORT_ERR_NO_MEM;
    }
    if (arg && *arg) {
        tt->out = fopen(arg, "w");
        tt->own_out = true;
        if (!tt->out) {
            diag_emit(d, DIAG_ERROR, arg, 0, "term: cannot open: %s", strerror(errno));
            free(tt->prev);
            free(tt);
            return TRANSPORT_ERR_IO;
        }
    } else {
        tt->out = stdout;
    }
    struct winsize ws;
    tt->cols = w;
    if (!tt->own_out && ioctl(fileno(tt->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
        ws.ws_col < w)
        tt->cols = ws.ws_col;
    tt->info = (struct transport_info){
        .width = (uint16_t)w, .height = (uint16_t)h, .bit_depth = 8,
        /* A monitor has its own transfer curve: LED gamma would only darken it. */
        .applies_gamma = true, .max_in_flight = UINT32_MAX,
    };
    snprintf(tt->info.firmware, sizeof tt->info.firmware, "host");
    snprintf(tt->info.board, sizeof tt->info.board, "%s", cfg && cfg->board ? cfg->board : "term");
    *out = &tt->base;
    return TRANSPORT_OK;
}
