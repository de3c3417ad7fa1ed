/* The preview GIF: every delay at least 20 ms, the timeline kept, dots
 * drawn where the LEDs are, identical frames merged, many colours. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gif_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose/preview.h"

#define NS_PER_FRAME(fps) ((int64_t)(1e9 / (fps)))

static char path[64];

static int setup(void **state)
{
    (void)state;
    strcpy(path, "/tmp/preview-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static GifFileType *load(void)
{
    int err;
    GifFileType *g = DGifOpenFileName(path, &err);
    assert_non_null(g);
    assert_int_equal(DGifSlurp(g), GIF_OK);
    return g;
}

static int delay_of(GifFileType *g, int i)
{
    GraphicsControlBlock gcb;
    assert_int_equal(DGifSavedExtensionToGCB(g, i, &gcb), GIF_OK);
    return gcb.DelayTime;
}

static void rgb_at(GifFileType *g, int i, int x, int y, uint8_t out[3])
{
    const SavedImage *im = &g->SavedImages[i];
    const ColorMapObject *map = im->ImageDesc.ColorMap ? im->ImageDesc.ColorMap : g->SColorMap;
    GifColorType c = map->Colors[im->RasterBits[y * im->ImageDesc.Width + x]];
    out[0] = c.Red;
    out[1] = c.Green;
    out[2] = c.Blue;
}

/* One lit LED moving left one column per frame at 60 fps for 1 s. */
static void scroll_at_60fps(void **state)
{
    (void)state;
    struct preview *p;
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 8), 0);
    assert_int_equal(preview_open(&p, path, 64, 8, 5, NULL), 0);
    for (int i = 0; i < 60; i++) {
        frame_clear(&f, 0, 0, 0);
        uint8_t *px = frame_pixel(&f, 63 - i, 3);
        px[0] = 255, px[1] = 128, px[2] = 0;
        assert_int_equal(preview_add(p, &f, 1000 + i * NS_PER_FRAME(60)), 0);
    }
    assert_int_equal(preview_close(p, 1000 + 60 * NS_PER_FRAME(60)), 0);

    GifFileType *g = load();
    assert_int_equal(g->SWidth, 320);
    assert_int_equal(g->SHeight, 40);
    int total = 0;
    for (int i = 0; i < g->ImageCount; i++) {
        assert_true(delay_of(g, i) >= 2);
        total += delay_of(g, i);
    }
    /* The timeline is kept: 1 s of frames plays for 1 s. */
    assert_int_equal(total, 100);
    assert_true(g->ImageCount >= 30 && g->ImageCount <= 50);
    /* First frame: the lit LED at column 63, row 3, drawn as a round dot:
     * its centre has the colour, the gap between dots is black, an unlit
     * LED is a dim dot. */
    uint8_t c[3];
    rgb_at(g, 0, 63 * 5 + 2, 3 * 5 + 2, c);
    assert_int_equal(c[0], 255);
    assert_int_equal(c[1], 128);
    assert_int_equal(c[2], 0);
    rgb_at(g, 0, 63 * 5, 3 * 5, c);             /* the dot's corner: black */
    assert_int_equal(c[0] | c[1] | c[2], 0);
    rgb_at(g, 0, 10 * 5 + 2, 3 * 5 + 2, c);     /* unlit LED */
    assert_true(c[0] > 0 && c[0] < 64 && c[0] == c[1]);
    int err;
    DGifCloseFile(g, &err);
    frame_release(&f);
}

/* A still panel is one GIF frame, however many frames it was given. */
static void still_frames_merge(void **state)
{
    (void)state;
    struct preview *p;
    struct frame f;
    assert_int_equal(frame_init(&f, 16, 8), 0);
    frame_clear(&f, 0, 200, 0);
    assert_int_equal(preview_open(&p, path, 16, 8, 3, NULL), 0);
    for (int i = 0; i < 120; i++)
        assert_int_equal(preview_add(p, &f, i * NS_PER_FRAME(60)), 0);
    assert_int_equal(preview_close(p, 2000000000), 0);
    GifFileType *g = load();
    assert_int_equal(g->ImageCount, 1);
    assert_int_equal(delay_of(g, 0), 200);
    int err;
    DGifCloseFile(g, &err);
    frame_release(&f);
}

/* Gray mode has more than 256 colours: they are rounded, not refused. */
static void many_colours(void **state)
{
    (void)state;
    struct preview *p;
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 64; x++) {
            uint8_t *px = frame_pixel(&f, x, y);
            px[0] = (uint8_t)(x * 4), px[1] = (uint8_t)(y * 16), px[2] = 255;
        }
    assert_int_equal(preview_open(&p, path, 64, 16, 2, NULL), 0);
    assert_int_equal(preview_add(p, &f, 0), 0);
    assert_int_equal(preview_close(p, 50000000), 0);
    GifFileType *g = load();
    uint8_t c[3];
    rgb_at(g, 0, 63 * 2, 15 * 2, c);
    assert_true(abs(c[0] - 252) < 40 && abs(c[1] - 240) < 40 && c[2] == 255);
    assert_int_equal(delay_of(g, 0), 5);
    int err;
    DGifCloseFile(g, &err);
    frame_release(&f);
}

static void capture(void *user, enum diag_level level, const char *file, int line,
                    const char *msg)
{
    (void)level, (void)line;
    snprintf(user, 256, "%s: %s", file, msg);
}

/* An unwritable path is an error that names it; no file, no crash. */
static void unwritable(void **state)
{
    (void)state;
    struct preview *p;
    char said[256] = "";
    struct diag d = { capture, said };
    assert_int_equal(preview_open(&p, "/nonexistent/x.gif", 8, 8, 2, &d), PREVIEW_ERR_IO);
    assert_non_null(strstr(said, "/nonexistent/x.gif: cannot create the GIF"));
    assert_int_equal(preview_open(&p, path, 0, 8, 2, NULL), PREVIEW_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(scroll_at_60fps, setup, teardown),
        cmocka_unit_test_setup_teardown(still_frames_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(many_colours, setup, teardown),
        cmocka_unit_test_setup_teardown(unwritable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
