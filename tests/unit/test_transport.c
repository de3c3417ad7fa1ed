/* Transports: spec parsing, board files, `record` (the file holds exactly
 * the encoder's bytes), `sim` (the real firmware core in process: credits
 * run out and come back as with a device, the panel ends up showing the
 * frame, errors lead to a resync) and `term` (cells in 24-bit colour). */
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>

#include "util/frame.h"
#include "ledproto.h"
#include "protocol/encoder.h"
#include "transport/board.h"
#include "transport/sim.h"
#include "transport/transport.h"

/* Messages go to a buffer, so tests can check them and stderr stays quiet. */
static char messages[4096];

static void capture(void *user, enum diag_level level, const char *file, int line,
                    const char *msg)
{
    (void)user, (void)level;
    size_t n = strlen(messages);
    snprintf(messages + n, sizeof messages - n, "%s:%d: %s\n", file ? file : "-", line, msg);
}

static const struct diag quiet = { capture, NULL };

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ledticker-transport-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    /* A board file in the format of boards/NAME.ini. */
    write_file("hub75-64x32.ini",
               "[board]\nname = hub75-64x32\ninterface = hub75\nwidth = 64\nheight = 32\n"
               "chain = 1\nscan = 16\ncolour_order = RGB\nbit_depth = 8\nbrightness = 192\n"
               "[usb]\nvid = 0x1209\npid = 0x0001\n[controller]\nram_kib = 264\n"
               "mcu = cortex-m0plus\n");
    write_file("p10-128x16.ini", "[board]\ninterface = hub12\nwidth = 128\nheight = 16\n"
                                 "bit_depth = 1\n");
    write_file("broken.ini", "[board]\ninterface = hub75\nwidth = wide\nheight = 32\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void ticker_frame(struct frame *f, int pos)
{
    frame_clear(f, 0, 0, 30);
    for (int y = 4; y < f->height - 4; y++)
        for (int x = 0; x < f->width; x++)
            if (((x + pos) * 7 + y * 3) % 11 < 4)
                memcpy(frame_pixel(f, x, y), (uint8_t[3]){ 255, 160, 0 }, 3);
}

static void test_board_files(void **state)
{
    (void)state;
    struct board_desc b;
    assert_int_equal(board_load(&b, tmpdir, "hub75-64x32", &quiet), BOARD_OK);
    assert_int_equal(b.width, 64);
    assert_int_equal(b.height, 32);
    assert_int_equal(b.scan, 16);
    assert_int_equal(b.usb_vid, 0x1209);
    assert_false(b.single_colour);
    assert_int_equal(board_load(&b, tmpdir, "p10-128x16", &quiet), BOARD_OK);
    assert_true(b.single_colour);
    assert_string_equal(b.name, "p10-128x16");
    messages[0] = '\0';
    assert_int_equal(board_load(&b, tmpdir, "broken", &quiet), BOARD_ERR_INVALID);
    assert_non_null(strstr(messages, "broken.ini:3:"));     /* file and line of width */
    assert_non_null(strstr(messages, "width = 'wide'"));
    assert_int_equal(board_load(&b, tmpdir, "nope", &quiet), BOARD_ERR_NOT_FOUND);
    assert_int_equal(board_load(&b, tmpdir, "../etc/passwd", &quiet), BOARD_ERR_INVALID);
    assert_int_equal(board_load(&b, NULL, "hub75-64x32", &quiet), BOARD_ERR_NOT_FOUND);
}

static void test_specs(void **state)
{
    (void)state;
    struct transport *t;
    struct transport_config cfg = { .board = "hub75-64x32", .boards_dir = tmpdir };
    messages[0] = '\0';
    assert_int_equal(transport_open(&t, "serial", &cfg, &quiet), TRANSPORT_ERR_INVALID);
    assert_non_null(strstr(messages, "expected one of sim, term, record"));
    assert_null(t);
    assert_int_equal(transport_open(&t, "record", &cfg, &quiet), TRANSPORT_ERR_INVALID);
    assert_int_equal(transport_open(&t, "record:", &cfg, &quiet), TRANSPORT_ERR_INVALID);
    assert_int_equal(transport_open(&t, "record:/nonexistent/dir/x.bin", &cfg, &quiet),
                     TRANSPORT_ERR_IO);
    struct transport_config nob = { 0 };
    assert_int_equal(transport_open(&t, "term", &nob, &quiet), TRANSPORT_ERR_INVALID);
    struct transport_config unknown = { .board = "hub75-9x9", .boards_dir = tmpdir };
    messages[0] = '\0';
    assert_int_equal(transport_open(&t, "sim", &unknown, &quiet), TRANSPORT_ERR_INVALID);
    assert_non_null(strstr(messages, "hub75-256x32"));      /* names the boards it has */
    assert_string_equal(transport_strerror(TRANSPORT_ERR_BUSY),
                        "no credits: poll, then send again");
}

/* Sends everything queued, waiting for credits like the engine does.
 * Returns how many times send said BUSY. */
static int send_all(struct transport *t, struct encoder *e, size_t window, FILE *copy)
{
    const uint8_t *p;
    size_t n;
    int busy = 0;
    while (encoder_peek(e, window, &p, &n) == 0) {
        int rc = transport_send(t, p, n);
        if (rc == TRANSPORT_ERR_BUSY) {
            assert_true(++busy < 10000);
            enum transport_event ev;
            assert_int_equal(transport_poll(t, 10, &ev), 0);
            continue;
        }
        assert_int_equal(rc, 0);
        if (copy)
            assert_int_equal(fwrite(p, 1, n, copy), n);
        encoder_consume(e, n);
    }
    return busy;
}

static void test_record_writes_the_encoder_bytes(void **state)
{
    (void)state;
    char path[128], copy_path[128];
    snprintf(path, sizeof path, "%s/out.bin", tmpdir);
    snprintf(copy_path, sizeof copy_path, "%s/expected.bin", tmpdir);
    char spec[160];
    snprintf(spec, sizeof spec, "record:%s", path);
    struct transport_config cfg = { .board = "hub75-64x32", .boards_dir = tmpdir };
    struct transport *t;
    assert_int_equal(transport_open(&t, spec, &cfg, &quiet), 0);
    struct transport_info info;
    assert_int_equal(transport_info(t, &info), 0);
    assert_int_equal(info.width, 64);
    assert_int_equal(info.height, 32);
    assert_int_equal(info.max_in_flight, UINT32_MAX);
    assert_string_equal(info.board, "hub75-64x32");
    struct encoder *e;
    assert_int_equal(encoder_new(&e, info.width, info.height, info.pixel_formats), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 32), 0);
    FILE *copy = fopen(copy_path, "wb");
    assert_non_null(copy);
    for (int k = 0; k < 50; k++) {
        ticker_frame(&f, k);
        assert_int_equal(transport_show_frame(t, &f), 0);
        assert_int_equal(encoder_frame(e, &f, (uint32_t)k, (uint32_t)k * 20), 0);
        assert_int_equal(send_all(t, e, info.max_in_flight, copy), 0);
    }
    assert_int_equal(encoder_brightness(e, 10), 0);
    send_all(t, e, info.max_in_flight, copy);
    fclose(copy);
    transport_close(t);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", path, copy_path);
    assert_int_equal(system(cmd), 0);
    FILE *rec = fopen(path, "rb");
    assert_non_null(rec);
    uint8_t head[2];
    assert_int_equal(fread(head, 1, 2, rec), 2);
    assert_int_equal(head[0], LEDPROTO_MAGIC0);
    assert_int_equal(head[1], LEDPROTO_MAGIC1);
    fclose(rec);
    frame_release(&f);
    encoder_free(e);
}

static char ledsim_path[512];

/* Reads a PNG written by `ledsim --snapshot --raw` as RGB888. */
static uint8_t *read_png_rgb(const char *path, int *w, int *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return NULL;
    img.format = PNG_FORMAT_RGB;
    uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
    if (!buf || !png_image_finish_read(&img, NULL, buf, 0, NULL)) {
        free(buf);
        png_image_free(&img);
        return NULL;
    }
    *w = (int)img.width;
    *h = (int)img.height;
    return buf;
}

/* A recording is a stream the real `ledsim` binary plays: no decoder
 * errors (--strict), and its raw snapshot is the last frame sent. */
static void test_record_plays_in_ledsim(void **state)
{
    (void)state;
    if (access(ledsim_path, X_OK) != 0)
        skip();
    char path[128], png[128];
    snprintf(path, sizeof path, "%s/play.bin", tmpdir);
    snprintf(png, sizeof png, "%s/play.png", tmpdir);
    char spec[160];
    snprintf(spec, sizeof spec, "record:%s", path);
    struct transport_config cfg = { .board = "hub75-64x32", .boards_dir = tmpdir };
    struct transport *t;
    assert_int_equal(transport_open(&t, spec, &cfg, &quiet), 0);
    struct encoder *e;
    assert_int_equal(encoder_new(&e, 64, 32, 0x87), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 32), 0);
    for (int k = 0; k < 80; k++) {
        ticker_frame(&f, k * 2);
        frame_pixel(&f, k % 64, 0)[1] = (uint8_t)(k * 3 + 1);  /* a colour RGB565 cannot carry */
        assert_int_equal(encoder_frame(e, &f, (uint32_t)k, (uint32_t)k * 20), 0);
        send_all(t, e, SIZE_MAX, NULL);
    }
    transport_close(t);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' --board hub75-64x32 --strict --snapshot '%s' --raw '%s'",
             ledsim_path, png, path);
    assert_int_equal(system(cmd), 0);
    int w = 0, h = 0;
    uint8_t *shot = read_png_rgb(png, &w, &h);
    assert_non_null(shot);
    assert_int_equal(w, 64);
    assert_int_equal(h, 32);
    assert_memory_equal(shot, f.rgb, (size_t)64 * 32 * 3);
    free(shot);
    frame_release(&f);
    encoder_free(e);
}

/* A whole 256x32 frame of noise is three times the credit window: send
 * must say BUSY, poll must bring the credits back, and the simulated
 * panel must end up showing the frame exactly. Then the ticker scrolls. */
static void test_sim_credits_and_front_buffer(void **state)
{
    (void)state;
    struct transport_config cfg = { .board = "hub75-256x32" };
    struct transport *t;
    assert_int_equal(transport_open(&t, "sim", &cfg, &quiet), 0);
    struct transport_info info;
    assert_int_equal(transport_info(t, &info), 0);
    assert_int_equal(info.width, 256);
    assert_int_equal(info.height, 32);
    assert_true(info.max_in_flight >= LEDPROTO_FRAME_MAX);
    assert_true(info.max_in_flight < 256 * 32 * 3);
    assert_true(info.pixel_formats & LEDPROTO_FMT_RGB888);
    assert_string_equal(info.board, "hub75-256x32");
    struct encoder *e;
    assert_int_equal(encoder_new(&e, 256, 32, info.pixel_formats), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 256, 32), 0);
    unsigned seed = 3;
    for (size_t i = 0; i < (size_t)256 * 32 * 3; i++)
        f.rgb[i] = (uint8_t)rand_r(&seed);
    assert_int_equal(encoder_frame(e, &f, 1, 0), 0);
    assert_true(send_all(t, e, info.max_in_flight, NULL) > 0);
    assert_memory_equal(sim_front(t), f.rgb, (size_t)256 * 32 * 3);
    for (int k = 0; k < 40; k++) {
        ticker_frame(&f, k);
        assert_int_equal(encoder_frame(e, &f, (uint32_t)k + 2, 0), 0);
        send_all(t, e, info.max_in_flight, NULL);
        assert_memory_equal(sim_front(t), f.rgb, (size_t)256 * 32 * 3);
    }
    frame_release(&f);
    encoder_free(e);
    transport_close(t);
}

/* Garbage on the link: the controller counts errors, the transport resets
 * it and says RESYNC; a forced whole frame brings the picture back. */
static void test_sim_resync_after_garbage(void **state)
{
    (void)state;
    struct transport_config cfg = { .board = "hub75-64x32" };
    struct transport *t;
    assert_int_equal(transport_open(&t, "sim", &cfg, &quiet), 0);
    struct encoder *e;
    assert_int_equal(encoder_new(&e, 64, 32, 0x87), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 32), 0);
    ticker_frame(&f, 0);
    assert_int_equal(encoder_frame(e, &f, 1, 0), 0);
    send_all(t, e, 8192, NULL);
    enum transport_event ev;
    assert_int_equal(transport_poll(t, 0, &ev), 0);
    assert_int_equal(ev, TRANSPORT_EVENT_NONE);
    /* A frame with a good header and a corrupted payload. */
    uint8_t bad[LEDPROTO_HEADER_SIZE + LEDPROTO_FILL_SIZE];
    uint8_t fill[LEDPROTO_FILL_SIZE];
    ledproto_fill_pack(fill, 0, 0, 64, 32, 255, 0, 0);
    ledproto_frame_pack(bad, LEDPROTO_OP_FILL, 99, fill, sizeof fill);
    bad[sizeof bad - 1] ^= 0x55;
    assert_int_equal(transport_send(t, bad, sizeof bad), 0);
    messages[0] = '\0';
    assert_int_equal(transport_poll(t, 0, &ev), 0);
    if (ev == TRANSPORT_EVENT_NONE)     /* STATUS comes with the next PRESENT */
        assert_int_equal(transport_poll(t, 0, &ev), 0);
    ticker_frame(&f, 1);
    if (ev != TRANSPORT_EVENT_RESYNC) {
        assert_int_equal(encoder_frame(e, &f, 2, 0), 0);
        send_all(t, e, 8192, NULL);
        assert_int_equal(transport_poll(t, 0, &ev), 0);
    }
    assert_int_equal(ev, TRANSPORT_EVENT_RESYNC);
    assert_non_null(strstr(messages, "reset"));
    encoder_force_full(e);
    assert_int_equal(encoder_frame(e, &f, 3, 0), 0);
    send_all(t, e, 8192, NULL);
    assert_memory_equal(sim_front(t), f.rgb, (size_t)64 * 32 * 3);
    assert_int_equal(transport_poll(t, 0, &ev), 0);
    assert_int_equal(ev, TRANSPORT_EVENT_NONE);
    frame_release(&f);
    encoder_free(e);
    transport_close(t);
}

/* Opens a pseudo-terminal of cols x rows as stdout (raw: no "\r" added),
 * saving the old stdout in *saved. Returns the master side. */
static int stdout_to_pty(unsigned short cols, unsigned short rows, int *saved)
{
    int master, slave;
    struct winsize ws = { .ws_row = rows, .ws_col = cols };
    assert_int_equal(openpty(&master, &slave, NULL, NULL, &ws), 0);
    struct termios tio;
    assert_int_equal(tcgetattr(slave, &tio), 0);
    cfmakeraw(&tio);
    assert_int_equal(tcsetattr(slave, TCSANOW, &tio), 0);
    fflush(stdout);
    *saved = dup(STDOUT_FILENO);
    dup2(slave, STDOUT_FILENO);
    close(slave);
    return master;
}

static size_t restore_stdout(int master, int saved, char *out, size_t cap)
{
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    size_t n = 0;
    struct pollfd p = { master, POLLIN, 0 };
    while (n < cap - 1 && poll(&p, 1, 100) > 0) {
        ssize_t r = read(master, out + n, cap - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    out[n] = '\0';
    close(master);
    return n;
}

/* term in a terminal as wide as the panel draws two pixels per cell: the
 * upper as foreground of U+2580, the lower as background. With stdout no
 * terminal, term and sim draw nothing. */
static void test_term_cells(void **state)
{
    (void)state;
    int saved;
    int master = stdout_to_pty(80, 24, &saved);
    struct transport_config cfg = { .width = 3, .height = 2 };
    struct transport *t;
    assert_int_equal(transport_open(&t, "term", &cfg, &quiet), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 3, 2), 0);
    memcpy(frame_pixel(&f, 1, 0), (uint8_t[3]){ 255, 0, 0 }, 3);
    memcpy(frame_pixel(&f, 1, 1), (uint8_t[3]){ 0, 0, 200 }, 3);
    assert_int_equal(transport_show_frame(t, &f), 0);
    assert_int_equal(transport_send(t, "xyz", 3), 0);    /* no protocol: dropped */
    transport_close(t);
    char out[1024];
    restore_stdout(master, saved, out, sizeof out);
    const char *want = "\x1b[2J\x1b[H"
                       "\x1b[38;2;0;0;0m\x1b[48;2;0;0;0m\xe2\x96\x80"
                       "\x1b[38;2;255;0;0m\x1b[48;2;0;0;200m\xe2\x96\x80"
                       "\x1b[38;2;0;0;0m\x1b[48;2;0;0;0m\xe2\x96\x80"
                       "\x1b[0m\n";
    assert_string_equal(out, want);

    char path[128];
    snprintf(path, sizeof path, "%s/term.out", tmpdir);
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    assert_non_null(freopen(path, "w", stdout));
    assert_int_equal(transport_open(&t, "term", &cfg, &quiet), 0);
    assert_int_equal(transport_show_frame(t, &f), 0);
    transport_close(t);
    struct transport_config sc = { .board = "hub75-64x32" };
    assert_int_equal(transport_open(&t, "sim", &sc, &quiet), 0);
    transport_close(t);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 0);
    frame_release(&f);
}

int main(int argc, char **argv)
{
    (void)argc;
    /* build/tests/test_transport -> build/ledsim */
    const char *slash = strrchr(argv[0], '/');
    snprintf(ledsim_path, sizeof ledsim_path, "%.*s/../ledsim",
             slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board_files),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_record_writes_the_encoder_bytes),
        cmocka_unit_test(test_record_plays_in_ledsim),
        cmocka_unit_test(test_sim_credits_and_front_buffer),
        cmocka_unit_test(test_sim_resync_after_garbage),
        cmocka_unit_test(test_term_cells),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
