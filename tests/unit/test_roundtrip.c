/* Round trip: random frame sequences through the encoder, the wire and the
 * real firmware decoder (libfwcore) in random chunkings. After every
 * PRESENT the controller's front buffer must hold exactly the intended
 * frame, byte for byte; for lossy device formats, what docs/protocol.md
 * says such a device shows for it (tests/support/shown.h: RGB565 as 5/6/5
 * bits, a single-colour panel lit where max(R, G, B) >= 128). The decoder
 * must count no error.
 *
 * The scenes are a panel with a static label zone, a ticker row scrolling
 * a strip of random glyph-like blobs (1-bit and anti-aliased) by 0..5 px a
 * frame, a clock zone that changes now and then, colour and scene changes
 * and noise. The strips are random glyph-like blobs, or real text: lines
 * of the seed page rendered by the strip renderer (src/text/strip.h),
 * 16 px mono or gray. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/frame.h"
#include "devsim.h"
#include "shown.h"
#include "ledproto.h"
#include "protocol/encoder.h"
#include "text/strip.h"

#define ALL_FORMATS (LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_RGB888 | LEDPROTO_FMT_RLE)

#define SEED_TEXT "tests/data/000_158b273b953cb734.txt"

struct scene {
    unsigned seed;
    struct strip_renderer *text;    /* real strips when set */
    char lines[64][512];
    int nlines;
    int w, h;
    uint8_t *strip;         /* coverage 0..255, strip_w x th */
    int strip_w, th, ty, label_w;
    int pos;
    uint8_t bg[3], fg[3], label[3];
};

static uint8_t rnd8(unsigned *s)
{
    return (uint8_t)rand_r(s);
}

static void random_colour(unsigned *s, uint8_t c[3])
{
    for (int i = 0; i < 3; i++)
        c[i] = rnd8(s);
}

/* Blobs like glyphs: strokes and boxes of ink with gaps between "glyphs";
 * anti-aliased edges half the time. */
/* A random run of the seed page's lines, rendered for real. */
static void text_strip(struct scene *sc)
{
    char text[2048] = "";
    int first = rand_r(&sc->seed) % sc->nlines, n = 1 + rand_r(&sc->seed) % 3;
    for (int i = 0; i < n && first + i < sc->nlines; i++)
        strncat(text, sc->lines[first + i], sizeof text - strlen(text) - 1);
    struct bitmap b;
    assert_int_equal(strip_render_text(sc->text, text, strlen(text), 8, &b), 0);
    struct strip_metrics m;
    strip_get_metrics(sc->text, &m);
    sc->th = m.height;
    sc->ty = rand_r(&sc->seed) % (sc->h - sc->th + 1);
    sc->strip_w = b.width > 0 ? b.width : 1;
    free(sc->strip);
    sc->strip = calloc((size_t)sc->strip_w * sc->th, 1);
    assert_non_null(sc->strip);
    for (int y = 0; y < b.height && y < sc->th; y++)
        memcpy(sc->strip + (size_t)y * sc->strip_w, b.data + (size_t)y * b.stride, (size_t)b.width);
    free(b.data);
    sc->pos = -(rand_r(&sc->seed) % sc->w);
}

static void new_strip(struct scene *sc)
{
    unsigned *s = &sc->seed;
    if (sc->text) {
        text_strip(sc);
        return;
    }
    sc->th = 4 + rand_r(s) % (sc->h - 3);
    sc->ty = rand_r(s) % (sc->h - sc->th + 1);
    sc->strip_w = sc->w * 3 + rand_r(s) % 200;
    free(sc->strip);
    sc->strip = calloc((size_t)sc->strip_w * sc->th, 1);
    assert_non_null(sc->strip);
    bool gray = rand_r(s) % 2;
    for (int x = rand_r(s) % 8; x < sc->strip_w - 12; x += 6 + rand_r(s) % 10) {
        int strokes = 1 + rand_r(s) % 4;
        for (int k = 0; k < strokes; k++) {
            int x0 = x + rand_r(s) % 8, y0 = rand_r(s) % sc->th;
            int bw = 1 + rand_r(s) % 6, bh = 1 + rand_r(s) % sc->th;
            for (int y = y0; y < y0 + bh && y < sc->th; y++)
                for (int c = x0; c < x0 + bw && c < sc->strip_w; c++)
                    sc->strip[(size_t)y * sc->strip_w + c] =
                        gray && (c == x0 || y == y0) ? (uint8_t)(64 + rnd8(s) % 192) : 255;
        }
    }
    sc->pos = -(rand_r(s) % sc->w);
}

static void blend(uint8_t *p, const uint8_t fg[3], const uint8_t bg[3], unsigned cov)
{
    for (int i = 0; i < 3; i++)
        p[i] = (uint8_t)((fg[i] * cov + bg[i] * (255 - cov) + 127) / 255);
}

/* Redraws the label and ticker zones (the rest of the frame is kept). */
static void draw_scene(struct scene *sc, struct frame *f)
{
    for (int y = 0; y < sc->h; y++)
        for (int x = 0; x < sc->label_w; x++)
            memcpy(frame_pixel(f, x, y), (x + y) % 5 ? sc->bg : sc->label, 3);
    for (int y = sc->ty; y < sc->ty + sc->th; y++)
        for (int x = sc->label_w; x < sc->w; x++) {
            int sx = sc->pos + x - sc->label_w;
            unsigned cov = sx >= 0 && sx < sc->strip_w
                               ? sc->strip[(size_t)(y - sc->ty) * sc->strip_w + sx] : 0;
            blend(frame_pixel(f, x, y), sc->fg, sc->bg, cov);
        }
}

static void scene_change(struct scene *sc, struct frame *f)
{
    random_colour(&sc->seed, sc->bg);
    if (rand_r(&sc->seed) % 2)
        memset(sc->bg, 0, 3);
    random_colour(&sc->seed, sc->fg);
    random_colour(&sc->seed, sc->label);
    sc->label_w = rand_r(&sc->seed) % 3 ? 0 : 1 + rand_r(&sc->seed) % (sc->w / 4);
    frame_clear(f, sc->bg[0], sc->bg[1], sc->bg[2]);
    new_strip(sc);
}

static void noise_rect(unsigned *s, struct frame *f, bool two_colours)
{
    int x = rand_r(s) % f->width, y = rand_r(s) % f->height;
    int w = 1 + rand_r(s) % (f->width - x), h = 1 + rand_r(s) % (f->height - y);
    uint8_t a[3], b[3];
    random_colour(s, a);
    random_colour(s, b);
    for (int r = y; r < y + h; r++)
        for (int c = x; c < x + w; c++) {
            uint8_t *p = frame_pixel(f, c, r);
            if (two_colours)
                memcpy(p, rand_r(s) % 3 ? a : b, 3);
            else
                random_colour(s, p);
        }
}

/* The next frame of the sequence, changed from the last one. */
static void next_frame(struct scene *sc, struct frame *f)
{
    unsigned *s = &sc->seed;
    int pick = rand_r(s) % 100;
    if (pick < 60) {
        sc->pos += rand_r(s) % 6 - (pick < 3 ? 5 : 0);
        draw_scene(sc, f);
    } else if (pick < 70) {
        noise_rect(s, f, true);     /* a clock's digits */
    } else if (pick < 76) {
        scene_change(sc, f);
        draw_scene(sc, f);
    } else if (pick < 81) {
        noise_rect(s, f, false);
    } else if (pick < 83) {
        for (int y = 0; y < f->height; y++)
            for (int x = 0; x < f->width; x++)
                random_colour(s, frame_pixel(f, x, y));
    } else if (pick < 88) {
        sc->pos += 1;               /* ticker moves and the clock ticks */
        draw_scene(sc, f);
        noise_rect(s, f, true);
    }
    /* else: the same frame again */
}

static void quiet(void *u, enum diag_level l, const char *f, int line, const char *m)
{
    (void)u, (void)l, (void)f, (void)line, (void)m;
}

static const struct diag quiet_diag = { quiet, NULL };

/* The renderer and the seed's non-empty lines. */
static void open_text(struct scene *sc, enum strip_mode mode)
{
    struct strip_options opt = { .fonts_dir = "fonts", .size = 16, .mode = mode };
    int err;
    sc->text = strip_renderer_new(&opt, &quiet_diag, &err);
    assert_non_null(sc->text);
    FILE *f = fopen(SEED_TEXT, "r");
    assert_non_null(f);
    char line[512];
    while (sc->nlines < 64 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (*line)
            strcpy(sc->lines[sc->nlines++], line);
    }
    fclose(f);
    assert_true(sc->nlines > 10);
}

struct run {
    const char *board;
    uint8_t formats;
    size_t max_chunk;       /* chunks of 1..max_chunk bytes */
    int frames;
    unsigned seed;
    int text;               /* 0 blobs, 1 real mono strips, 2 real gray strips */
};

static void round_trip(const struct run *run)
{
    struct devsim *dev = devsim_new(run->board);
    assert_non_null(dev);
    int w = dev->fw.board->width, h = dev->fw.board->height;
    struct encoder *enc;
    assert_int_equal(encoder_new(&enc, w, h, run->formats), 0);
    static struct scene sc;
    memset(&sc, 0, sizeof sc);
    sc.seed = run->seed;
    sc.w = w;
    sc.h = h;
    if (run->text)
        open_text(&sc, run->text == 1 ? STRIP_MONO : STRIP_GRAY);
    struct frame f, *want = calloc((size_t)run->frames + 1, sizeof *want);
    assert_non_null(want);
    assert_int_equal(frame_init(&f, w, h), 0);
    scene_change(&sc, &f);
    draw_scene(&sc, &f);

    /* The whole stream, as the engine would send it over time. */
    uint8_t *stream = NULL;
    size_t len = 0;
    for (int k = 1; k <= run->frames; k++) {
        if (k > 1)
            next_frame(&sc, &f);
        if (k % 97 == 0)
            encoder_force_full(enc);    /* as after a reconnect */
        assert_int_equal(encoder_frame(enc, &f, (uint32_t)k, (uint32_t)k * 16), 0);
        assert_int_equal(frame_init(&want[k], w, h), 0);
        memcpy(want[k].rgb, f.rgb, (size_t)w * h * 3);
        const uint8_t *p;
        size_t n;
        while (encoder_peek(enc, 65536, &p, &n) == 0) {
            stream = realloc(stream, len + n);
            assert_non_null(stream);
            memcpy(stream + len, p, n);
            len += n;
            encoder_consume(enc, n);
        }
        /* What the encoder believes the panel holds is the intended frame. */
        assert_int_equal(shown_mismatch(run->formats, encoder_shadow(enc), want[k].rgb,
                                        (size_t)w * h), -1);
    }

    /* A scrolling ticker is sent as SCROLLs, not redrawn. */
    int scrolls = 0;
    for (size_t at = 0; at < len; at += LEDPROTO_HEADER_SIZE + ledproto_get_u16(stream + at + 6))
        scrolls += stream[at + 2] == LEDPROTO_OP_SCROLL;
    assert_true(scrolls >= run->frames / 10);

    /* Feed it in random chunks; whenever a PRESENT has gone through, the
     * front buffer must be that frame. */
    unsigned chunk_seed = run->seed * 7919u + 1;
    size_t at = 0;
    int checked = 0;
    uint32_t last = 0;
    while (at < len) {
        size_t n = 1 + (size_t)rand_r(&chunk_seed) % run->max_chunk;
        if (n > len - at)
            n = len - at;
        devsim_feed(dev, stream + at, n, n, NULL);
        at += n;
        uint32_t seq = dev->fw.presented_seq;
        if (seq != last) {
            assert_true(seq > last && seq <= (uint32_t)run->frames);
            assert_int_equal(shown_mismatch(run->formats, fw_front(&dev->fw), want[seq].rgb,
                                            (size_t)w * h), -1);
            checked++;
            last = seq;
        }
    }
    assert_int_equal(last, run->frames);
    assert_int_equal(devsim_errors(dev), 0);
    /* With 1-byte chunks every PRESENT is seen on its own. */
    if (run->max_chunk == 1)
        assert_int_equal(checked, run->frames);
    else
        assert_true(checked >= run->frames / 4);

    for (int k = 1; k <= run->frames; k++)
        frame_release(&want[k]);
    free(want);
    free(stream);
    free(sc.strip);
    strip_free(sc.text);
    frame_release(&f);
    encoder_free(enc);
    devsim_free(dev);
}

static void test_rgb888_boards_usb_packets(void **state)
{
    (void)state;
    const char *boards[] = { "hub75-64x32", "hub75-128x32", "hub75-256x32" };
    for (unsigned seed = 1; seed <= 6; seed++) {
        struct run r = { boards[seed % 3], ALL_FORMATS, LEDPROTO_USB_PACKET, 300, seed };
        round_trip(&r);
    }
}

/* Real text: seed lines from the strip renderer, scrolled, clocks ticking. */
static void test_real_text_strips(void **state)
{
    (void)state;
    struct run mono = { "hub75-256x32", ALL_FORMATS, LEDPROTO_USB_PACKET, 300, 31, 1 };
    round_trip(&mono);
    struct run gray = { "hub75-128x32", ALL_FORMATS, 200, 300, 32, 2 };
    round_trip(&gray);
    struct run lossy = { "hub75-64x32", LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_RLE, 64, 200, 33, 2 };
    round_trip(&lossy);
    struct run p10 = { "p10-128x16", LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RLE, 64, 200, 34, 1 };
    round_trip(&p10);
}

static void test_single_bytes_and_odd_chunks(void **state)
{
    (void)state;
    struct run one = { "hub75-64x32", ALL_FORMATS, 1, 120, 42 };
    round_trip(&one);
    struct run odd = { "hub75-128x32", ALL_FORMATS, 1000, 200, 43 };
    round_trip(&odd);
}

static void test_without_rle_or_mono(void **state)
{
    (void)state;
    struct run a = { "hub75-64x32", LEDPROTO_FMT_RGB888, 64, 200, 7 };
    round_trip(&a);
    struct run b = { "hub75-64x32", LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB888, 64, 200, 8 };
    round_trip(&b);
}

/* A device that takes only RGB565 (lossy): the panel must show exactly the
 * quantized frame, and the encoder must never drift from it. */
static void test_rgb565_only_device(void **state)
{
    (void)state;
    for (unsigned seed = 11; seed <= 13; seed++) {
        struct run r = { "hub75-128x32", LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_RLE, 64, 250, seed };
        round_trip(&r);
    }
    struct run plain = { "hub75-64x32", LEDPROTO_FMT_RGB565, 64, 150, 14 };
    round_trip(&plain);
}

static void test_mono_only_p10(void **state)
{
    (void)state;
    struct run r = { "p10-128x16", LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RLE, 64, 250, 21 };
    round_trip(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rgb888_boards_usb_packets),
        cmocka_unit_test(test_real_text_strips),
        cmocka_unit_test(test_single_bytes_and_odd_chunks),
        cmocka_unit_test(test_without_rle_or_mono),
        cmocka_unit_test(test_rgb565_only_device),
        cmocka_unit_test(test_mono_only_p10),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
