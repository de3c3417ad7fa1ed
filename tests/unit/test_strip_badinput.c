/* Hostile or odd input: a clear message, a usable strip, no crash (also
 * under ASan/UBSan with make SANITIZE=1 test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "textsupport.h"

static void invalid_utf8_is_repaired_with_offset(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    struct strip_renderer *r = test_renderer(NULL, 16, 0, STRIP_MONO, &cap);
    struct bitmap bad = test_render(r, "区委\xff\xfe办\xe5\x8a");   /* stray bytes, cut sequence */
    const char *first = strstr(cap.text, "invalid UTF-8");
    assert_non_null(first);
    assert_null(strstr(first + 1, "invalid UTF-8"));    /* one warning for the string */
    assert_non_null(strstr(cap.text, "byte offset 6"));
    assert_non_null(strstr(cap.text, "U+FFFD"));
    capture_reset(&cap);
    struct bitmap good = test_render(r, "区委\xEF\xBF\xBD\xEF\xBF\xBD办\xEF\xBF\xBD");
    assert_null(strstr(cap.text, "invalid UTF-8"));
    assert_int_equal(bad.width, good.width);
    assert_memory_equal(bad.data, good.data, bad.stride * (size_t)bad.height);
    free(bad.data);
    free(good.data);
    strip_free(r);
}

static void controls_dropped_newline_is_space(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    struct strip_renderer *r = test_renderer(NULL, 16, 0, STRIP_MONO, &cap);
    struct bitmap a = test_render(r, "田间\n地头\x01\x1b\x7f");
    struct bitmap b = test_render(r, "田间 地头");
    assert_int_equal(cap.warnings, 0);
    assert_int_equal(a.width, b.width);
    assert_memory_equal(a.data, b.data, a.stride * (size_t)a.height);
    free(a.data);
    free(b.data);
    strip_free(r);
}

static void empty_is_zero_width(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    struct strip_renderer *r = test_renderer(NULL, 32, 0, STRIP_GRAY, &cap);
    struct bitmap b;
    assert_int_equal(strip_render_text(r, "", 0, 8, &b), 0);
    assert_int_equal(b.width, 0);
    assert_int_equal(b.height, 32);
    assert_null(b.data);
    assert_int_equal(cap.warnings, 0);
    /* Only controls: also empty. */
    assert_int_equal(strip_render_text(r, "\r\x02", 2, 1, &b), 0);
    assert_int_equal(b.width, 0);
    strip_free(r);
}

/* 20,000 characters of the page in one line: 320,000 px at 16 px. */
static void very_long_line(void **state)
{
    (void)state;
    size_t len;
    char *page = seed_joined(&len);
    size_t cap_bytes = 20000 * 4 + 1, n = 0, chars = 0;
    char *line = malloc(cap_bytes);
    assert_non_null(line);
    for (size_t i = 0; chars < 20000; i = (i + 1) % len) {
        unsigned char c = (unsigned char)page[i];
        if ((c & 0xC0) != 0x80)
            chars++;
        if (chars > 20000)
            break;
        line[n++] = (char)c;
    }
    while (n && ((unsigned char)line[n - 1] & 0xC0) == 0x80)
        n--;    /* drop a cut-off last character */
    if (n && (unsigned char)line[n - 1] >= 0xC0)
        n--;
    line[n] = 0;
    struct capture cap;
    capture_init(&cap);
    struct strip_renderer *r = test_renderer(NULL, 16, 0, STRIP_MONO, &cap);
    struct strip_layout *lay;
    assert_int_equal(strip_measure(r, line, n, &lay), 0);
    int w = strip_layout_width(lay);
    assert_true(w > 16 * 15000 && w < 16 * 20001);
    assert_true(strip_layout_glyph_count(lay) > 15000);
    strip_layout_free(lay);
    struct bitmap b;
    assert_int_equal(strip_render_text(r, line, n, 1, &b), 0);
    assert_int_equal(b.width, w);
    assert_int_equal(cap.errors, 0);
    free(b.data);
    free(line);
    free(page);
    strip_free(r);
}

/* Emoji no font has: the first font's .notdef box, one warning naming each
 * missing code point once. */
static void emoji_only(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    struct strip_renderer *r = test_renderer(NULL, 16, 0, STRIP_MONO, &cap);
    struct bitmap b = test_render(r, "\U0001FAE0\U0001FAE0\U0001FAE8");
    assert_true(b.width > 0);
    int top, bottom, left, right;
    assert_true(ink_box(&b, 0, b.width, &top, &bottom, &left, &right));  /* boxes drawn */
    assert_non_null(strstr(cap.text, "U+1FAE0 not covered by any font"));
    assert_non_null(strstr(cap.text, "U+1FAE8 not covered by any font"));
    assert_null(strstr(strstr(cap.text, "U+1FAE0") + 1, "U+1FAE0"));    /* once */
    uint32_t cps[4];
    assert_int_equal(strip_find_uncovered(r, "a\U0001FAE0b\U0001FAE0\U0001FAE8", 14, cps, 4), 2);
    assert_int_equal(cps[0], 0x1FAE0);
    assert_int_equal(cps[1], 0x1FAE8);
    assert_int_equal(strip_find_uncovered(r, "区委办 APP", strlen("区委办 APP"), NULL, 0), 0);
    free(b.data);
    strip_free(r);
}

/* An unknown family is named with what fontconfig matched instead, and the
 * render goes on with that match. */
static void unknown_family(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    struct strip_renderer *r = test_renderer("No Such Family Sans", 16, 0, STRIP_GRAY, &cap);
    assert_non_null(strstr(cap.text, "'No Such Family Sans' not found"));
    assert_non_null(strstr(cap.text, "instead"));
    assert_non_null(strstr(cap.text, strip_font_family(r, 0)));
    struct bitmap b = test_render(r, "APP");
    assert_true(b.width > 0);
    free(b.data);
    strip_free(r);
}

static void bad_options_refused(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    int err = 0;
    struct strip_options opt = { .fonts_dir = TEST_FONTS_DIR, .size = 2 };
    assert_null(strip_renderer_new(&opt, &cap.diag, &err));
    assert_int_equal(err, STRIP_ERR_INVALID_PARAM);
    opt = (struct strip_options){ .fonts_dir = "/nonexistent", .size = 16 };
    assert_null(strip_renderer_new(&opt, &cap.diag, &err));
    assert_int_equal(err, STRIP_ERR_IO);
    assert_non_null(strstr(cap.text, "/nonexistent"));
    assert_string_equal(strip_strerror(STRIP_ERR_FONT), "no usable font");
}

/* The caller's buffer with a stride and an x offset: the strip lands where
 * asked, clipped at both edges, and nothing outside is touched. */
static void render_into_caller_buffer(void **state)
{
    (void)state;
    struct strip_renderer *r = test_renderer(NULL, 16, 0, STRIP_MONO, NULL);
    struct bitmap alone = test_render(r, "田间");
    for (int bpp = 1; bpp <= 8; bpp += 7) {
        struct bitmap big = { .width = 100, .height = 16, .bpp = bpp,
                              .stride = bitmap_min_stride(100, bpp) + 5 };
        big.data = calloc(16, big.stride);
        struct strip_layout *lay;
        assert_int_equal(strip_measure(r, "田间", strlen("田间"), &lay), 0);
        for (int off = -13; off <= 90; off += 17) {
            memset(big.data, 0, 16 * big.stride);
            assert_int_equal(strip_render(r, lay, &big, off), 0);
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 100; x++) {
                    int sx = x - off;
                    int want = sx >= 0 && sx < alone.width ? bitmap_get(&alone, sx, y) : 0;
                    assert_int_equal(bitmap_get(&big, x, y) != 0, want != 0);
                }
        }
        strip_layout_free(lay);
        free(big.data);
    }
    free(alone.data);
    strip_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invalid_utf8_is_repaired_with_offset),
        cmocka_unit_test(controls_dropped_newline_is_space),
        cmocka_unit_test(empty_is_zero_width),
        cmocka_unit_test(very_long_line),
        cmocka_unit_test(emoji_only),
        cmocka_unit_test(unknown_family),
        cmocka_unit_test(bad_options_refused),
        cmocka_unit_test(render_into_caller_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
