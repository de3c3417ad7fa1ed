/* Zones and still text: label and clock zones around the scrolling zone,
 * two rows only on panels twice the font size tall, a headline centred
 * when it fits and looping leftward from its first character when not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "compose/layout.h"

static void zones(void **state)
{
    (void)state;
    struct layout l;
    struct layout_params p = { .width = 256, .height = 32, .row_height = 16, .label_width = 32,
                               .clock_width = 40, .pad = 2, .allow_two_rows = true };
    assert_int_equal(layout_compute(&p, &l), 0);
    assert_int_equal(l.label.x, 0);
    assert_int_equal(l.label.w, 32);
    assert_int_equal(l.clock.x, 216);
    assert_int_equal(l.clock.w, 40);
    assert_int_equal(l.scroll.x, 34);
    assert_int_equal(l.scroll.w, 256 - 32 - 2 - 40 - 2);
    assert_true(l.two_rows);
    assert_int_equal(l.headline.y, 0);
    assert_int_equal(l.headline.h, 16);
    assert_int_equal(l.scroll.y, 16);
    /* 31 px is less than twice 16: one row, the whole height. */
    p.height = 31;
    assert_int_equal(layout_compute(&p, &l), 0);
    assert_false(l.two_rows);
    assert_int_equal(l.scroll.h, 31);
    /* Zones that leave no room to scroll are refused. */
    p.width = 80;
    assert_int_equal(layout_compute(&p, &l), -1);
}

static void headline(void **state)
{
    (void)state;
    double copy;
    /* Fits: centred, still, whatever the time. */
    assert_true(layout_headline_x(200, 100, 16, 32, 0, &copy) == 50);
    assert_true(layout_headline_x(200, 100, 16, 32, 5000000000, &copy) == 50);
    assert_true(copy >= 200);
    /* Too wide: starts at the left edge, moves left at the speed, and the
     * next copy follows gap px after the end. */
    assert_true(layout_headline_x(200, 300, 16, 32, 0, &copy) == 0);
    assert_true(fabs(layout_headline_x(200, 300, 16, 32, 1000000000, &copy) + 32) < 1e-9);
    assert_true(fabs(copy - (300 + 16 - 32)) < 1e-9);
    /* After one whole loop (316 px at 32 px/s) it is back at the start. */
    assert_true(fabs(layout_headline_x(200, 300, 16, 32, 9875000000, &copy)) < 1e-6);
    assert_int_equal(layout_center_y(32, 16), 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zones),
        cmocka_unit_test(headline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
