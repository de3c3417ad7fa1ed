/* cmocka_skip — a cmocka test binary with one passing and one skipped test
 * (and exit 0, as cmocka counts a skip as no failure): tests/e2e/runners.sh
 * shows that tests/run-unit.sh fails on it unless LEDTICKER_ALLOW_SKIP=1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void passes(void **state)
{
    (void)state;
    assert_int_equal(1 + 1, 2);
}

static void skips(void **state)
{
    (void)state;
    skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passes),
        cmocka_unit_test(skips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
