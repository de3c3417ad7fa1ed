/* Font chains: the file format, command-line lists, and resolution through
 * the project's fontconfig configuration. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/fontchain.h"
#include "textsupport.h"

static void parse_ranges_and_comments(void **state)
{
    (void)state;
    const char text[] = "# comment\n\n  WenQuanYi Zen Hei Sharp 12-16 \nNoto Sans CJK SC\n"
                        "Big Font 20-\nSmall Font -11\n";
    struct fontchain c;
    assert_int_equal(fontchain_parse(text, sizeof text - 1, "t.chain", &c, NULL), 0);
    assert_int_equal(c.count, 4);
    assert_string_equal(c.entries[0].family, "WenQuanYi Zen Hei Sharp");
    assert_int_equal(c.entries[0].min_px, 12);
    assert_int_equal(c.entries[0].max_px, 16);
    assert_string_equal(c.entries[1].family, "Noto Sans CJK SC");
    assert_int_equal(c.entries[1].min_px, 0);
    assert_int_equal(c.entries[2].min_px, 20);
    assert_true(c.entries[2].max_px > 1000);
    assert_int_equal(c.entries[3].min_px, 1);
    assert_int_equal(c.entries[3].max_px, 11);
    fontchain_release(&c);
}

static void parse_errors_name_the_line(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    struct fontchain c;
    const char bad[] = "Noto Sans CJK SC\nSome Font 16-12\n";
    assert_int_equal(fontchain_parse(bad, sizeof bad - 1, "x.chain", &c, &cap.diag), -1);
    assert_non_null(strstr(cap.text, "16-12"));
    capture_reset(&cap);
    assert_int_equal(fontchain_parse("# only\n", 7, "y.chain", &c, &cap.diag), -1);
    assert_non_null(strstr(cap.text, "names no font"));
}

static void list_from_command_line(void **state)
{
    (void)state;
    struct fontchain c;
    assert_int_equal(fontchain_from_list(" DejaVu Sans , Noto Sans CJK SC,", &c, NULL), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.entries[0].family, "DejaVu Sans");
    assert_string_equal(c.entries[1].family, "Noto Sans CJK SC");
    fontchain_release(&c);
    struct capture cap;
    capture_init(&cap);
    assert_int_equal(fontchain_from_list(" , ", &c, &cap.diag), -1);
    assert_non_null(strstr(cap.text, "no font family"));
}

/* The default chain at 16 px finds the bitmap faces by name (Debian's
 * 70-no-bitmaps.conf would hide the PCF one), never a .gz; at 32 px the
 * size-limited entries drop out. */
static void default_chain_resolves_by_size(void **state)
{
    (void)state;
    char conf[PATH_MAX];
    assert_non_null(realpath(TEST_FONTS_DIR "/fonts.conf", conf));
    struct fontchain c;
    assert_int_equal(fontchain_load_file(TEST_FONTS_DIR "/default.chain", &c, NULL), 0);
    struct fontchain_font *f;
    size_t n;
    struct capture cap;
    capture_init(&cap);
    assert_int_equal(fontchain_resolve(&c, conf, 16, &f, &n, &cap.diag), 0);
    assert_int_equal(cap.warnings, 0);
    assert_true(n >= 4);
    assert_string_equal(f[0].matched, "WenQuanYi Zen Hei Sharp");
    assert_int_equal(f[0].index, 2);
    assert_string_equal(f[1].matched, "WenQuanYi Bitmap Song");
    assert_non_null(strstr(f[1].file, ".pcf"));
    for (size_t i = 0; i < n; i++)
        assert_null(strstr(f[i].file, ".gz"));
    fontchain_fonts_free(f, n);
    assert_int_equal(fontchain_resolve(&c, conf, 32, &f, &n, &cap.diag), 0);
    assert_string_equal(f[0].matched, "Noto Sans CJK SC");
    fontchain_fonts_free(f, n);
    fontchain_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_ranges_and_comments),
        cmocka_unit_test(parse_errors_name_the_line),
        cmocka_unit_test(list_from_command_line),
        cmocka_unit_test(default_chain_resolves_by_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
