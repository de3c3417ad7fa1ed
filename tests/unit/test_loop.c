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
#include "diagcap.h"
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

/* ...and when the end falls on a grid point (20 fps: 50 ms divides 1 s),
 * the frame at the end is shown too, once. */
static void final_frame_on_grid(void **state)
{
    (void)state;
    struct engine *e = make_engine();
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    struct pacing_clock clock;
    assert_int_equal(pacing_clock_init_test(&clock, S(1000), 0), 0);
    struct counting_sink c = { .period = S(0.05) };
    struct loop_options o = { .clock = &clock, .fps = 20, .duration = S(1), .final_frame = true };
    struct loop_sink sink = { &c, count_frame, NULL, NULL };
    assert_int_equal(loop_run(&e, &f, &o, &sink, NULL), 0);
    assert_int_equal(c.frames, 21);             /* 0, 0.05, ... 1 s */
    assert_int_equal(c.last_mono, S(1));
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

/* A wall-clock step, seen by a sink: every frame from the one at the step
 * on is compared with what a second engine, never jumped, composes for
 * that frame's wall time; the scroll's leading edge (the strip's lit first
 * column) is tracked. At 32 px/s and 32 fps it moves 1 px per frame. */
struct jump_sink {
    struct engine *ref;
    struct frame ref_frame;
    int64_t at, wall0, step, period;
    uint64_t frames, after;     /* all frames; frames at or after the step */
    int64_t last_mono;
    bool off_grid, differs, emergency_at_step;
    int edge_at_step, last_edge, uneven;
};

static int leading_edge(const struct frame *f)
{
    for (int x = 0; x < f->width; x++)
        for (int y = 0; y < f->height; y++)
            if (frame_pixel(f, x, y)[0] || frame_pixel(f, x, y)[2])
                return x;
    return -1;
}

static int jump_frame(void *user, const struct frame *f, const struct engine_info *info,
                      int64_t mono, int64_t wall)
{
    struct jump_sink *j = user;
    if (j->frames && mono - j->last_mono != j->period)
        j->off_grid = true;
    j->frames++;
    j->last_mono = mono;
    if (mono < j->at) {
        assert_int_equal(wall, j->wall0 + mono);
        return 0;
    }
    assert_int_equal(wall, j->wall0 + mono + j->step);
    struct engine_info ref_info;
    assert_int_equal(engine_frame(j->ref, wall, &j->ref_frame, &ref_info), ENGINE_OK);
    for (int y = 0; y < f->height; y++)
        if (memcmp(frame_pixel(f, 0, y), frame_pixel(&j->ref_frame, 0, y), 3 * (size_t)f->width))
            j->differs = true;
    int edge = leading_edge(f);
    if (!j->after++) {
        j->edge_at_step = edge;
        j->emergency_at_step = info->emergency;
    } else if (edge != j->last_edge - 1 && edge >= 0 && j->last_edge > 0) {
        j->uneven++;
    }
    j->last_edge = edge;
    return 0;
}

/* Runs 3 clock seconds at 32 fps from wall 1000 s, the wall clock stepping
 * by `step` at clock second 2, with an emergency from 1020 s to 1040 s. */
static void run_with_jump(int64_t wall0, int64_t step, struct jump_sink *j, struct diagcap *cap)
{
    struct engine *e = make_engine();
    fake.emergency_from = S(1020);
    fake.emergency_to = S(1040);
    struct engine_params p = { .width = 64, .height = 16, .row_height = 16, .speed = 32,
                               .gap = 10, .gamma = 1 };
    struct engine_source src = fake_show_source(&fake);
    *j = (struct jump_sink){ .at = S(2), .wall0 = wall0, .step = step, .period = S(1.0 / 32) };
    assert_int_equal(engine_new(&j->ref, &p, &src, NULL), 0);
    assert_int_equal(frame_init(&j->ref_frame, 64, 16), 0);
    struct frame f;
    assert_int_equal(frame_init(&f, 64, 16), 0);
    struct pacing_clock clock;
    assert_int_equal(pacing_clock_init_test(&clock, wall0, 0), 0);
    assert_int_equal(pacing_clock_test_jump(&clock, j->at, step), 0);
    diagcap_init(cap);
    struct loop_options o = { .clock = &clock, .fps = 32, .duration = S(3), .diag = &cap->diag };
    struct loop_sink sink = { j, jump_frame, NULL, NULL };
    struct loop_stats st = { 0 };
    assert_int_equal(loop_run(&e, &f, &o, &sink, &st), 0);
    frame_release(&f);
    frame_release(&j->ref_frame);
    engine_free(j->ref);
    engine_free(e);
    /* The monotonic grid went on as if nothing happened: no frame dropped,
     * none added, the step's frame and the 32 after it. */
    assert_int_equal(j->frames, 3 * 32);
    assert_int_equal(st.dropped, 0);
    assert_false(j->off_grid);
    assert_int_equal(j->after, 32);
    assert_false(j->differs);
    assert_int_equal(j->uneven, 0);
    assert_int_equal(diagcap_count(cap, DIAG_WARN), 1);
}

/* Forward by 18.5 s at clock second 2 (wall 1002 -> 1020.5): the very frame
 * at the step is the emergency, half a second into its pass (64 - 16 px),
 * and the scroll goes on 1 px a frame from there. */
static void jump_forward_into_emergency(void **state)
{
    (void)state;
    struct jump_sink j;
    struct diagcap cap;
    run_with_jump(S(1000), S(18.5), &j, &cap);
    assert_true(j.emergency_at_step);
    assert_int_equal(j.edge_at_step, 64 - 16);
    assert_non_null(diagcap_find(&cap, DIAG_WARN, "wall clock jumped by +18.5 s"));
}

/* Back by 30 s during the emergency (wall 1032 -> 1002): the playlist is
 * back in that frame, where the schedule has it at 1002 s. */
static void jump_back_out_of_emergency(void **state)
{
    (void)state;
    struct jump_sink j;
    struct diagcap cap;
    run_with_jump(S(1030), -S(30), &j, &cap);
    assert_false(j.emergency_at_step);
    assert_non_null(diagcap_find(&cap, DIAG_WARN, "wall clock jumped by -30.0 s"));
}

/* Proof of play across a step of the wall clock: a pass cut off by the
 * step, and one already under way at the new time, were not on screen
 * whole and are not logged; whole passes before and after are. news-1's
 * passes start every 3.4375 s from wall 0 and last 5.125 s. */
static int64_t logged_starts(int64_t wall0, int64_t at, int64_t step, double seconds,
                             int64_t *starts, int max)
{
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
    assert_int_equal(pacing_clock_init_test(&clock, wall0, 0), 0);
    assert_int_equal(pacing_clock_test_jump(&clock, at, step), 0);
    struct diagcap cap;
    diagcap_init(&cap);
    struct loop_options o = { .clock = &clock, .fps = 32, .duration = S(seconds),
                              .playlog = &log, .diag = &cap.diag };
    struct loop_sink sink = { NULL, NULL, NULL, NULL };
    assert_int_equal(loop_run(&e, &f, &o, &sink, NULL), 0);
    playlog_close(log);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, in)) {
        struct tm tm = { 0 };
        char *rest = strptime(line, "%Y-%m-%dT%H:%M:%S", &tm);
        assert_non_null(rest);
        assert_true(n < max);
        starts[n++] = (int64_t)timegm(&tm) - (rest[0] == '+' || rest[0] == '-' ?
            (rest[0] == '-' ? -1 : 1) * (atoi(rest + 1) * 3600 + atoi(rest + 4) * 60) : 0);
    }
    fclose(in);
    unlink(path);
    frame_release(&f);
    engine_free(e);
    return n;
}

static void jump_play_log(void **state)
{
    (void)state;
    int64_t starts[16];
    /* Pass k runs from k * 3.4375 s to 5.125 s later. Forward at clock 6 s
     * (wall 1006 s) by 100 s; the run ends at wall 1116 s. Logged: 291
     * (1000.3125 s, whole before the step). Not: 290 (under way at the
     * start), 292 (1003.75 s, cut by the step), 321 (1103.4375 s, under way
     * at the new time). Logged: 322 (1106.875 s) and 323 (1110.3125 s). */
    int n = logged_starts(S(1000), S(6), S(100), 16, starts, 16);
    assert_int_equal(n, 3);
    assert_int_equal(starts[0], 1000);
    assert_int_equal(starts[1], 1106);
    assert_int_equal(starts[2], 1110);
    /* Backward at clock 12 s (wall 1012 s) by 100 s, to 912 s; the run
     * ends at wall 921 s. Logged: 291 and 292 (1003.75 s). Not: 293
     * (1007.1875 s, cut), 264 and 265 (907.5 s and 910.9375 s, under way at
     * the new time). Logged: 266 (914.375 s to 919.5 s). */
    n = logged_starts(S(1000), S(12), -S(100), 21, starts, 16);
    assert_int_equal(n, 3);
    assert_int_equal(starts[0], 1000);
    assert_int_equal(starts[1], 1003);
    assert_int_equal(starts[2], 914);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(virtual_ten_seconds),
        cmocka_unit_test(late_frames_skip),
        cmocka_unit_test(final_frame_at_end),
        cmocka_unit_test(final_frame_on_grid),
        cmocka_unit_test(stop_flag),
        cmocka_unit_test(play_log_lines),
        cmocka_unit_test(jump_forward_into_emergency),
        cmocka_unit_test(jump_back_out_of_emergency),
        cmocka_unit_test(jump_play_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
