/* The encoder's choices, as bytes on the wire: what a user of a slow USB
 * link relies on (a scrolling ticker costs a SCROLL and a column, a still
 * frame costs a PRESENT), and that every command fits a payload. Each
 * stream is also played into the real firmware core to show it draws the
 * frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/frame.h"
#include "devsim.h"
#include "ledproto.h"
#include "protocol/encoder.h"

#define ALL (LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_RGB888 | LEDPROTO_FMT_RLE)

struct cmd {
    uint8_t op;
    uint16_t len;
    const uint8_t *p;
};

struct wire {
    uint8_t bytes[1 << 17];
    size_t len;
    struct cmd cmds[512];
    int n;
};

/* Takes everything queued and splits it into commands, checking framing. */
static void drain(struct encoder *e, struct wire *w)
{
    const uint8_t *p;
    size_t n;
    w->len = 0;
    w->n = 0;
    while (encoder_peek(e, SIZE_MAX, &p, &n) == 0) {
        assert_true(w->len + n <= sizeof w->bytes);
        memcpy(w->bytes + w->len, p, n);
        w->len += n;
        encoder_consume(e, n);
    }
    for (size_t at = 0; at < w->len;) {
        struct ledproto_header h = { 0 };
        assert_true(ledproto_header_unpack(w->bytes + at, &h));
        assert_true(h.length <= LEDPROTO_MAX_PAYLOAD);
        const uint8_t *pl = w->bytes + at + LEDPROTO_HEADER_SIZE;
        assert_int_equal(h.payload_crc, ledproto_crc16(pl, h.length));
        assert_true(w->n < 512);
        w->cmds[w->n++] = (struct cmd){ h.opcode, h.length, pl };
        at += LEDPROTO_HEADER_SIZE + h.length;
    }
}

static struct wire wire;

/* A ticker scene: a static red label in columns 0..9, a text-like 2-colour
 * pattern in rows 8..23 of columns 10..63 starting at strip offset `pos`. */
static uint8_t ink(int sx, int y)
{
    unsigned v = (unsigned)(sx * 2654435761u) ^ (unsigned)(y * 40503u);
    return (v >> 13) % 3 == 0 || (sx % 7 == 0 && y % 3 != 0);
}

static void draw_ticker(struct frame *f, int pos)
{
    frame_clear(f, 0, 0, 0);
    for (int y = 0; y < 32; y++)
        for (int x = 0; x < 10; x++)
            memcpy(frame_pixel(f, x, y), (uint8_t[3]){ 200, 0, 0 }, 3);
    for (int y = 8; y < 24; y++)
        for (int x = 10; x < 64; x++)
            if (ink(pos + x, y))
                memcpy(frame_pixel(f, x, y), (uint8_t[3]){ 255, 255, 0 }, 3);
}

static void play(struct devsim *dev, const struct frame *f)
{
    devsim_feed(dev, wire.bytes, wire.len, LEDPROTO_USB_PACKET, NULL);
    assert_memory_equal(fw_front(&dev->fw), f->rgb, (size_t)f->width * f->height * 3);
    assert_int_equal(devsim_errors(dev), 0);
}

struct rig {
    struct encoder *e;
    struct devsim *dev;
    struct frame f;
};

static void rig_open(struct rig *r, uint8_t formats)
{
    assert_int_equal(encoder_new(&r->e, 64, 32, formats), 0);
    r->dev = devsim_new("hub75-64x32");
    assert_non_null(r->dev);
    assert_int_equal(frame_init(&r->f, 64, 32), 0);
}

static void rig_close(struct rig *r)
{
    encoder_free(r->e);
    devsim_free(r->dev);
    frame_release(&r->f);
}

static void send(struct rig *r, uint32_t seq)
{
    assert_int_equal(encoder_frame(r->e, &r->f, seq, seq * 10), 0);
    drain(r->e, &wire);
    play(r->dev, &r->f);
}

static void test_unchanged_frame_is_only_present(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    draw_ticker(&r.f, 0);
    send(&r, 1);
    send(&r, 2);
    assert_int_equal(wire.n, 1);
    assert_int_equal(wire.cmds[0].op, LEDPROTO_OP_PRESENT);
    assert_int_equal(ledproto_get_u32(wire.cmds[0].p), 2);
    assert_int_equal(ledproto_get_u32(wire.cmds[0].p + 4), 20);
    assert_int_equal(wire.len, LEDPROTO_HEADER_SIZE + LEDPROTO_PRESENT_SIZE);
    rig_close(&r);
}

/* The ticker moves 1 px left: SCROLL dx -1 of the ticker band, the one new
 * column, PRESENT. The label columns are not touched. */
static void test_one_pixel_scroll_is_scroll_plus_one_column(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    draw_ticker(&r.f, 0);
    send(&r, 1);
    for (int pos = 1; pos <= 20; pos++) {
        draw_ticker(&r.f, pos);
        send(&r, (uint32_t)pos + 1);
        assert_int_equal(wire.cmds[0].op, LEDPROTO_OP_SCROLL);
        const uint8_t *s = wire.cmds[0].p;
        assert_int_equal(ledproto_get_i16(s + 8), -1);
        assert_int_equal(ledproto_get_i16(s + 10), 0);
        assert_true(ledproto_get_u16(s) >= 10);                 /* x: label kept */
        assert_true(ledproto_get_u16(s + 2) >= 8);              /* y */
        assert_true(ledproto_get_u16(s + 2) + ledproto_get_u16(s + 6) <= 24);
        /* Then at most one command, drawing only column 63. */
        assert_true(wire.n == 2 || wire.n == 3);
        if (wire.n == 3) {
            const uint8_t *c = wire.cmds[1].p;
            assert_int_equal(ledproto_get_u16(c), 63);
            assert_int_equal(ledproto_get_u16(c + 4), 1);
        }
        assert_int_equal(wire.cmds[wire.n - 1].op, LEDPROTO_OP_PRESENT);
        /* SCROLL 27 + a 16-row MONO1 column 44 + PRESENT 20 */
        assert_true(wire.len <= 27 + 44 + 20);
    }
    rig_close(&r);
}

static void test_scroll_right_by_three(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    draw_ticker(&r.f, 30);
    send(&r, 1);
    draw_ticker(&r.f, 27);
    send(&r, 2);
    assert_int_equal(wire.cmds[0].op, LEDPROTO_OP_SCROLL);
    assert_int_equal(ledproto_get_i16(wire.cmds[0].p + 8), 3);
    for (int i = 1; i < wire.n - 1; i++) {     /* only the 3 new columns */
        assert_true(ledproto_get_u16(wire.cmds[i].p) >= 10);
        assert_true(ledproto_get_u16(wire.cmds[i].p) + ledproto_get_u16(wire.cmds[i].p + 4) <= 13);
    }
    rig_close(&r);
}

/* Two rows of text moving at different speeds (a two-row layout): one
 * SCROLL each, with its own dx. */
static void draw_two_rows(struct frame *f, int a, int b)
{
    frame_clear(f, 0, 0, 0);
    for (int y = 0; y < 32; y++)
        for (int x = 0; x < 64; x++)
            if (ink((y < 16 ? a : b) + x, y))
                memcpy(frame_pixel(f, x, y), (uint8_t[3]){ 0, 255, (uint8_t)(y < 16 ? 0 : 255) }, 3);
}

static void test_two_rows_scroll_separately(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    draw_two_rows(&r.f, 0, 0);
    send(&r, 1);
    draw_two_rows(&r.f, 1, 2);
    send(&r, 2);
    int found = 0;
    for (int i = 0; i < wire.n; i++) {
        if (wire.cmds[i].op != LEDPROTO_OP_SCROLL)
            continue;
        const uint8_t *s = wire.cmds[i].p;
        int y = ledproto_get_u16(s + 2), h = ledproto_get_u16(s + 6);
        int dx = ledproto_get_i16(s + 8);
        if (y + h <= 16 && dx == -1)
            found |= 1;
        if (y >= 16 && dx == -2)
            found |= 2;
    }
    assert_int_equal(found, 3);
    assert_true(wire.len < 2 * (27 + 28 + 32) + 20);
    rig_close(&r);
}

static void test_first_frame_fills_background_then_draws(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    frame_clear(&r.f, 0, 0, 40);
    memcpy(frame_pixel(&r.f, 5, 5), (uint8_t[3]){ 255, 255, 255 }, 3);
    send(&r, 1);
    assert_int_equal(wire.n, 3);
    assert_int_equal(wire.cmds[0].op, LEDPROTO_OP_FILL);
    uint8_t want[LEDPROTO_FILL_SIZE];
    ledproto_fill_pack(want, 0, 0, 64, 32, 0, 0, 40);
    assert_memory_equal(wire.cmds[0].p, want, sizeof want);
    /* The one white pixel: a 1x1 FILL. */
    ledproto_fill_pack(want, 5, 5, 1, 1, 255, 255, 255);
    assert_int_equal(wire.cmds[1].op, LEDPROTO_OP_FILL);
    assert_memory_equal(wire.cmds[1].p, want, sizeof want);
    rig_close(&r);
}

static void test_two_colour_rect_is_mono1_with_fg_bg(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    send(&r, 1);
    for (int y = 2; y < 10; y++)
        for (int x = 20; x < 40; x++)
            memcpy(frame_pixel(&r.f, x, y),
                   (x * 3 + y * 5) % 7 < 3 ? (uint8_t[3]){ 0, 200, 90 } : (uint8_t[3]){ 9, 9, 9 }, 3);
    send(&r, 2);
    assert_int_equal(wire.n, 2);
    assert_int_equal(wire.cmds[0].op, LEDPROTO_OP_BLIT);
    struct ledproto_blit b;
    ledproto_blit_head_unpack(wire.cmds[0].p, &b);
    assert_int_equal(b.format, LEDPROTO_FMT_MONO1);
    assert_int_equal(b.x, 20);
    assert_int_equal(b.w, 20);
    assert_int_equal(b.h, 8);
    bool fg_green = b.fg[1] == 200, bg_green = b.bg[1] == 200;
    assert_true(fg_green != bg_green);
    /* 20 px rows are 3 bytes: 24 bytes raw at most. */
    assert_true(wire.cmds[0].len <= LEDPROTO_BLIT_HEAD_SIZE + 24);
    rig_close(&r);
}

/* Many colours: RGB565 when every colour survives it exactly (half the
 * bytes), RGB888 when one would not; a 565-only device always gets 565. */
static void paint_colours(struct frame *f, uint8_t odd_one)
{
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 8; x++) {
            uint8_t *p = frame_pixel(f, 30 + x, 10 + y);
            p[0] = (uint8_t)(x * 0x21 & 0xF8 ? 0xFF : 0);
            p[1] = (uint8_t)(y * 0x55);
            p[2] = (uint8_t)(x % 2 ? 0xFF : 0);
        }
    frame_pixel(f, 31, 11)[0] = odd_one;
}

static uint8_t blit_format(void)
{
    for (int i = 0; i < wire.n; i++)
        if (wire.cmds[i].op == LEDPROTO_OP_BLIT)
            return wire.cmds[i].p[8];
    return 0;
}

static void test_pixel_format_choice(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    send(&r, 1);
    paint_colours(&r.f, 0xFF);
    send(&r, 2);
    assert_int_equal(blit_format(), LEDPROTO_FMT_RGB565);
    frame_clear(&r.f, 0, 0, 0);
    send(&r, 3);
    paint_colours(&r.f, 0x81);      /* 0x81 is no 5-bit value expanded */
    send(&r, 4);
    assert_int_equal(blit_format(), LEDPROTO_FMT_RGB888);
    rig_close(&r);

    rig_open(&r, LEDPROTO_FMT_RGB565);
    send(&r, 1);
    paint_colours(&r.f, 0x81);
    assert_int_equal(encoder_frame(r.e, &r.f, 2, 0), 0);
    drain(r.e, &wire);
    assert_int_equal(blit_format(), LEDPROTO_FMT_RGB565);
    /* The panel shows 0x81 as RGB565 brings it back, and the encoder knows:
     * sending the same frame again costs only PRESENT. */
    assert_int_equal(encoder_shadow(r.e)[(11 * 64 + 31) * 3], 0x84);
    assert_int_equal(encoder_frame(r.e, &r.f, 3, 0), 0);
    drain(r.e, &wire);
    assert_int_equal(wire.n, 1);
    rig_close(&r);
}

static void test_long_runs_are_rle_coded(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    send(&r, 1);
    for (int y = 0; y < 32; y++)
        for (int x = 0; x < 64; x++)
            memcpy(frame_pixel(&r.f, x, y), (uint8_t[3]){ (uint8_t)(y * 8), 0, (uint8_t)(x < 32 ? 255 : 0) }, 3);
    send(&r, 2);
    size_t pixels = 0;
    for (int i = 0; i < wire.n; i++)
        if (wire.cmds[i].op == LEDPROTO_OP_BLIT) {
            struct ledproto_blit b;
            ledproto_blit_head_unpack(wire.cmds[i].p, &b);
            assert_true(b.flags & LEDPROTO_BLIT_RLE);
            pixels += (size_t)b.w * b.h;
        }
    assert_true(pixels > 0);
    assert_true(wire.len < 64 * 32 * 2 / 8);     /* far below raw RGB565 */
    rig_close(&r);
}

/* Random pixels everywhere: the whole panel as BLITs split to fit
 * payloads, no bigger than raw RGB888 plus headers; the device draws it. */
static void test_noise_is_split_into_payloads(void **state)
{
    (void)state;
    struct encoder *e;
    assert_int_equal(encoder_new(&e, 256, 32, ALL), 0);
    struct devsim *dev = devsim_new("hub75-256x32");
    struct frame f;
    assert_int_equal(frame_init(&f, 256, 32), 0);
    unsigned seed = 5;
    for (size_t i = 0; i < (size_t)256 * 32 * 3; i++)
        f.rgb[i] = (uint8_t)rand_r(&seed);
    assert_int_equal(encoder_frame(e, &f, 1, 0), 0);
    drain(e, &wire);
    play(dev, &f);
    int blits = 0;
    for (int i = 0; i < wire.n; i++)
        blits += wire.cmds[i].op == LEDPROTO_OP_BLIT;
    assert_true(blits >= 6);        /* 24 KiB of pixels in <= 4 KiB payloads */
    assert_true(wire.len <= 256 * 32 * 3 + (size_t)wire.n * 28 + 23);
    /* peek hands out whole commands within the credit window. */
    assert_int_equal(encoder_frame(e, &f, 2, 0), 0);
    encoder_force_full(e);
    assert_int_equal(encoder_frame(e, &f, 3, 0), 0);
    const uint8_t *p;
    size_t n, total = 0;
    while (encoder_peek(e, 8192, &p, &n) == 0) {
        assert_true(n <= 8192);
        struct ledproto_header h = { 0 };
        assert_true(ledproto_header_unpack(p, &h));
        devsim_feed(dev, p, n, 64, NULL);
        encoder_consume(e, n);
        total += n;
    }
    assert_true(total > 256 * 32 * 3);  /* force_full resent everything */
    assert_memory_equal(fw_front(&dev->fw), f.rgb, (size_t)256 * 32 * 3);
    assert_int_equal(devsim_errors(dev), 0);
    frame_release(&f);
    devsim_free(dev);
    encoder_free(e);
}

static void test_control_commands(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, ALL);
    draw_ticker(&r.f, 0);
    send(&r, 1);
    assert_int_equal(encoder_brightness(r.e, 77), 0);
    assert_int_equal(encoder_standby(r.e, true), 0);
    assert_int_equal(encoder_timeouts(r.e, 2000, 5000), 0);
    assert_int_equal(encoder_timeouts(r.e, 10, 5000), ENCODER_ERR_INVALID);
    drain(r.e, &wire);
    assert_int_equal(wire.n, 3);
    assert_int_equal(wire.cmds[0].op, LEDPROTO_OP_BRIGHTNESS);
    assert_int_equal(wire.cmds[0].p[0], 77);
    assert_int_equal(wire.cmds[1].op, LEDPROTO_OP_STANDBY);
    assert_int_equal(wire.cmds[1].p[0], 1);
    assert_int_equal(wire.cmds[2].op, LEDPROTO_OP_TIMEOUTS);
    devsim_feed(r.dev, wire.bytes, wire.len, 64, NULL);
    assert_true(r.dev->fw.standby);
    assert_int_equal(r.dev->fw.silence_ms, 2000);
    /* RESET blacks the device: the same frame must then be redrawn. */
    assert_int_equal(encoder_reset(r.e), 0);
    assert_int_equal(encoder_frame(r.e, &r.f, 2, 0), 0);
    drain(r.e, &wire);
    assert_int_equal(wire.cmds[0].op, LEDPROTO_OP_RESET);
    assert_true(wire.n > 2);
    play(r.dev, &r.f);
    assert_false(r.dev->fw.standby);
    rig_close(&r);
}

/* A controller that takes only MONO1 drives single-colour LEDs, which
 * light where a colour's strongest channel is at least 128
 * (docs/protocol.md). Red text, the usual P10 colour, must light; a dim
 * blue must not; blue at 128 does, however little luminance it has. */
static void test_mono_only_panel_lights_red_text(void **state)
{
    (void)state;
    static const struct {
        uint8_t rgb[3];
        bool lit;
    } bands[] = {
        { { 255, 0, 0 }, true },    /* pure red: luminance 76, yet lit */
        { { 0, 0, 112 }, false },   /* dim blue #000070 */
        { { 255, 255, 255 }, true },
        { { 127, 127, 127 }, false },
        { { 0, 128, 0 }, true },
        { { 0, 0, 128 }, true },
        { { 200, 0, 0 }, true },    /* the label red of draw_ticker */
        { { 127, 0, 0 }, false },   /* luminance says dark, and so does the rule */
    };
    const int w = 128, h = 16, band = w / 8;
    struct encoder *e;
    assert_int_equal(encoder_new(&e, w, h, LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RLE), 0);
    struct devsim *dev = devsim_new("p10-128x16");
    assert_non_null(dev);
    struct frame f;
    assert_int_equal(frame_init(&f, w, h), 0);
    frame_clear(&f, 0, 0, 0);
    for (int y = 2; y < h - 2; y++)
        for (int x = 0; x < w; x++)
            if (x % band >= 2)
                memcpy(frame_pixel(&f, x, y), bands[x / band].rgb, 3);
    assert_int_equal(encoder_frame(e, &f, 1, 0), 0);
    drain(e, &wire);
    devsim_feed(dev, wire.bytes, wire.len, LEDPROTO_USB_PACKET, NULL);
    assert_int_equal(devsim_errors(dev), 0);
    assert_int_equal(dev->fw.presented_seq, 1);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t seen[3];
            fw_visible_rgb(&dev->fw, (unsigned)x, (unsigned)y, seen);
            bool want = y >= 2 && y < h - 2 && x % band >= 2 && bands[x / band].lit;
            bool lit = (seen[0] | seen[1] | seen[2]) != 0;
            if (lit != want)
                fail_msg("pixel (%d, %d) of colour band %d is %s, should be %s", x, y, x / band,
                         want ? "dark" : "lit", want ? "lit" : "dark");
        }
    frame_release(&f);
    devsim_free(dev);
    encoder_free(e);
}

/* The widest panel the wire format allows (LEDPROTO_DIM_MAX) is cut into
 * tiles that fit a payload, MONO1 rows included; anything wider is refused
 * rather than divided by a tile height of zero. */
static void test_panel_size_limit(void **state)
{
    (void)state;
    struct encoder *e;
    assert_int_equal(encoder_new(&e, LEDPROTO_DIM_MAX + 1, 16, LEDPROTO_FMT_MONO1),
                     ENCODER_ERR_INVALID);
    assert_int_equal(encoder_new(&e, 32641, 16, LEDPROTO_FMT_MONO1), ENCODER_ERR_INVALID);
    assert_int_equal(encoder_new(&e, 64, LEDPROTO_DIM_MAX + 1, ALL), ENCODER_ERR_INVALID);
    const int w = LEDPROTO_DIM_MAX, h = 3;
    assert_int_equal(encoder_new(&e, w, h, LEDPROTO_FMT_MONO1), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, w, h), 0);
    frame_clear(&f, 0, 0, 0);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if ((x * 7 + y) % 5 == 0)
                memcpy(frame_pixel(&f, x, y), (uint8_t[3]){ 255, 0, 0 }, 3);
    assert_int_equal(encoder_frame(e, &f, 1, 0), 0);
    drain(e, &wire);
    size_t bits = 0;
    for (int i = 0; i < wire.n; i++) {
        if (wire.cmds[i].op != LEDPROTO_OP_BLIT)
            continue;
        struct ledproto_blit b;
        ledproto_blit_head_unpack(wire.cmds[i].p, &b);
        assert_true(b.w >= 1 && b.h >= 1 && b.x + b.w <= w && b.y + b.h <= h);
        bits += (size_t)b.w * b.h;
    }
    assert_true(bits >= (size_t)w * h / 2);     /* the pattern went out as BLITs */
    frame_release(&f);
    encoder_free(e);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct encoder *e;
    assert_int_equal(encoder_new(&e, 0, 32, ALL), ENCODER_ERR_INVALID);
    assert_int_equal(encoder_new(&e, 64, 32, LEDPROTO_FMT_RLE), ENCODER_ERR_INVALID);
    assert_int_equal(encoder_new(&e, 64, 32, ALL), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 32, 32), 0);
    assert_int_equal(encoder_frame(e, &f, 1, 0), ENCODER_ERR_INVALID);
    const uint8_t *p;
    size_t n;
    assert_int_equal(encoder_peek(e, 100, &p, &n), ENCODER_ERR_EMPTY);
    assert_string_equal(encoder_strerror(ENCODER_ERR_INVALID), "invalid argument");
    frame_release(&f);
    encoder_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged_frame_is_only_present),
        cmocka_unit_test(test_one_pixel_scroll_is_scroll_plus_one_column),
        cmocka_unit_test(test_scroll_right_by_three),
        cmocka_unit_test(test_two_rows_scroll_separately),
        cmocka_unit_test(test_first_frame_fills_background_then_draws),
        cmocka_unit_test(test_two_colour_rect_is_mono1_with_fg_bg),
        cmocka_unit_test(test_pixel_format_choice),
        cmocka_unit_test(test_long_runs_are_rle_coded),
        cmocka_unit_test(test_noise_is_split_into_payloads),
        cmocka_unit_test(test_control_commands),
        cmocka_unit_test(test_mono_only_panel_lights_red_text),
        cmocka_unit_test(test_panel_size_limit),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
