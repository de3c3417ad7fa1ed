/* The strip renderer on lines of the seed page: widths against HarfBuzz,
 * heights, ink inside each ideograph's cell, one baseline, crisp strokes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "textsupport.h"
#include "util/pngout.h"

#define HEADLINE "区委办：真情帮扶助秋收 田间地头践初心"
#define DATELINE "从 2021年 10月 1日起"
#define APPLINE "民生山西 APP"

static const char *const lines[] = { HEADLINE, DATELINE, APPLINE };
static const int sizes[] = { 16, 32 };
static const enum strip_mode modes[] = { STRIP_MONO, STRIP_GRAY };

static int is_pure_cjk(const char *s)
{
    return strcmp(s, HEADLINE) == 0;
}

/* Width is the sum of the shaped advances: for one font it matches
 * HarfBuzz's own shaping within 1 px for CJK and half a pixel a glyph when
 * Latin is mixed in (hinting rounds). */
static void check_width_against_hb(const char *family, const char *chain, int strike_sizes)
{
    for (size_t si = 0; si < 2; si++)
        for (size_t mi = 0; mi < 2; mi++) {
            struct capture cap;
            capture_init(&cap);
            struct strip_renderer *r = test_renderer(chain, sizes[si], 0, modes[mi], &cap);
            for (size_t li = 0; li < 3; li++) {
                unsigned glyphs;
                double want = hb_reference_advance(family, sizes[si], lines[li], &glyphs) / 64.0;
                /* A bitmap strike has its own advances (a 16 px strike's space
                 * is 8 px, the outline's 4.8): compare with FreeType's. */
                if (strike_sizes && sizes[si] <= 16)
                    want = ft_plain_advance(family, sizes[si], lines[li]) / 64.0;
                struct bitmap b = test_render(r, lines[li]);
                double slack = is_pure_cjk(lines[li]) ? 1.0 : 0.5 * glyphs;
                if (b.width < want - slack || b.width > want + slack)
                    fail_msg("%s %d px %s '%s': width %d, HarfBuzz says %.2f (slack %.1f)",
                             family, sizes[si], mi ? "gray" : "mono", lines[li], b.width, want,
                             slack);
                free(b.data);
            }
            strip_free(r);
        }
}

static void width_noto(void **state)
{
    (void)state;
    check_width_against_hb("Noto Sans CJK SC", "Noto Sans CJK SC", 0);
}

static void width_wqy_sharp(void **state)
{
    (void)state;
    check_width_against_hb("WenQuanYi Zen Hei Sharp", "WenQuanYi Zen Hei Sharp", 1);
}

/* The default chain at 16 px serves CJK from the bitmap strike, whose
 * ideographs are one em wide: the headline's width is fixed by its count. */
static void width_default_chain_cjk(void **state)
{
    (void)state;
    for (size_t si = 0; si < 2; si++)
        for (size_t mi = 0; mi < 2; mi++) {
            struct strip_renderer *r = test_renderer(NULL, sizes[si], 0, modes[mi], NULL);
            struct bitmap b = test_render(r, "真情帮扶助秋收田间地头践初心");
            assert_int_equal(b.width, 14 * sizes[si]);
            free(b.data);
            strip_free(r);
        }
}

static void height_is_size_or_height(void **state)
{
    (void)state;
    for (size_t si = 0; si < 2; si++)
        for (size_t mi = 0; mi < 2; mi++) {
            struct strip_renderer *r = test_renderer(NULL, sizes[si], 0, modes[mi], NULL);
            struct strip_metrics m;
            strip_get_metrics(r, &m);
            assert_int_equal(m.height, sizes[si]);
            assert_int_equal(m.em_top, 0);      /* the em box fills the strip */
            for (size_t li = 0; li < 3; li++) {
                struct bitmap b = test_render(r, lines[li]);
                assert_int_equal(b.height, sizes[si]);
                assert_int_equal(b.bpp, modes[mi] == STRIP_MONO ? 1 : 8);
                free(b.data);
            }
            strip_free(r);
            /* A taller strip centres the em box. */
            r = test_renderer(NULL, sizes[si], sizes[si] + 8, modes[mi], NULL);
            strip_get_metrics(r, &m);
            assert_int_equal(m.em_top, 4);
            struct bitmap b = test_render(r, HEADLINE);
            assert_int_equal(b.height, sizes[si] + 8);
            int top, bottom, left, right;
            assert_true(ink_box(&b, 0, b.width, &top, &bottom, &left, &right));
            assert_true(top >= 4 && bottom < 4 + sizes[si]);
            free(b.data);
            strip_free(r);
        }
}

/* Each ideograph's ink stays inside its advance cell: the strip is exactly
 * the ideographs rendered one by one (uncut: no warning) and laid side by
 * side. Ink leaking into a neighbour or cut at an edge would differ. */
static void ink_inside_ideograph_cells(void **state)
{
    (void)state;
    for (size_t si = 0; si < 2; si++)
        for (size_t mi = 0; mi < 2; mi++) {
            struct capture cap;
            capture_init(&cap);
            struct strip_renderer *r = test_renderer(NULL, sizes[si], 0, modes[mi], &cap);
            struct bitmap whole = test_render(r, HEADLINE);
            int pen = 0;
            for (const char *p = HEADLINE; *p;) {
                size_t n = (*p & 0x80) ? 3 : 1;     /* the headline is BMP only */
                char one[4] = { 0 };
                memcpy(one, p, n);
                capture_reset(&cap);
                struct bitmap b = test_render(r, one);
                assert_int_equal(cap.warnings, 0);
                if (n == 3)
                    assert_int_equal(b.width, sizes[si]);   /* one em */
                for (int y = 0; y < b.height; y++)
                    for (int x = 0; x < b.width; x++)
                        if (bitmap_get(&b, x, y) != bitmap_get(&whole, pen + x, y))
                            fail_msg("%d px %s: '%s' at x=%d differs from alone at (%d,%d)",
                                     sizes[si], mi ? "gray" : "mono", one, pen, x, y);
                if (n == 3) {
                    int top, bottom, left, right;
                    assert_true(ink_box(&b, 0, b.width, &top, &bottom, &left, &right));
                }
                pen += b.width;
                free(b.data);
                p += n;
            }
            assert_int_equal(pen, whole.width);
            free(whole.data);
            strip_free(r);
        }
}

static int bottom_of(struct strip_renderer *r, const char *s)
{
    struct bitmap b = test_render(r, s);
    int top, bottom, left, right;
    assert_true(ink_box(&b, 0, b.width, &top, &bottom, &left, &right));
    free(b.data);
    return bottom;
}

/* Latin capitals, digits, ideographs and full-width punctuation share one
 * baseline: flat-bottomed Latin and digits end on the row above it, both
 * alone and inside a mixed line; ideographs end between it and the em box
 * bottom; a full-width comma sits at the baseline, not mid-air. */
static void shared_baseline(void **state)
{
    (void)state;
    for (size_t si = 0; si < 2; si++)
        for (size_t mi = 0; mi < 2; mi++) {
            struct strip_renderer *r = test_renderer(NULL, sizes[si], 0, modes[mi], NULL);
            struct strip_metrics m;
            strip_get_metrics(r, &m);
            int em_bottom = m.em_top + m.size - 1;
            static const char *const flat[] = { "H", "E", "A", "P", "1", "2", "L" };
            for (size_t i = 0; i < sizeof flat / sizeof flat[0]; i++)
                if (bottom_of(r, flat[i]) != m.baseline - 1)
                    fail_msg("%d px %s: '%s' ends on row %d, baseline is %d", m.size,
                             mi ? "gray" : "mono", flat[i], bottom_of(r, flat[i]), m.baseline);
            static const char *const han[] = { "山", "日", "田", "西", "生" };
            for (size_t i = 0; i < sizeof han / sizeof han[0]; i++) {
                int b = bottom_of(r, han[i]);
                assert_true(b >= m.baseline - 1 && b <= em_bottom);
            }
            int comma = bottom_of(r, "，");
            assert_true(comma >= m.baseline - 1 && comma <= em_bottom);
            /* In a mixed line, the Latin columns end on the same row. */
            struct bitmap pre = test_render(r, "民生山西 ");
            struct bitmap all = test_render(r, APPLINE);
            int top, bottom, left, right;
            assert_true(ink_box(&all, pre.width, all.width, &top, &bottom, &left, &right));
            assert_int_equal(bottom, m.baseline - 1);
            assert_true(ink_box(&all, 0, pre.width, &top, &bottom, &left, &right));
            assert_true(bottom >= m.baseline - 1 && bottom <= em_bottom);
            free(pre.data);
            free(all.data);
            strip_free(r);
        }
}

/* At 16 px mono the default chain uses a bitmap strike: the vertical stroke
 * of 十 is exactly one column wide and its horizontal stroke one row high
 * (outline CJK fonts give 2-px strokes here). */
static void ten_has_one_pixel_strokes(void **state)
{
    (void)state;
    struct strip_renderer *r = test_renderer(NULL, 16, 0, STRIP_MONO, NULL);
    struct bitmap b = test_render(r, "十");
    int long_cols = 0, long_rows = 0;
    for (int x = 0; x < b.width; x++) {
        int n = 0;
        for (int y = 0; y < b.height; y++)
            n += bitmap_get(&b, x, y) != 0;
        long_cols += n >= 10;
    }
    for (int y = 0; y < b.height; y++) {
        int n = 0;
        for (int x = 0; x < b.width; x++)
            n += bitmap_get(&b, x, y) != 0;
        long_rows += n >= 10;
    }
    assert_int_equal(long_cols, 1);
    assert_int_equal(long_rows, 1);
    free(b.data);
    strip_free(r);
}

/* The whole seed page as one line at 32 px is far wider than the 32,767 px
 * where cairo (hb-view), pango-view and ImageMagick stop: the PNG keeps it
 * all, pixel for pixel. */
static void whole_page_png(void **state)
{
    (void)state;
    size_t len;
    char *page = seed_joined(&len);
    struct capture cap;
    capture_init(&cap);     /* commas and the like reach below the em box: warned */
    struct strip_renderer *r = test_renderer(NULL, 32, 0, STRIP_MONO, &cap);
    struct bitmap b;
    assert_int_equal(strip_render_text(r, page, len, 1, &b), 0);
    assert_true(b.width > 32767);
    char path[] = "/tmp/ledticker-page-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    struct pngout_image img = { b.width, b.height, b.stride, PNGOUT_GRAY1, b.data };
    assert_int_equal(pngout_write(path, &img, NULL), 0);
    int w, h;
    uint8_t *px;
    assert_int_equal(png_read_gray(path, &w, &h, &px), 0);
    assert_int_equal(w, b.width);
    assert_int_equal(h, 32);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if ((px[(size_t)y * (size_t)w + (size_t)x] != 0) != (bitmap_get(&b, x, y) != 0))
                fail_msg("PNG differs at (%d,%d)", x, y);
    unlink(path);
    close(fd);
    free(px);
    free(b.data);
    free(page);
    strip_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(width_noto),
        cmocka_unit_test(width_wqy_sharp),
        cmocka_unit_test(width_default_chain_cjk),
        cmocka_unit_test(height_is_size_or_height),
        cmocka_unit_test(ink_inside_ideograph_cells),
        cmocka_unit_test(shared_baseline),
        cmocka_unit_test(ten_has_one_pixel_strokes),
        cmocka_unit_test(whole_page_png),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
