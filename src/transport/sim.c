/* sim — the controller's firmware core (libfwcore) running in process, as
 * the board names it. The host side behaves as over USB: bytes go to the
 * core in 64-byte full-speed packets, credits come back only in the STATUS
 * messages the core sends, and send says BUSY when the window is full, so
 * the engine's wait-for-credits path runs exactly as with a device. The
 * core's clock is the host's monotonic clock, so the silence notice shows
 * when the host stops sending.
 *
 * When stdout is a terminal, the panel is drawn there live with the same
 * code as `ledsim --term` (termdraw.h), fitted to the terminal's size;
 * otherwise nothing is drawn (and `run` says so). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fw.h"
#include "termdraw.h"
#include "transport/backend.h"
#include "transport/sim.h"

#define INBOX 8
#define STATUS_MSG (LEDPROTO_HEADER_SIZE + LEDPROTO_STATUS_SIZE)
#define DRAW_EVERY_MS 33        /* a terminal cannot keep up with more */

struct sim {
    struct transport base;
    struct fw *fw;
    struct transport_info info;
    uint32_t sent, consumed;        /* the host's count and the device's, as last heard */
    uint8_t inbox[INBOX][STATUS_MSG];
    unsigned in_head, in_count;
    uint32_t errors_seen;
    bool draw, drew, need_draw;
    uint32_t last_draw_ms;
    struct term_view view;
};

static uint32_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static uint32_t port_now(void *user)
{
    (void)user;
    return mono_ms();
}

/* The bulk IN endpoint: a few transfers may wait for the host to read. */
static bool port_usb_send(void *user, const uint8_t *data, size_t len)
{
    struct sim *s = user;
    if (s->in_count == INBOX || len != STATUS_MSG)
        return false;
    memcpy(s->inbox[(s->in_head + s->in_count++) % INBOX], data, len);
    return true;
}

static void port_panel_show(void *user, const struct panel_out *out)
{
    (void)out;
    ((struct sim *)user)->need_draw = true;
}

static void get_visible(const void *src, unsigned x, unsigned y, uint8_t rgb[3])
{
    fw_visible_rgb(src, x, y, rgb);
}

static void draw(struct sim *s, bool force)
{
    uint32_t now = mono_ms();
    if (!s->draw || !s->need_draw || (!force && s->drew && now - s->last_draw_ms < DRAW_EVERY_MS))
        return;
    term_view_draw(&s->view, get_visible, s->fw, s->info.width, s->info.height, &s->base.diag);
    s->drew = true;
    s->need_draw = false;
    s->last_draw_ms = now;
}

static void run_device(struct sim *s)
{
    fw_task(s->fw);
    draw(s, false);
}

static int sim_info(struct transport *t, struct transport_info *info)
{
    *info = ((struct sim *)t)->info;
    return 0;
}

static int sim_send(struct transport *t, const void *bytes, size_t len)
{
    struct sim *s = (struct sim *)t;
    if (len > s->info.max_in_flight) {
        diag_error(&t->diag, "sim: %zu bytes in one send exceed the %u-byte credit window",
                   len, (unsigned)s->info.max_in_flight);
        return TRANSPORT_ERR_INVALID;
    }
    if ((uint32_t)(s->sent - s->consumed) + len > s->info.max_in_flight)
        return TRANSPORT_ERR_BUSY;
    const uint8_t *p = bytes;
    for (size_t off = 0; off < len; off += LEDPROTO_USB_PACKET) {
        size_t n = len - off < LEDPROTO_USB_PACKET ? len - off : LEDPROTO_USB_PACKET;
        fw_usb_rx(s->fw, p + off, n);
    }
    s->sent += (uint32_t)len;
    run_device(s);
    return 0;
}

static uint32_t error_total(const struct ledproto_status *st)
{
    return st->crc_errors + st->bad_opcode + st->bad_length + st->bad_field + st->overflows;
}

/* Takes one STATUS; true when it shows new decoder errors. */
static bool take_status(struct sim *s, const uint8_t *msg)
{
    struct ledproto_header h;
    if (!ledproto_header_unpack(msg, &h) || h.opcode != LEDPROTO_OP_STATUS ||
        h.length != LEDPROTO_STATUS_SIZE ||
        h.payload_crc != ledproto_crc16(msg + LEDPROTO_HEADER_SIZE, LEDPROTO_STATUS_SIZE))
        return false;
    struct ledproto_status st;
    ledproto_status_unpack(msg + LEDPROTO_HEADER_SIZE, &st);
    s->consumed = st.consumed;
    bool worse = error_total(&st) != s->errors_seen;
    s->errors_seen = error_total(&st);
    return worse;
}

/* Errors on the link: RESET the device (its picture is unknown now) and
 * tell the engine to send a whole frame. */
static void resync(struct sim *s)
{
    struct ledproto_status st;
    fw_status(s->fw, &st);
    uint8_t msg[LEDPROTO_HEADER_SIZE];
    ledproto_header_pack(msg, LEDPROTO_OP_RESET, (uint16_t)(st.last_cmd_seq + 1), NULL, 0);
    fw_feed(s->fw, msg, sizeof msg);
    s->sent += sizeof msg;
    diag_warn(&s->base.diag, "sim: the controller counted errors; reset it, sending a whole frame");
}

/* Nothing in flight and nothing to report: wait as a USB host would for
 * the IN endpoint, so an engine that paces itself with poll is paced. */
static void idle(struct sim *s, int timeout_ms)
{
    if (timeout_ms <= 0)
        return;
    struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
    run_device(s);
}

static int sim_poll(struct transport *t, int timeout_ms, enum transport_event *event)
{
    struct sim *s = (struct sim *)t;
    run_device(s);
    bool errors = false, heard = false;
    while (s->in_count > 0) {
        errors |= take_status(s, s->inbox[s->in_head]);
        s->in_head = (s->in_head + 1) % INBOX;
        s->in_count--;
        heard = true;
        run_device(s);      /* a STATUS that waited for room goes out now */
    }
    if (!heard && s->sent != s->consumed) {
        /* Bytes unacknowledged and no STATUS: ask, as a USB host does with
         * the GET_STATUS control request. */
        uint8_t raw[LEDPROTO_STATUS_SIZE];
        struct ledproto_status st;
        fw_get_status(s->fw, raw);
        ledproto_status_unpack(raw, &st);
        heard = st.consumed != s->consumed;
        s->consumed = st.consumed;
    }
    if (errors) {
        resync(s);
        *event = TRANSPORT_EVENT_RESYNC;
    } else if (!heard && s->sent == s->consumed) {
        idle(s, timeout_ms);
    }
    return 0;
}

static void sim_close(struct transport *t)
{
    struct sim *s = (struct sim *)t;
    draw(s, true);
    if (s->drew) {
        fputs("\x1b[0m\n", stdout);
        fflush(stdout);
    }
    term_view_free(&s->view);
    free(s->fw);
    free(s);
}

static const struct transport_ops sim_ops = {
    .name = "sim",
    .info = sim_info,
    .send = sim_send,
    .poll = sim_poll,
    .close = sim_close,
};

static const struct fw_board *pick_board(const struct transport_config *cfg,
                                         const struct diag *d)
{
    if (cfg->board) {
        const struct fw_board *b = board_find(cfg->board);
        if (!b) {
            char names[256] = "";
            for (unsigned i = 0; i < board_count; i++) {
                strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
                strncat(names, board_table[i].name, sizeof names - strlen(names) - 1);
            }
            diag_error(d, "sim: no built-in board '%s'; the simulator has %s", cfg->board, names);
        }
        return b;
    }
    for (unsigned i = 0; i < board_count; i++)
        if (board_table[i].width == cfg->width && board_table[i].height == cfg->height)
            return &board_table[i];
    diag_error(d, "sim: no board given and no built-in board is %dx%d", cfg->width, cfg->height);
    return NULL;
}

int sim_open(struct transport **out, const char *arg, const struct transport_config *cfg,
             const struct diag *d)
{
    (void)arg;
    const struct fw_board *b = pick_board(cfg, d);
    if (!b)
        return TRANSPORT_ERR_INVALID;
    struct sim *s = calloc(1, sizeof *s);
    if (!s || !(s->fw = calloc(1, sizeof *s->fw))) {
        free(s);
        return TRANSPORT_ERR_NO_MEM;
    }
    s->base.ops = &sim_ops;
    if (d)
        s->base.diag = *d;
    struct fw_port port = { s, port_now, port_usb_send, port_panel_show };
    if (fw_init(s->fw, b, &port) != 0) {
        diag_error(d, "sim: board '%s' does not fit the simulator", b->name);
        free(s->fw);
        free(s);
        return TRANSPORT_ERR_INVALID;
    }
    s->draw = isatty(STDOUT_FILENO) && term_view_init(&s->view, b->width, b->height) == 0;
    /* What a USB host reads at open: GET_INFO, and GET_STATUS for the
     * starting point of its byte count. */
    uint8_t raw[LEDPROTO_INFO_SIZE];
    struct ledproto_info in;
    fw_get_info(s->fw, raw);
    ledproto_info_unpack(raw, &in);
    s->info = (struct transport_info){
        .proto_version = in.proto_version,
        .width = in.width,
        .height = in.height,
        .pixel_formats = in.pixel_formats,
        .bit_depth = in.bit_depth,
        .applies_gamma = in.flags & LEDPROTO_INFO_APPLIES_GAMMA,
        .max_in_flight = in.max_in_flight,
    };
    memcpy(s->info.firmware, in.firmware, sizeof in.firmware);
    memcpy(s->info.board, in.board, sizeof in.board);
    s->info.firmware[sizeof s->info.firmware - 1] = '\0';
    s->info.board[sizeof s->info.board - 1] = '\0';
    snprintf(s->info.serial, sizeof s->info.serial, "sim");
    struct ledproto_status st;
    fw_status(s->fw, &st);
    s->sent = s->consumed = st.consumed;
    s->errors_seen = error_total(&st);
    *out = &s->base;
    return 0;
}

const uint8_t *sim_front(struct transport *t)
{
    if (!t || t->ops != &sim_ops)
        return NULL;
    struct sim *s = (struct sim *)t;
    run_device(s);
    return fw_front(s->fw);
}
