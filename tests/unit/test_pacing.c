/* pacing: frame deadlines on a fixed grid, late frames skip ahead instead
 * of slowing down, the testing clock, --clock-rate and --clock-jump values.
 * (Local times are civil.c's: tests/unit/test_civil.c.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compose/pacing.h"

#define MS (PACING_NS_PER_SEC / 1000)

static void grid_and_drops(void **state)
{
    (void)state;
    struct pacing_frames f;
    pacing_frames_init(&f, 1000, 50);               /* 20 ms period */
    assert_int_equal(f.period, 20 * MS);
    assert_int_equal(pacing_frames_next(&f, 1000), 1000 + 20 * MS);
    /* On time: the next grid point. */
    assert_int_equal(pacing_frames_next(&f, 1000 + 25 * MS), 1000 + 40 * MS);
    /* 75 ms late: grid points 60 and 80 and 100 are gone; the next frame is
     * still on the grid, so the scroll position stays a function of time. */
    assert_int_equal(pacing_frames_next(&f, 1000 + 115 * MS), 1000 + 120 * MS);
    assert_int_equal(f.dropped, 3);
}

static void virtual_clock(void **state)
{
    (void)state;
    struct pacing_clock c;
    int64_t start = 1772415000 * PACING_NS_PER_SEC;    /* 2026-03-02 01:30:00 UTC */
    assert_int_equal(pacing_clock_init_test(&c, start, 0), 0);
    assert_int_equal(pacing_now(&c), 0);
    assert_int_equal(pacing_sleep_until(&c, 5 * PACING_NS_PER_SEC), 0);
    assert_int_equal(pacing_now(&c), 5 * PACING_NS_PER_SEC);
    assert_int_equal(pacing_wall_at(&c, pacing_now(&c)), start + 5 * PACING_NS_PER_SEC);
    assert_false(pacing_check_jump(&c, NULL));
}

static void accelerated_clock(void **state)
{
    (void)state;
    struct pacing_clock c;
    assert_int_equal(pacing_clock_init_test(&c, 0, 100), 0);
    /* 2 clock seconds at 100x take about 20 ms of real time. */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(pacing_sleep_until(&c, 2 * PACING_NS_PER_SEC), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    int64_t real = (b.tv_sec - a.tv_sec) * PACING_NS_PER_SEC + (b.tv_nsec - a.tv_nsec);
    assert_true(real >= 19 * MS);
    assert_true(pacing_now(&c) >= 2 * PACING_NS_PER_SEC);
}

static void real_clock(void **state)
{
    (void)state;
    struct pacing_clock c;
    assert_int_equal(pacing_clock_init_real(&c), 0);
    int64_t now = pacing_now(&c);
    int64_t wall = pacing_wall_at(&c, now);
    assert_true(llabs(wall - (int64_t)time(NULL) * PACING_NS_PER_SEC) < 2 * PACING_NS_PER_SEC);
    assert_int_equal(pacing_sleep_until(&c, now + MS), 0);
    assert_true(pacing_now(&c) >= now + MS);
    /* No one steps the clock during a test: no jump. */
    assert_false(pacing_check_jump(&c, NULL));
}

static void parsing(void **state)
{
    (void)state;
    double r;
    assert_int_equal(pacing_parse_rate("max", &r), 0);
    assert_true(r == 0);
    assert_int_equal(pacing_parse_rate("60", &r), 0);
    assert_true(r == 60);
    assert_int_equal(pacing_parse_rate("-1", &r), PACING_ERR_INVALID);
    assert_int_equal(pacing_parse_rate("fast", &r), PACING_ERR_INVALID);
}

/* An injected wall step is seen once, by the first check at or after its
 * time, and moves wall time from then on; monotonic time is untouched. */
static void test_clock_jump(void **state)
{
    (void)state;
    struct pacing_clock c;
    const int64_t sec = PACING_NS_PER_SEC;
    assert_int_equal(pacing_clock_init_test(&c, 1000 * sec, 0), PACING_OK);
    assert_int_equal(pacing_clock_test_jump(&c, 2 * sec, -90 * sec), PACING_OK);
    int64_t step = 0;
    pacing_sleep_until(&c, 2 * sec - 1);
    assert_false(pacing_check_jump(&c, &step));
    assert_int_equal(pacing_wall_at(&c, 2 * sec), 1002 * sec);
    pacing_sleep_until(&c, 2 * sec);
    assert_true(pacing_check_jump(&c, &step));
    assert_int_equal(step, -90 * sec);
    assert_int_equal(pacing_now(&c), 2 * sec);
    assert_int_equal(pacing_wall_at(&c, 3 * sec), 913 * sec);
    assert_false(pacing_check_jump(&c, &step));         /* once */

    int64_t at, st;
    assert_int_equal(pacing_parse_jump("5:1800", &at, &st), PACING_OK);
    assert_int_equal(at, 5 * sec);
    assert_int_equal(st, 1800 * sec);
    assert_int_equal(pacing_parse_jump("0.5:-2.25", &at, &st), PACING_OK);
    assert_int_equal(at, sec / 2);
    assert_int_equal(st, -(2 * sec + sec / 4));
    const char *bad[] = { "", "5", "5:", ":5", "5:0", "-1:5", "x:1", "5:1s", "5:1:2" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(pacing_parse_jump(bad[i], &at, &st), PACING_ERR_INVALID);
    struct pacing_clock real;
    pacing_clock_init_real(&real);
    assert_int_equal(pacing_clock_test_jump(&real, 0, sec), PACING_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grid_and_drops),
        cmocka_unit_test(virtual_clock),
        cmocka_unit_test(accelerated_clock),
        cmocka_unit_test(real_clock),
        cmocka_unit_test(parsing),
        cmocka_unit_test(test_clock_jump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
