/* ledsim — the controller's firmware core on the PC, with the PC as its
 * board. Reads a command stream (a file, or stdin), feeds it to the core in
 * 64-byte USB packets exactly as the controller's USB stack would, and
 * shows the result:
 *
 *   --term            the panel live in the terminal, paced by the
 *                     PRESENTs' host timestamps
 *   --snapshot F.png  the front buffer at the end as LED dots (--raw: 1:1)
 *   neither           the decoder's counters, one "name value" per line
 *   --control REQ     answer one vendor control request as the controller
 *                     would (get-info, get-status: the reply in hex;
 *                     reboot-bootloader: what the port hook does) and exit
 *
 * Exit: 0 done, 1 input/output failure (or, with --strict, any decoder
 * error), 2 usage. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "fw.h"
#include "snapshot.h"
#include "termdraw.h"

struct options {
    const char *board, *input, *snapshot, *control;
    bool raw, term, strict, fast;
    double linger_s;
};

struct sim {
    struct fw fw;               /* large: lives in static storage, see main */
    struct options opt;
    uint32_t drawn_seq;
    bool drawn_any;
    double pace_wall0;          /* wall clock and host_ms of the first PRESENT */
    uint32_t pace_host0;
    char *term_buf;
    size_t term_cap;
    unsigned term_cols, term_rows;  /* the terminal's size at the last draw */
    bool term_warned;
    struct proto_decoder sniff;     /* reads the stream's rects for the messages */
    unsigned stream_w, stream_h;    /* the panel the stream's rects reach */
};

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t port_now_ms(void *user)
{
    (void)user;
    return (uint32_t)(unsigned long long)(wall_seconds() * 1000.0);
}

static void sleep_seconds(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Waits until a PRESENT is due by its host timestamp, so a recorded
 * stream plays at its own speed. Never more than a second per frame: a
 * host clock jump must not freeze the display. */
static void pace(struct sim *s)
{
    uint32_t host = s->fw.presented_host_ms;
    if (!s->drawn_any) {
        s->pace_wall0 = wall_seconds();
        s->pace_host0 = host;
        return;
    }
    double due = s->pace_wall0 + (double)(uint32_t)(host - s->pace_host0) / 1000.0;
    double wait = due - wall_seconds();
    if (wait > 1.0 || wait < -1.0) {            /* re-anchor */
        s->pace_wall0 = wall_seconds();
        s->pace_host0 = host;
        return;
    }
    sleep_seconds(wait);
}

/* The panel fitted to the terminal (termdraw_fit), whose size is read at
 * every draw so that a resize is followed; when even braille is too wide,
 * the left part is shown and one line says how many columns are needed. */
static void draw_term(struct sim *s)
{
    struct winsize ws = { 0 };
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
        ws.ws_col = ws.ws_row = 0;
    bool resized = ws.ws_col != s->term_cols || ws.ws_row != s->term_rows;
    s->term_cols = ws.ws_col;
    s->term_rows = ws.ws_row;
    struct termdraw_fit fit;
    termdraw_fit(s->fw.board->width, s->fw.board->height, ws.ws_col, ws.ws_row, &fit);
    if (fit.cols_needed && !s->term_warned) {
        fprintf(stderr, "ledsim: this terminal is %u columns wide: it shows the left %u of the "
                "panel's %u pixels; the whole panel needs %u columns\n", ws.ws_col, fit.px_w,
                (unsigned)s->fw.board->width, fit.cols_needed);
        s->term_warned = true;
    }
    size_t n = termdraw_fw(&s->fw, &fit, s->term_buf, s->term_cap);
    fputs(resized ? "\x1b[2J\x1b[H" : "\x1b[H", stdout);
    fwrite(s->term_buf, 1, n, stdout);
    fflush(stdout);
}

/* The port's panel output: in --term mode, the panel is redrawn whenever
 * the core hands over new output (a PRESENT, brightness, standby, notice). */
static void port_panel_show(void *user, const struct panel_out *out)
{
    (void)out;
    struct sim *s = user;
    if (!s->opt.term || !s->term_buf)
        return;
    bool new_frame = s->fw.presented && (!s->drawn_any || s->fw.presented_seq != s->drawn_seq);
    if (new_frame && !s->opt.fast)
        pace(s);
    draw_term(s);
    if (new_frame) {
        s->drawn_seq = s->fw.presented_seq;
        s->drawn_any = true;
    }
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ledsim --board NAME [--snapshot OUT.png [--raw]] [--term [--fast]]\n"
            "              [--linger SECONDS] [--strict] [FILE]\n"
            "       ledsim --board NAME --control get-info|get-status|reboot-bootloader\n"
            "       ledsim --list\n"
            "Applies a ledticker command stream (FILE or stdin) as the controller would.\n"
            "  --term       show the panel live in the terminal (24-bit colour)\n"
            "  --fast       with --term: do not pace frames by their timestamps\n"
            "  --snapshot   write the front buffer at the end as a PNG of LED dots\n"
            "  --raw        with --snapshot: 1:1 pixels, exactly the front buffer\n"
            "  --linger S   keep the controller running S seconds after the input ends\n"
            "  --strict     exit 1 when the decoder counted any error\n"
            "With neither --term nor --snapshot, prints the decoder's counters.\n");
}

static void list_boards(void)
{
    for (unsigned i = 0; i < board_count; i++) {
        const struct fw_board *b = &board_table[i];
        printf("%-14s %3ux%-3u %s, chain %u, 1/%u scan, %u bit\n", b->name, b->width,
               b->height, b->kind == FW_PANEL_HUB75 ? "HUB75" : "HUB12 P10", b->chain,
               b->scan, b->bit_depth);
    }
}

/* Returns -1 on success, else the exit code. */
static int parse_args(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "--board") && has_value)
            o->board = argv[++i];
        else if (!strcmp(a, "--snapshot") && has_value)
            o->snapshot = argv[++i];
        else if (!strcmp(a, "--control") && has_value)
            o->control = argv[++i];
        else if (!strcmp(a, "--linger") && has_value)
            o->linger_s = atof(argv[++i]);
        else if (!strcmp(a, "--raw"))
            o->raw = true;
        else if (!strcmp(a, "--term"))
            o->term = true;
        else if (!strcmp(a, "--fast"))
            o->fast = true;
        else if (!strcmp(a, "--strict"))
            o->strict = true;
        else if (!strcmp(a, "--list")) {
            list_boards();
            return 0;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "ledsim: unknown option or missing value: %s\n", a);
            usage(stderr);
            return 2;
        } else if (!o->input) {
            o->input = a;
        } else {
            fprintf(stderr, "ledsim: more than one input file: %s\n", a);
            return 2;
        }
    }
    if (!o->board) {
        fprintf(stderr, "ledsim: --board NAME is required (ledsim --list names them)\n");
        return 2;
    }
    if (o->raw && !o->snapshot) {
        fprintf(stderr, "ledsim: --raw needs --snapshot\n");
        return 2;
    }
    return -1;
}

static void print_counters(const struct fw *fw)
{
    struct ledproto_status s;
    fw_status(fw, &s);
    printf("board %s\n", fw->board->name);
    printf("frames_ok %u\n", (unsigned)fw->dec.count.frames_ok);
    printf("presented %s\n", s.state & LEDPROTO_STATE_PRESENTED ? "yes" : "no");
    printf("presented_seq %u\n", (unsigned)s.presented_seq);
    printf("consumed %u\n", (unsigned)s.consumed);
    printf("crc_errors %u\n", (unsigned)s.crc_errors);
    printf("bad_opcode %u\n", (unsigned)s.bad_opcode);
    printf("bad_length %u\n", (unsigned)s.bad_length);
    printf("bad_field %u\n", (unsigned)s.bad_field);
    printf("overflows %u\n", (unsigned)s.overflows);
    printf("seq_gaps %u\n", (unsigned)s.seq_gaps);
    printf("bytes_skipped %u\n", (unsigned)s.bytes_skipped);
    printf("standby %s\n", s.state & LEDPROTO_STATE_STANDBY ? "yes" : "no");
    printf("notice %s\n", s.state & LEDPROTO_STATE_NOTICE ? "yes" : "no");
}

static int decoder_errors(const struct fw *fw)
{
    struct ledproto_status s;
    fw_status(fw, &s);
    return s.crc_errors || s.bad_opcode || s.bad_length || s.bad_field || s.overflows ||
           s.bytes_skipped;
}

/* The rects of FILL, BLIT and SCROLL (x, y, w, h first in each payload):
 * how big a panel the stream was made for. */
static enum proto_result sniff_rect(void *ctx, const struct ledproto_header *h,
                                    const uint8_t *p)
{
    struct sim *s = ctx;
    if ((h->opcode == LEDPROTO_OP_FILL || h->opcode == LEDPROTO_OP_BLIT ||
         h->opcode == LEDPROTO_OP_SCROLL) && h->length >= 8) {
        unsigned right = (unsigned)ledproto_get_u16(p) + ledproto_get_u16(p + 4);
        unsigned bottom = (unsigned)ledproto_get_u16(p + 2) + ledproto_get_u16(p + 6);
        s->stream_w = right > s->stream_w ? right : s->stream_w;
        s->stream_h = bottom > s->stream_h ? bottom : s->stream_h;
    }
    return PROTO_OK;
}

/* A stream the decoder refused parts of is said so, naming the counters,
 * and the panel size when the stream was made for another one; ledsim
 * would otherwise show a frozen panel and exit 0 in silence. */
static void warn_rejected(const struct sim *s)
{
    struct ledproto_status st;
    fw_status(&s->fw, &st);
    const struct { const char *name; uint32_t n; } c[] = {
        { "crc_errors", st.crc_errors }, { "bad_opcode", st.bad_opcode },
        { "bad_length", st.bad_length }, { "bad_field", st.bad_field },
        { "overflows", st.overflows }, { "bytes_skipped", st.bytes_skipped },
    };
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        if (c[i].n && used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s %u",
                                     used ? ", " : "", c[i].name, (unsigned)c[i].n);
    fprintf(stderr, "ledsim: warning: the decoder rejected commands (%s)\n", list);
    const struct fw_board *b = s->fw.board;
    if (s->stream_w > b->width || s->stream_h > b->height)
        fprintf(stderr, "ledsim: warning: the stream is for a %ux%u panel at least; board %s "
                "is %ux%u (give ledsim --board the panel the stream was recorded for)\n",
                s->stream_w, s->stream_h, b->name, (unsigned)b->width, (unsigned)b->height);
}

/* Feeds the input in USB full-speed packets, as the controller gets it.
 * While a live pipe is quiet the controller keeps running (its silence
 * watch must see the quiet), so reads wait at most 100 ms. */
static int run_stream(struct sim *s, int fd)
{
    uint8_t buf[4096];
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int ready = poll(&pfd, 1, 100);
        if (ready < 0 && errno != EINTR) {
            fprintf(stderr, "ledsim: poll: %s\n", strerror(errno));
            return 1;
        }
        if (ready <= 0) {
            fw_task(&s->fw);
            continue;
        }
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "ledsim: %s: %s\n", s->opt.input ? s->opt.input : "stdin",
                    strerror(errno));
            return 1;
        }
        if (n == 0)
            return 0;
        for (ssize_t off = 0; off < n; off += LEDPROTO_USB_PACKET) {
            size_t len = (size_t)(n - off) < LEDPROTO_USB_PACKET ? (size_t)(n - off)
                                                                 : LEDPROTO_USB_PACKET;
            fw_feed(&s->fw, buf + off, len);
        }
        proto_decode_feed(&s->sniff, buf, (size_t)n, sniff_rect, s);
    }
}

/* ledsim has no ROM to reboot into: it says so and the request succeeds. */
static void port_reboot_to_bootloader(void *user)
{
    (void)user;
    printf("reboot-bootloader: the controller leaves the bus for its ROM's USB boot mode\n");
}

static const char *port_serial(void *user)
{
    (void)user;
    return "LEDSIM";
}

/* --control: one vendor request answered as the USB stack would. */
static int answer_control(struct fw *fw, const char *req)
{
    uint8_t buf[LEDPROTO_INFO_SIZE];
    size_t n;
    if (!strcmp(req, "get-info"))
        n = fw_get_info(fw, buf);
    else if (!strcmp(req, "get-status"))
        n = fw_get_status(fw, buf);
    else if (!strcmp(req, "reboot-bootloader"))
        return fw_reboot_to_bootloader(fw) ? 0 : 1;
    else {
        fprintf(stderr, "ledsim: unknown control request '%s' (get-info, get-status, "
                        "reboot-bootloader)\n", req);
        return 2;
    }
    for (size_t i = 0; i < n; i++)
        printf("%02x", buf[i]);
    printf("\n");
    return 0;
}

static struct sim sim;  /* the firmware's buffers are too big for the stack */

int main(int argc, char **argv)
{
    int rc = parse_args(argc, argv, &sim.opt);
    if (rc >= 0)
        return rc;
    const struct fw_board *b = board_find(sim.opt.board);
    if (!b) {
        fprintf(stderr, "ledsim: unknown board '%s'; known boards:\n", sim.opt.board);
        for (unsigned i = 0; i < board_count; i++)
            fprintf(stderr, "  %s\n", board_table[i].name);
        return 2;
    }
    struct fw_port port = { .user = &sim, .now_ms = port_now_ms, .panel_show = port_panel_show,
                            .serial = port_serial,
                            .reboot_to_bootloader = port_reboot_to_bootloader };
    if (sim.opt.control) {
        fw_init(&sim.fw, b, &port);
        return answer_control(&sim.fw, sim.opt.control);
    }
    int fd = 0;
    if (sim.opt.input && strcmp(sim.opt.input, "-") != 0) {
        fd = open(sim.opt.input, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "ledsim: %s: %s\n", sim.opt.input, strerror(errno));
            return 1;
        }
    }
    if (sim.opt.term) {
        sim.term_cap = termdraw_max_bytes(b->width, b->height);
        sim.term_buf = malloc(sim.term_cap);
        if (!sim.term_buf) {
            fprintf(stderr, "ledsim: out of memory\n");
            return 1;
        }
    }
    fw_init(&sim.fw, b, &port);
    proto_decoder_init(&sim.sniff);
    rc = run_stream(&sim, fd);
    if (fd != 0)
        close(fd);
    for (double end = wall_seconds() + sim.opt.linger_s; rc == 0 && wall_seconds() < end;) {
        fw_task(&sim.fw);
        sleep_seconds(0.05);
    }
    if (rc == 0 && sim.opt.snapshot) {
        char err[512];
        if (snapshot_write_png(&sim.fw, sim.opt.snapshot, sim.opt.raw, err, sizeof err) != 0) {
            fprintf(stderr, "ledsim: %s\n", err);
            rc = 1;
        }
    }
    if (rc == 0 && !sim.opt.term && !sim.opt.snapshot)
        print_counters(&sim.fw);
    if (rc == 0 && decoder_errors(&sim.fw))
        warn_rejected(&sim);
    if (rc == 0 && sim.opt.strict && decoder_errors(&sim.fw)) {
        fprintf(stderr, "ledsim: the decoder counted errors (--strict)\n");
        rc = 1;
    }
    free(sim.term_buf);
    return rc;
}
