/* UTF-8 repair: what a headline file full of odd bytes turns into. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/utf8.h"
#include "textsupport.h"

static size_t decode(const char *s, size_t len, uint32_t *out, struct capture *cap)
{
    uint32_t *cps;
    size_t n;
    assert_int_equal(utf8_decode_clean(s, len, &cps, &n, &cap->diag), 0);
    if (n)
        memcpy(out, cps, n * sizeof *cps);
    free(cps);
    return n;
}

static void valid_text_passes(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    uint32_t cp[8];
    assert_int_equal(decode("a区\xF0\x9F\xAB\xA0\xC3\xA9", 10, cp, &cap), 4);
    assert_int_equal(cp[0], 'a');
    assert_int_equal(cp[1], 0x533A);
    assert_int_equal(cp[2], 0x1FAE0);
    assert_int_equal(cp[3], 0xE9);
    assert_int_equal(cap.warnings, 0);
}

/* Overlongs, surrogates, values past U+10FFFF, stray continuation bytes and
 * a sequence cut short all become U+FFFD; the next valid character
 * survives; one warning gives the first bad byte's offset and the count. */
static void invalid_becomes_fffd(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    uint32_t cp[16];
    const char s[] = "ok\xC0\xAF" "\xED\xA0\x80" "\xF4\x90\x80\x80" "\x80" "\xE5\x8Ax";
    size_t n = decode(s, sizeof s - 1, cp, &cap);
    assert_int_equal(cp[0], 'o');
    assert_int_equal(cp[1], 'k');
    assert_int_equal(cp[n - 1], 'x');
    for (size_t i = 2; i < n - 1; i++)
        assert_int_equal(cp[i], UTF8_REPLACEMENT);
    assert_int_equal(cap.warnings, 1);
    assert_non_null(strstr(cap.text, "byte offset 2"));
}

static void controls_and_newlines(void **state)
{
    (void)state;
    struct capture cap;
    capture_init(&cap);
    uint32_t cp[8];
    size_t n = decode("a\nb\r\x01\x7f\xC2\x85" "c\td", 11, cp, &cap);
    assert_int_equal(n, 5);
    assert_int_equal(cp[1], ' ');
    assert_int_equal(cp[2], 'b');
    assert_int_equal(cp[3], 'c');
    assert_int_equal(cp[4], 'd');
    assert_int_equal(cap.warnings, 0);
}

static void empty(void **state)
{
    (void)state;
    uint32_t *cps = (uint32_t *)1;
    size_t n = 1;
    assert_int_equal(utf8_decode_clean("", 0, &cps, &n, NULL), 0);
    assert_null(cps);
    assert_int_equal(n, 0);
}

/* The check the INI reader and summary files use: the offset of the first
 * byte that is not UTF-8 text. */
static void check_edges(void **state)
{
    (void)state;
    assert_int_equal(utf8_check("abc", 3), 3);
    assert_int_equal(utf8_check("", 0), 0);
    assert_int_equal(utf8_check("a\xC0\x80", 3), 1);            /* overlong NUL */
    assert_int_equal(utf8_check("\xE0\x80\xAF", 3), 0);         /* overlong '/' */
    assert_int_equal(utf8_check("\xED\xA0\x80", 3), 0);         /* surrogate */
    assert_int_equal(utf8_check("\xF4\x90\x80\x80", 4), 0);     /* > U+10FFFF */
    assert_int_equal(utf8_check("ab\xE7\xA6", 4), 2);           /* truncated */
    assert_int_equal(utf8_check("ab\xE7\xA6x", 5), 2);          /* cut short */
    assert_int_equal(utf8_check("a\x80", 2), 1);                 /* stray continuation */
    assert_int_equal(utf8_check("a\0b", 3), 1);                 /* NUL */
    assert_int_equal(utf8_check("\xF0\x9F\xAB\xA0", 4), 4);     /* U+1FAE0 */
    assert_int_equal(utf8_check("\xE7\xA6\x8F\xEF\xBC\x9A", 6), 6); /* 福： */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_text_passes),
        cmocka_unit_test(invalid_becomes_fffd),
        cmocka_unit_test(controls_and_newlines),
        cmocka_unit_test(empty),
        cmocka_unit_test(check_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
