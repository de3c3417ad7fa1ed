/* The frame loop: frames on the fixed grid, late frames skipped (never
 * slowed down to), the --seconds limit, the stop flag, and the play log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/loop.h"
#include "fake_show.h"

#define S(x) ((int64_t)((x) * 1e9))

static struct fake_show fake;

struct counting_sink {
    uint64_t frames;
    int64_t first_wall, first_mono, last_mono, period;
    bool off_grid;
    int stall_every;            /* sleep 40 ms of real time every Nth frame */
    struct loop_flags *stop_after_flags;
    uint64_t stop_after;
};

static int count_frame(void *user, const struct frame *f, const struct engine_info *info,
                       int64_t mono, int64_t wall)
{
    struct counting_sink *c = user;
    (void)f, (void)info;
    if (!c->frames) {
        c->first_wall = wall;
        c->first_mono = mono;
    }
    /* Every frame is a grid point: a whole number of periods after the first. */
    if ((mono - c->first_mono) % c->period != 0)
        c->off_grid = true;
    c->last_mono = mono;
    c->frames++;
    if (c->stall_every && c->frames % c->stall_every == 0)
        nanosleep(&(struct timespec){ 0, 40000000 }, NULL);
    if (c->stop_after_flags && c->frames == c->stop_after)
        c->stop_after_flags->stop = 1;
    return 0;
}

static struct engine *make_engine(void)
{
    fake_show_init(&fake);
    struct engine_params p = { .width = 64, .height = 16, .row_height = 16, .speed = 32,
                               .gap = 10, .gamma = 1 };
    struct engine_source src = fake_show_source(&fake);
    struct engine *e;
    assert_int_equal(engine_new(&e, &p, &src, NULL), 0);
    return e;
}

/* --clock-rate max --seconds 10 at 60 fps: exactly 600 frames. */
static void virtual_ten_seconds(void **state)
{
    (void)state;
    struct engine *e = make_engine();
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    struct pacing_clock clock;
    assert_int_equal(pacing_clock_init_test(&clock, S(1000), 0), 0);
    struct counting_sink c = { .period = S(1.0 / 60) + 0 };
    struct loop_options o = { .clock = &clock, .fps = 60, .duration = S(10) };
    struct loop_sink sink = { &c, count_frame, NULL, NULL };
    struct loop_stats st = { 0 };
    /* 1e9 / 60 is not whole: the grid's period is the rounded one. */
    c.period = (int64_t)(1e9 / 60 + 0.5);
    assert_int_equal(loop_run(&e, &f, &o, &sink, &st), 0);
    assert_int_equal(c.frames, 600);
    assert_int_equal(st.dropped, 0);
    assert_false(c.off_grid);
    assert_int_equal(c.first_wall, S(1000));
    frame_release(&f);
    engine_free(e);
}

/* A sink that stalls for 40 ms every 10th frame at real speed: frames are
 * dropped, the survivors stay on the grid, and the run still ends on time. */
static void late_frames_skip(void **state)
{
    (void)state;
    struct engine *e = make_engine();
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    struct pacing_clock clock;
    assert_int_equal(pacing_clock_init_test(&clock, S(1000), 1), 0);
    struct counting_sink c = { .period = (int64_t)(1e9 / 100 + 0.5), .stall_every = 10 };
    struct loop_options o = { .clock = &clock, .fps = 100, .duration = S(1) };
    struct loop_sink sink = { &c, count_frame, NULL, NULL };
    struct loop_stats st = { 0 };
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(loop_run(&e, &f, &o, &sink, &st), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_true(st.dropped >= 20);          /* 10 stalls of 4 frames each, about */
    assert_true(c.frames + st.dropped >= 98 && c.frames + st.dropped <= 101);
    assert_false(c.off_grid);
    /* Not slowed down: 1 clock second took about 1 real second. */
    double real = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    assert_true(real < 1.5);
    frame_release(&f);
    engine_free(e);
}

/* With final_frame, the last frame is at exactly the end of the run, even
 * when that is between two grid points. */
static void final_frame_at_end(void **state)
{
    (void)state;
    struct engine *e = make_engine();
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    struct pacing_clock clock;
    assert_int_equal(pacing_clock_init_test(&clock, S(1000), 0), 0);
    struct counting_sink c = { .period = 1 };
    struct loop_options o = { .clock = &clock, .fps = 60, .duration = S(1.005), .final_frame = true };
    struct loop_sink sink = { &c, count_frame, NULL, NULL };
    assert_int_equal(loop_run(&e, &f, &o, &sink, NULL), 0);
    assert_int_equal(c.frames, 62);             /* 0 .. 60/60 s, then 1.005 s */
    assert_int_equal(c.last_mono, S(1.005));
    frame_release(&f);
    engine_free(e);
}

static void stop_flag(void **state)
{
    (void)state;
    struct engine *e = make_engine();
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    struct pacing_clock clock;
    assert_int_equal(pacing_clock_init_test(&clock, 0, 0), 0);
    struct loop_flags flags = { 0 };
    struct counting_sink c = { .period = (int64_t)(1e9 / 60 + 0.5), .stop_after_flags = &flags,
                               .stop_after = 42 };
    struct loop_options o = { .clock = &clock, .fps = 60, .flags = &flags };
    struct loop_sink sink = { &c, count_frame, NULL, NULL };
    assert_int_equal(loop_run(&e, &f, &o, &sink, NULL), 0);
    assert_int_equal(c.frames, 42);
    frame_release(&f);
    engine_free(e);
}

/* Passes end up in the play log, one line each, with the message ID and a
 * duration of (panel + strip) / speed = (64 + 100) / 32 s. */
static void play_log_lines(void **state)
{
    (void)state;
    struct engine *e = make_engine();
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    char path[] = "/tmp/looplog-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct playlog *log;
    assert_int_equal(playlog_open(&log, path, NULL), 0);
    struct pacing_clock clock;
    assert_int_equal(pacing_clock_init_test(&clock, 0, 0), 0);
    struct loop_options o = { .clock = &clock, .fps = 50, .duration = S(20), .playlog = &log };
    struct loop_sink sink = { NULL, NULL, NULL, NULL };
    struct loop_stats st = { 0 };
    assert_int_equal(loop_run(&e, &f, &o, &sink, &st), 0);
    playlog_close(log);
    /* Passes start every (100 + 10) / 32 = 3.4375 s and last 5.125 s: in
     * 20 s, those that started by 14.875 s have ended: starts 0 .. 13.75,
     * that is 5 passes. */
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, in)) {
        assert_non_null(strstr(line, " news-1 5.125\n"));
        n++;
    }
    fclose(in);
    unlink(path);
    assert_int_equal(n, 5);
    assert_int_equal(st.passes, 5);
    frame_release(&f);
    engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(virtual_ten_seconds),
        cmocka_unit_test(late_frames_skip),
        cmocka_unit_test(final_frame_at_end),
        cmocka_unit_test(stop_flag),
        cmocka_unit_test(play_log_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
