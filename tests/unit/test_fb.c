/* Drawing commands as the controller applies them: what each one paints,
 * and that every malformed one is refused whole, counted, and leaves the
 * framebuffer exactly as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmdstream.h"
#include "fwtest.h"

#define W 64
#define H 32
#define FB_BYTES ((size_t)W * H * 3)

struct ctx {
    struct fwtest *t;
    struct cmdstream s;
    uint8_t before[FB_BYTES];
};

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    c->t = fwtest_new("hub75-64x32", NULL, 0);
    cmdstream_init(&c->s);
    /* A non-uniform background, so a stray write would show. */
    for (unsigned y = 0; y < H; y++)
        for (unsigned x = 0; x < W; x++) {
            uint8_t *p = c->t->fw.fb.back + ((size_t)y * W + x) * 3;
            p[0] = (uint8_t)x, p[1] = (uint8_t)y, p[2] = 0x5A;
        }
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    cmdstream_free(&c->s);
    fwtest_free(c->t);
    free(c);
    return 0;
}

/* Sends what is in the stream, then empties it. */
static void send(struct ctx *c)
{
    memcpy(c->before, c->t->fw.fb.back, FB_BYTES);
    fw_feed(&c->t->fw, c->s.data, c->s.len);
    c->s.len = 0;
}

static const uint8_t *px(struct ctx *c, unsigned x, unsigned y)
{
    return fwtest_back(c->t, x, y);
}

static const uint8_t *old_px(struct ctx *c, unsigned x, unsigned y)
{
    return c->before + ((size_t)y * W + x) * 3;
}

/* Everything outside the rect is as before. */
static void assert_outside_unchanged(struct ctx *c, unsigned x0, unsigned y0, unsigned w,
                                     unsigned h)
{
    for (unsigned y = 0; y < H; y++)
        for (unsigned x = 0; x < W; x++)
            if (x < x0 || x >= x0 + w || y < y0 || y >= y0 + h)
                assert_memory_equal(px(c, x, y), old_px(c, x, y), 3);
}

static void assert_refused(struct ctx *c, uint32_t bad_length, uint32_t bad_field)
{
    const struct proto_counters *k = &c->t->fw.dec.count;
    assert_int_equal(k->bad_length, bad_length);
    assert_int_equal(k->bad_field, bad_field);
    assert_memory_equal(c->t->fw.fb.back, c->before, FB_BYTES);
}

static void test_fill_paints_exactly_its_rect(void **state)
{
    struct ctx *c = *state;
    cmdstream_fill(&c->s, 62, 30, 2, 2, 1, 2, 3);      /* the bottom-right corner */
    cmdstream_fill(&c->s, 5, 7, 3, 4, 200, 100, 0);
    send(c);
    for (unsigned y = 7; y < 11; y++)
        for (unsigned x = 5; x < 8; x++)
            assert_memory_equal(px(c, x, y), ((uint8_t[]){ 200, 100, 0 }), 3);
    assert_memory_equal(px(c, 63, 31), ((uint8_t[]){ 1, 2, 3 }), 3);
    assert_memory_equal(px(c, 8, 7), old_px(c, 8, 7), 3);
    assert_memory_equal(px(c, 5, 11), old_px(c, 5, 11), 3);
    assert_memory_equal(px(c, 4, 7), old_px(c, 4, 7), 3);
    assert_memory_equal(px(c, 5, 6), old_px(c, 5, 6), 3);
    /* The front changes only at PRESENT. */
    assert_memory_equal(fwtest_front(c->t, 5, 7), ((uint8_t[]){ 0, 0, 0 }), 3);
    cmdstream_present(&c->s, 1, 0);
    send(c);
    assert_memory_equal(c->t->fw.fb.front, c->t->fw.fb.back, FB_BYTES);
}

static void test_rects_outside_the_panel_are_refused(void **state)
{
    struct ctx *c = *state;
    cmdstream_fill(&c->s, 63, 0, 2, 1, 9, 9, 9);       /* one column too wide */
    cmdstream_fill(&c->s, 0, 31, 1, 2, 9, 9, 9);       /* one row too tall */
    cmdstream_fill(&c->s, 64, 0, 1, 1, 9, 9, 9);       /* starts outside */
    cmdstream_fill(&c->s, 0, 0, 0, 5, 9, 9, 9);        /* empty */
    cmdstream_fill(&c->s, 0, 0, 5, 0, 9, 9, 9);
    cmdstream_fill(&c->s, 65535, 0, 2, 1, 9, 9, 9);    /* x + w wraps in 16 bits */
    cmdstream_fill(&c->s, 1, 1, 65535, 65535, 9, 9, 9);
    struct ledproto_blit b = { 60, 0, 8, 1, LEDPROTO_FMT_MONO1, 0, { 1, 1, 1 }, { 2, 2, 2 } };
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0xFF }, 1);
    cmdstream_scroll(&c->s, 0, 16, 64, 17, -1, 0, 0, 0, 0);
    send(c);
    assert_refused(c, 0, 9);
}

static void test_payload_sizes_must_match_the_opcode(void **state)
{
    struct ctx *c = *state;
    uint8_t p[32] = { 0 };
    cmdstream_frame(&c->s, LEDPROTO_OP_FILL, p, LEDPROTO_FILL_SIZE - 1);
    cmdstream_frame(&c->s, LEDPROTO_OP_FILL, p, LEDPROTO_FILL_SIZE + 1);
    cmdstream_frame(&c->s, LEDPROTO_OP_SCROLL, p, LEDPROTO_SCROLL_SIZE + 1);
    cmdstream_frame(&c->s, LEDPROTO_OP_PRESENT, p, 4);
    cmdstream_frame(&c->s, LEDPROTO_OP_BRIGHTNESS, p, 2);
    cmdstream_frame(&c->s, LEDPROTO_OP_STANDBY, p, 0);
    cmdstream_frame(&c->s, LEDPROTO_OP_RESET, p, 1);
    cmdstream_frame(&c->s, LEDPROTO_OP_TIMEOUTS, p, 7);
    cmdstream_frame(&c->s, LEDPROTO_OP_BLIT, p, LEDPROTO_BLIT_HEAD_SIZE - 1);
    send(c);
    assert_refused(c, 9, 0);
    assert_false(c->t->fw.presented);
}

static void test_blit_mono_with_padding_and_keep_bg(void **state)
{
    struct ctx *c = *state;
    /* 10 pixels wide: 2 bytes per row, the low 6 bits of the second
     * ignored even when set. */
    struct ledproto_blit b = { 1, 2, 10, 2, LEDPROTO_FMT_MONO1, 0, { 255, 0, 0 }, { 0, 0, 255 } };
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x81, 0x7F, 0x00, 0x40 }, 4);
    send(c);
    const uint8_t fg[3] = { 255, 0, 0 }, bg[3] = { 0, 0, 255 };
    assert_memory_equal(px(c, 1, 2), fg, 3);           /* bit 7 of 0x81 */
    for (unsigned x = 2; x <= 7; x++)
        assert_memory_equal(px(c, x, 2), bg, 3);
    assert_memory_equal(px(c, 8, 2), fg, 3);           /* bit 0 of 0x81 */
    assert_memory_equal(px(c, 9, 2), bg, 3);           /* bit 7 of 0x7F */
    assert_memory_equal(px(c, 10, 2), fg, 3);          /* bit 6 of 0x7F */
    for (unsigned x = 1; x <= 10; x++)
        assert_memory_equal(px(c, x, 3), x == 10 ? fg : bg, 3);
    assert_outside_unchanged(c, 1, 2, 10, 2);

    /* KEEP_BG: 0 bits leave what was there. */
    b.flags = LEDPROTO_BLIT_KEEP_BG;
    b.x = 20, b.y = 20, b.w = 8, b.h = 1;
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x0F }, 1);
    send(c);
    for (unsigned x = 20; x < 24; x++)
        assert_memory_equal(px(c, x, 20), old_px(c, x, 20), 3);
    for (unsigned x = 24; x < 28; x++)
        assert_memory_equal(px(c, x, 20), fg, 3);
}

static void test_blit_rgb565_and_rgb888(void **state)
{
    struct ctx *c = *state;
    struct ledproto_blit b = { 0, 0, 4, 1, LEDPROTO_FMT_RGB565, 0, { 0 }, { 0 } };
    /* red, green, blue, and 5/6-bit mid values 0x10/0x20/0x10 */
    const uint8_t d565[] = { 0x00, 0xF8, 0xE0, 0x07, 0x1F, 0x00, 0x10, 0x84 };
    cmdstream_blit(&c->s, &b, d565, sizeof d565);
    struct ledproto_blit b8 = { 62, 31, 2, 1, LEDPROTO_FMT_RGB888, 0, { 0 }, { 0 } };
    cmdstream_blit(&c->s, &b8, (const uint8_t[]){ 1, 2, 3, 4, 5, 6 }, 6);
    send(c);
    assert_memory_equal(px(c, 0, 0), ((uint8_t[]){ 255, 0, 0 }), 3);
    assert_memory_equal(px(c, 1, 0), ((uint8_t[]){ 0, 255, 0 }), 3);
    assert_memory_equal(px(c, 2, 0), ((uint8_t[]){ 0, 0, 255 }), 3);
    /* 0x8410: r 16 -> 132, g 32 -> 130, b 16 -> 132 (high bits replicated) */
    assert_memory_equal(px(c, 3, 0), ((uint8_t[]){ 132, 130, 132 }), 3);
    assert_memory_equal(px(c, 62, 31), ((uint8_t[]){ 1, 2, 3 }), 3);
    assert_memory_equal(px(c, 63, 31), ((uint8_t[]){ 4, 5, 6 }), 3);
}

static void test_blit_bad_data_sizes_formats_and_flags(void **state)
{
    struct ctx *c = *state;
    uint8_t d[64] = { 0 };
    struct ledproto_blit b = { 0, 0, 4, 2, LEDPROTO_FMT_RGB888, 0, { 0 }, { 0 } };
    cmdstream_blit(&c->s, &b, d, 23);                  /* one byte short */
    cmdstream_blit(&c->s, &b, d, 25);                  /* one byte over */
    b.format = LEDPROTO_FMT_MONO1;
    cmdstream_blit(&c->s, &b, d, 1);                   /* MONO1 needs 2 */
    send(c);
    assert_refused(c, 3, 0);
    b.format = 0x03;                                   /* two formats at once */
    cmdstream_blit(&c->s, &b, d, 2);
    b.format = 0x00;
    cmdstream_blit(&c->s, &b, d, 2);
    b.format = LEDPROTO_FMT_RLE;                       /* not a pixel format */
    cmdstream_blit(&c->s, &b, d, 2);
    b.format = LEDPROTO_FMT_MONO1;
    b.flags = 0x04;                                    /* unknown flag */
    cmdstream_blit(&c->s, &b, d, 2);
    b.format = LEDPROTO_FMT_RGB565;
    b.flags = LEDPROTO_BLIT_KEEP_BG;                   /* MONO1 only */
    cmdstream_blit(&c->s, &b, d, 16);
    send(c);
    assert_refused(c, 3, 5);
}

static void test_blit_rle_matches_raw(void **state)
{
    struct ctx *c = *state;
    /* 5x3 RGB888: a repeat run crossing the row end, then literals. */
    const uint8_t raw[15 * 3] = {
        9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
        9, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    };
    const uint8_t rle[] = {
        0x85, 9, 9, 9,                                  /* 7 times (9,9,9) */
        0x07, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    };
    struct ledproto_blit b = { 30, 10, 5, 3, LEDPROTO_FMT_RGB888, 0, { 0 }, { 0 } };
    cmdstream_blit(&c->s, &b, raw, sizeof raw);
    send(c);
    uint8_t want[FB_BYTES];
    memcpy(want, c->t->fw.fb.back, FB_BYTES);
    memcpy(c->t->fw.fb.back, c->before, FB_BYTES);     /* undo, then draw with RLE */
    b.flags = LEDPROTO_BLIT_RLE;
    cmdstream_blit(&c->s, &b, rle, sizeof rle);
    send(c);
    assert_int_equal(c->t->fw.dec.count.frames_ok, 2);
    assert_memory_equal(c->t->fw.fb.back, want, FB_BYTES);
}

static void test_blit_rle_longest_runs(void **state)
{
    struct ctx *c = *state;
    /* 64x4 MONO1 = 32 elements; 64x4 RGB565 = 256: 129 + 127 by repeats,
     * then the same count with two 128-element literals. */
    struct ledproto_blit b = { 0, 0, 64, 4, LEDPROTO_FMT_RGB565, LEDPROTO_BLIT_RLE, { 0 }, { 0 } };
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0xFF, 0x1F, 0x00, 0xFD, 0x1F, 0x00 }, 6);
    send(c);
    assert_int_equal(c->t->fw.dec.count.frames_ok, 1);
    for (unsigned y = 0; y < 4; y++)
        for (unsigned x = 0; x < 64; x++)
            assert_memory_equal(px(c, x, y), ((uint8_t[]){ 0, 0, 255 }), 3);
    uint8_t lit[2 * (1 + 128 * 2)];
    for (unsigned k = 0; k < 2; k++) {
        lit[k * 257] = 0x7F;
        for (unsigned i = 0; i < 128; i++) {
            lit[k * 257 + 1 + 2 * i] = 0x00;
            lit[k * 257 + 2 + 2 * i] = 0xF8;
        }
    }
    cmdstream_blit(&c->s, &b, lit, sizeof lit);
    send(c);
    assert_int_equal(c->t->fw.dec.count.frames_ok, 2);
    assert_memory_equal(px(c, 63, 3), ((uint8_t[]){ 255, 0, 0 }), 3);
}

static void test_blit_rle_errors(void **state)
{
    struct ctx *c = *state;
    /* 4x1 RGB565 = 4 elements. */
    struct ledproto_blit b = { 0, 0, 4, 1, LEDPROTO_FMT_RGB565, LEDPROTO_BLIT_RLE, { 0 }, { 0 } };
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x83, 0xFF, 0xFF }, 3);     /* 5 > 4: oversized */
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x04, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }, 11); /* literal of 5 */
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x80, 0xFF, 0xFF, 0x81, 1, 1 }, 6);  /* 2 + 3 */
    send(c);
    assert_refused(c, 0, 3);
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x80, 0xFF, 0xFF }, 3);     /* ends at 2 of 4 */
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x03, 1, 1, 2, 2, 3 }, 6);   /* literal cut short */
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x82, 0xFF, 0xFF, 0x00 }, 4); /* a byte left over */
    cmdstream_blit(&c->s, &b, (const uint8_t[]){ 0x82 }, 1);                 /* repeat without element */
    cmdstream_blit(&c->s, &b, NULL, 0);                                      /* nothing at all */
    send(c);
    assert_refused(c, 5, 3);
}

static void test_scroll_moves_and_fills(void **state)
{
    struct ctx *c = *state;
    const uint8_t f[3] = { 7, 7, 7 };
    /* Left by 3 within x 10..29, rows 4..5. */
    cmdstream_scroll(&c->s, 10, 4, 20, 2, -3, 0, 7, 7, 7);
    send(c);
    for (unsigned y = 4; y < 6; y++) {
        for (unsigned x = 10; x < 27; x++)
            assert_memory_equal(px(c, x, y), old_px(c, x + 3, y), 3);
        for (unsigned x = 27; x < 30; x++)
            assert_memory_equal(px(c, x, y), f, 3);
    }
    assert_outside_unchanged(c, 10, 4, 20, 2);
    /* Right 2, down 1, on the whole panel. */
    cmdstream_scroll(&c->s, 0, 0, W, H, 2, 1, 7, 7, 7);
    send(c);
    for (unsigned y = 0; y < H; y++)
        for (unsigned x = 0; x < W; x++)
            assert_memory_equal(px(c, x, y), x < 2 || y < 1 ? f : old_px(c, x - 2, y - 1), 3);
    /* Up 2: each row takes the one two below. */
    cmdstream_scroll(&c->s, 0, 0, W, H, 0, -2, 1, 1, 1);
    send(c);
    const uint8_t one[3] = { 1, 1, 1 };
    for (unsigned y = 0; y < H; y++)
        assert_memory_equal(px(c, 40, y), y >= H - 2 ? one : old_px(c, 40, y + 2), 3);
    /* By the whole width: all fill. More than that: refused. */
    cmdstream_scroll(&c->s, 0, 0, 4, 4, -4, 0, 2, 2, 2);
    cmdstream_scroll(&c->s, 0, 0, 4, 4, 5, 0, 3, 3, 3);
    cmdstream_scroll(&c->s, 0, 0, 4, 4, 0, -5, 3, 3, 3);
    send(c);
    assert_memory_equal(px(c, 3, 3), ((uint8_t[]){ 2, 2, 2 }), 3);
    assert_int_equal(c->t->fw.dec.count.bad_field, 2);
}

static void test_present_keeps_the_back_buffer(void **state)
{
    struct ctx *c = *state;
    cmdstream_fill(&c->s, 0, 0, 1, 1, 50, 60, 70);
    cmdstream_present(&c->s, 41, 12345);
    cmdstream_fill(&c->s, 1, 0, 1, 1, 80, 90, 100);    /* after PRESENT: back only */
    send(c);
    assert_memory_equal(fwtest_front(c->t, 0, 0), ((uint8_t[]){ 50, 60, 70 }), 3);
    assert_memory_equal(fwtest_front(c->t, 1, 0), old_px(c, 1, 0), 3);
    assert_memory_equal(px(c, 0, 0), ((uint8_t[]){ 50, 60, 70 }), 3);   /* deltas keep working */
    assert_memory_equal(px(c, 1, 0), ((uint8_t[]){ 80, 90, 100 }), 3);
    assert_int_equal(c->t->last_status.presented_seq, 41);
    assert_int_equal(c->t->last_status.presented_host_ms, 12345);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fill_paints_exactly_its_rect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rects_outside_the_panel_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payload_sizes_must_match_the_opcode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blit_mono_with_padding_and_keep_bg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blit_rgb565_and_rgb888, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blit_bad_data_sizes_formats_and_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blit_rle_matches_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blit_rle_longest_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blit_rle_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scroll_moves_and_fills, setup, teardown),
        cmocka_unit_test_setup_teardown(test_present_keeps_the_back_buffer, setup, teardown),
    };
    return cmocka_run_group_tests_name("fb", tests, NULL, NULL);
}
