/* The controller as a whole, on a fake clock: host silence keeps the last
 * frame, then shows the notice; STANDBY stays dark through everything;
 * RESET; STATUS replies and credits; GET_INFO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmdstream.h"
#include "fwtest.h"
#include "termdraw.h"

#define START_MS 5000u

static void send_frame(struct fwtest *t, uint8_t r, uint8_t g, uint8_t b, uint32_t seq)
{
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_fill(&s, 0, 0, t->fw.board->width, t->fw.board->height, r, g, b);
    cmdstream_present(&s, seq, seq * 40);
    fw_feed(&t->fw, s.data, s.len);
    cmdstream_free(&s);
}

static void send_u8(struct fwtest *t, uint8_t opcode, uint8_t v)
{
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_u8(&s, opcode, v);
    fw_feed(&t->fw, s.data, s.len);
    cmdstream_free(&s);
}

static void send_empty(struct fwtest *t, uint8_t opcode)
{
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_frame(&s, opcode, NULL, 0);
    fw_feed(&t->fw, s.data, s.len);
    cmdstream_free(&s);
}

static bool front_is(const struct fwtest *t, uint8_t r, uint8_t g, uint8_t b)
{
    for (unsigned y = 0; y < t->fw.board->height; y++)
        for (unsigned x = 0; x < t->fw.board->width; x++) {
            const uint8_t *p = fwtest_front(t, x, y);
            if (p[0] != r || p[1] != g || p[2] != b)
                return false;
        }
    return true;
}

static bool output_all(const struct panel_out *o, uint8_t v)
{
    for (uint32_t i = 0; i < o->bytes; i++)
        if (o->data[i] != v)
            return false;
    return true;
}

static void test_silence_keeps_the_frame_then_shows_the_notice(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, START_MS);
    send_frame(t, 10, 20, 30, 1);
    fwtest_advance(t, 9999);
    assert_false(t->fw.silent);
    fwtest_advance(t, 1);                       /* 10 s without a PRESENT */
    assert_true(t->fw.silent);
    assert_true(front_is(t, 10, 20, 30));       /* still the last frame */
    send_empty(t, LEDPROTO_OP_GET_STATUS);
    assert_int_equal(t->last_status.state & (LEDPROTO_STATE_SILENT | LEDPROTO_STATE_NOTICE),
                     LEDPROTO_STATE_SILENT);
    fwtest_advance(t, 49999);
    assert_false(t->fw.notice);
    unsigned shows = t->panel_shows;
    fwtest_advance(t, 1);                       /* 60 s: the notice */
    assert_true(t->fw.notice);
    assert_int_equal(t->panel_shows, shows + 1);
    assert_false(front_is(t, 10, 20, 30));
    /* The notice is text on black: lit pixels in one colour, the rest black. */
    unsigned lit = 0;
    for (unsigned y = 0; y < 32; y++)
        for (unsigned x = 0; x < 64; x++) {
            const uint8_t *p = fwtest_front(t, x, y);
            if (p[0] | p[1] | p[2]) {
                lit++;
                assert_true(y >= 13 && y < 18);   /* the 5 rows of the font, centred */
            }
        }
    assert_true(lit > 20);
    /* The host's canvas is untouched, and the next PRESENT brings it back. */
    assert_memory_equal(fwtest_back(t, 0, 0), ((uint8_t[]){ 10, 20, 30 }), 3);
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_present(&s, 2, 0);
    fw_feed(&t->fw, s.data, s.len);
    cmdstream_free(&s);
    assert_false(t->fw.notice);
    assert_false(t->fw.silent);
    assert_true(front_is(t, 10, 20, 30));
    fwtest_free(t);
}

static void test_no_host_ever_still_shows_the_notice(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("p10-128x16", NULL, START_MS);
    assert_true(front_is(t, 0, 0, 0));          /* power-up: black, never garbage */
    fwtest_advance(t, LEDPROTO_NOTICE_MS_DEFAULT);
    assert_true(t->fw.notice);
    assert_false(output_all(t->last_out, 0xFF)); /* some P10 LEDs lit */
    fwtest_free(t);
}

static void test_clock_wrap_does_not_confuse_the_silence_watch(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0xFFFFF000u);
    send_frame(t, 1, 1, 1, 1);
    fwtest_advance(t, 8000);                    /* the ms counter wraps meanwhile */
    assert_false(t->fw.silent);
    fwtest_advance(t, 2000);
    assert_true(t->fw.silent);
    fwtest_free(t);
}

static void test_timeouts_command(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, START_MS);
    struct cmdstream s;
    uint8_t p[LEDPROTO_TIMEOUTS_SIZE];
    cmdstream_init(&s);
    ledproto_timeouts_pack(p, 999, 5000);       /* too short */
    cmdstream_frame(&s, LEDPROTO_OP_TIMEOUTS, p, sizeof p);
    ledproto_timeouts_pack(p, 5000, 4000);      /* notice before silence */
    cmdstream_frame(&s, LEDPROTO_OP_TIMEOUTS, p, sizeof p);
    ledproto_timeouts_pack(p, 2000, 3000);
    cmdstream_frame(&s, LEDPROTO_OP_TIMEOUTS, p, sizeof p);
    cmdstream_present(&s, 1, 0);
    fw_feed(&t->fw, s.data, s.len);
    cmdstream_free(&s);
    assert_int_equal(t->fw.dec.count.bad_field, 2);
    fwtest_advance(t, 2000);
    assert_true(t->fw.silent);
    assert_false(t->fw.notice);
    fwtest_advance(t, 1000);
    assert_true(t->fw.notice);
    fwtest_free(t);
}

static void test_standby_stays_dark(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, START_MS);
    send_frame(t, 200, 200, 200, 1);
    assert_false(output_all(t->last_out, 0));
    send_u8(t, LEDPROTO_OP_STANDBY, 1);
    assert_true(t->last_out->dark);
    assert_true(output_all(t->last_out, 0));
    /* Frames still land (invisibly); silence and the notice stay dark. */
    send_frame(t, 50, 60, 70, 2);
    assert_true(output_all(t->last_out, 0));
    fwtest_advance(t, LEDPROTO_NOTICE_MS_DEFAULT + 1);
    assert_true(t->fw.notice);
    assert_true(t->last_out->dark);
    assert_true(output_all(t->last_out, 0));
    uint8_t seen[3];
    fw_visible_rgb(&t->fw, 32, 15, seen);
    assert_memory_equal(seen, ((uint8_t[]){ 0, 0, 0 }), 3);
    send_empty(t, LEDPROTO_OP_GET_STATUS);
    assert_true(t->last_status.state & LEDPROTO_STATE_STANDBY);
    /* Waking up shows what is current: here the notice. A bad value is refused. */
    send_u8(t, LEDPROTO_OP_STANDBY, 2);
    assert_int_equal(t->fw.dec.count.bad_field, 1);
    assert_true(t->fw.standby);
    send_u8(t, LEDPROTO_OP_STANDBY, 0);
    assert_false(t->last_out->dark);
    assert_false(output_all(t->last_out, 0));
    fwtest_free(t);
}

static void test_reset_clears_and_answers(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, START_MS);
    send_frame(t, 9, 9, 9, 7);
    send_u8(t, LEDPROTO_OP_STANDBY, 1);
    send_u8(t, LEDPROTO_OP_BRIGHTNESS, 10);
    send_u8(t, LEDPROTO_OP_BRIGHTNESS, 10);
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_frame(&s, 0x55, NULL, 0);         /* an error to keep */
    fw_feed(&t->fw, s.data, s.len);
    cmdstream_free(&s);
    unsigned before = t->n_status;
    send_empty(t, LEDPROTO_OP_RESET);
    assert_int_equal(t->n_status, before + 1);
    assert_int_equal(t->last_status.state, 0);  /* not standby, nothing presented */
    assert_int_equal(t->last_status.presented_seq, 0);
    assert_int_equal(t->last_status.bad_opcode, 1);   /* counters survive RESET */
    assert_true(front_is(t, 0, 0, 0));
    assert_int_equal(t->fw.panel.brightness, t->fw.board->brightness);
    fwtest_free(t);
}

static void test_status_after_present_and_on_request(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-128x32", NULL, START_MS);
    assert_int_equal(t->n_status, 0);           /* nothing unasked */
    send_frame(t, 1, 2, 3, 77);
    assert_int_equal(t->n_status, 1);
    assert_int_equal(t->last_status.presented_seq, 77);
    assert_int_equal(t->last_status.presented_host_ms, 77 * 40);
    assert_int_equal(t->last_status.state, LEDPROTO_STATE_PRESENTED);
    assert_int_equal(t->last_status.credits, FW_RX_BYTES);
    assert_int_equal(t->last_status.last_cmd_seq, 1);
    /* A busy IN endpoint: the STATUS goes out on a later fw_task. */
    t->usb_busy = true;
    send_empty(t, LEDPROTO_OP_GET_STATUS);
    assert_int_equal(t->n_status, 1);
    t->usb_busy = false;
    fwtest_advance(t, 1);
    assert_int_equal(t->n_status, 2);
    assert_int_equal(t->last_status.uptime_ms, 1);
    fwtest_free(t);
}

static void test_credits_overflow_and_hand_back(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-256x32", NULL, START_MS);
    struct cmdstream s;
    cmdstream_init(&s);
    while (s.len < FW_RX_BYTES + 100)
        cmdstream_fill(&s, 0, 0, 8, 8, 4, 5, 6);
    /* Without fw_task in between, only the window fits. */
    size_t took = fw_usb_rx(&t->fw, s.data, s.len);
    assert_int_equal(took, FW_RX_BYTES);
    uint8_t st[LEDPROTO_STATUS_SIZE];
    struct ledproto_status now;
    fw_get_status(&t->fw, st);
    ledproto_status_unpack(st, &now);
    assert_int_equal(now.credits, 0);
    assert_int_equal(now.overflows, s.len - FW_RX_BYTES);
    fw_task(&t->fw);
    /* Consuming more than half the window answers by itself. */
    assert_int_equal(t->n_status, 1);
    assert_int_equal(t->last_status.consumed, FW_RX_BYTES);
    assert_int_equal(t->last_status.credits, FW_RX_BYTES);
    /* The cut command was dropped and counted; the rest applied. */
    assert_int_equal(t->fw.dec.count.frames_ok, FW_RX_BYTES / (LEDPROTO_HEADER_SIZE + 11));
    cmdstream_free(&s);
    fwtest_free(t);
}

/* A host that stopped to wait for credits with less than half a window
 * unreported must still hear back, or it would wait forever; a host that
 * keeps streaming gets no extra STATUS traffic. */
static void test_quiet_link_hands_back_credits(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-256x32", NULL, START_MS);
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_fill(&s, 0, 0, 8, 8, 4, 5, 6);
    for (int i = 0; i < 20; i++) {          /* streaming: 1 command per ms */
        fw_feed(&t->fw, s.data, s.len);
        fwtest_advance(t, 1);
    }
    assert_int_equal(t->n_status, 0);
    fwtest_advance(t, LEDPROTO_STATUS_IDLE_MS);   /* the host went quiet */
    assert_int_equal(t->n_status, 1);
    assert_int_equal(t->last_status.consumed, 20 * s.len);
    assert_int_equal(t->last_status.credits, FW_RX_BYTES);
    fwtest_advance(t, 100);                 /* nothing new: nothing more */
    assert_int_equal(t->n_status, 1);
    cmdstream_free(&s);
    fwtest_free(t);
}

static void test_get_info(void **state)
{
    (void)state;
    const char *names[] = { "hub75-64x32", "hub75-128x32", "hub75-256x32", "p10-128x16" };
    const unsigned w[] = { 64, 128, 256, 128 }, h[] = { 32, 32, 32, 16 };
    for (unsigned i = 0; i < 4; i++) {
        struct fwtest *t = fwtest_new(names[i], NULL, START_MS);
        uint8_t raw[LEDPROTO_INFO_SIZE];
        struct ledproto_info in;
        assert_int_equal(fw_get_info(&t->fw, raw), LEDPROTO_INFO_SIZE);
        ledproto_info_unpack(raw, &in);
        assert_int_equal(in.proto_version, LEDPROTO_VERSION);
        assert_int_equal(in.width, w[i]);
        assert_int_equal(in.height, h[i]);
        assert_string_equal(in.board, names[i]);
        assert_string_equal(in.firmware, FW_VERSION);
        assert_true(in.flags & LEDPROTO_INFO_APPLIES_GAMMA);
        assert_int_equal(!!(in.flags & LEDPROTO_INFO_MONO_PANEL), i == 3);
        assert_int_equal(in.pixel_formats, LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB565 |
                                               LEDPROTO_FMT_RGB888 | LEDPROTO_FMT_RLE);
        assert_int_equal(in.bit_depth, i == 3 ? 1 : 8);
        assert_true(in.max_in_flight >= LEDPROTO_FRAME_MAX);
        assert_int_equal(in.max_payload, LEDPROTO_MAX_PAYLOAD);
        fwtest_free(t);
    }
}

/* Counts lines and cells: spaces and U+2580..U+259F (block elements). */
static void count_cells(const char *buf, size_t n, unsigned *lines, unsigned *cells)
{
    *lines = *cells = 0;
    for (size_t i = 0; i < n; i++) {
        *lines += buf[i] == '\n';
        *cells += buf[i] == ' ' || (i + 2 < n && (uint8_t)buf[i] == 0xE2 &&
                                    (uint8_t)buf[i + 1] == 0x96 && (uint8_t)buf[i + 2] >= 0x80 &&
                                    (uint8_t)buf[i + 2] <= 0x9F);
    }
}

/* The terminal view: the finest cells that fit the terminal, colours as
 * the panel shows them, and a short buffer is filled, never overrun. */
static void test_termdraw_fits_the_terminal(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("p10-128x16", NULL, START_MS);
    send_frame(t, 0, 200, 0, 1);                /* lit on a P10: shown as its LED colour */
    size_t cap = termdraw_max_bytes(128, 16);
    char *buf = malloc(cap + 1);
    struct termdraw_fit fit;
    unsigned lines, blocks;
    /* Room for every pixel: half blocks, 8 lines of 128 cells. */
    termdraw_fit(128, 16, 0, 0, &fit);
    assert_int_equal(fit.cell, TERMDRAW_HALF);
    size_t n = termdraw_fw(&t->fw, &fit, buf, cap);
    assert_true(n > 0 && n < cap);
    buf[n] = '\0';
    count_cells(buf, n, &lines, &blocks);
    assert_int_equal(lines, 8);
    assert_int_equal(blocks, 128 * 8);
    assert_non_null(strstr(buf, "38;2;255;40;0m"));   /* the P10's red, not the host's green */
    /* 80 columns: 2x2 pixels a cell, 64 cells a line, all shown. */
    termdraw_fit(128, 16, 80, 24, &fit);
    assert_int_equal(fit.cell, TERMDRAW_QUADRANT);
    assert_int_equal(fit.cols, 64);
    assert_int_equal(fit.cols_needed, 0);
    n = termdraw_fw(&t->fw, &fit, buf, cap);
    count_cells(buf, n, &lines, &blocks);
    assert_int_equal(lines, 8);
    assert_int_equal(blocks, 64 * 8);
    /* Too few rows for 2-pixel cells: braille, 4 pixels a line. */
    termdraw_fit(128, 16, 80, 6, &fit);
    assert_int_equal(fit.cell, TERMDRAW_BRAILLE);
    assert_int_equal(fit.lines, 4);
    /* Too narrow for all: the left part, and how many columns it would take. */
    termdraw_fit(128, 16, 40, 24, &fit);
    assert_int_equal(fit.px_w, 80);
    assert_int_equal(fit.cols, 40);
    assert_int_equal(fit.cols_needed, 64);
    n = termdraw_fw(&t->fw, &fit, buf, cap);
    count_cells(buf, n, &lines, &blocks);
    assert_int_equal(blocks, 40 * 8);
    char small[100];
    memset(small, 'x', sizeof small);
    termdraw_fit(128, 16, 0, 0, &fit);
    assert_int_equal(termdraw_fw(&t->fw, &fit, small, 50), 50);
    assert_int_equal(small[50], 'x');
    free(buf);
    fwtest_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silence_keeps_the_frame_then_shows_the_notice),
        cmocka_unit_test(test_no_host_ever_still_shows_the_notice),
        cmocka_unit_test(test_clock_wrap_does_not_confuse_the_silence_watch),
        cmocka_unit_test(test_timeouts_command),
        cmocka_unit_test(test_standby_stays_dark),
        cmocka_unit_test(test_reset_clears_and_answers),
        cmocka_unit_test(test_status_after_present_and_on_request),
        cmocka_unit_test(test_credits_overflow_and_hand_back),
        cmocka_unit_test(test_quiet_link_hands_back_credits),
        cmocka_unit_test(test_get_info),
        cmocka_unit_test(test_termdraw_fits_the_terminal),
    };
    return cmocka_run_group_tests_name("fw", tests, NULL, NULL);
}
