/* The timeline: scroll position as a function of time, changes that let
 * passes finish, emergency pre-emption and resume, determinism. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compose/timeline.h"

#define S(x) ((int64_t)((x) * 1e9))
#define W 64
#define SPEED 32.0
#define GAP 10

struct change {
    int64_t at;
    bool emergency;
    int count;
    struct timeline_item items[4];
};

struct fake_schedule {
    int n;
    struct change ch[8];
    int calls;
};

static int64_t fake_prev_change(void *user, int64_t t)
{
    struct fake_schedule *fs = user;
    int64_t best = INT64_MIN;
    for (int i = 0; i < fs->n; i++)
        if (fs->ch[i].at <= t && fs->ch[i].at > best)
            best = fs->ch[i].at;
    return best;
}

static int fake_playlist_at(void *user, int64_t t, struct timeline_playlist *out)
{
    struct fake_schedule *fs = user;
    fs->calls++;
    const struct change *c = NULL;
    for (int i = 0; i < fs->n; i++)
        if (fs->ch[i].at <= t && (!c || fs->ch[i].at > c->at))
            c = &fs->ch[i];
    out->emergency = c ? c->emergency : false;
    out->count = c ? c->count : 0;
    out->items = c ? c->items : NULL;
    return 0;
}

static struct timeline *make(struct fake_schedule *fs)
{
    struct timeline_params p = { .width = W, .gap = GAP, .speed = SPEED };
    struct timeline_source src = { fs, fake_prev_change, fake_playlist_at };
    struct timeline *tl;
    assert_int_equal(timeline_new(&tl, &p, &src), TIMELINE_OK);
    return tl;
}

static const struct timeline_view *find(const struct timeline_state *st, uint32_t key)
{
    for (int i = 0; i < st->count; i++)
        if (st->view[i].key == key)
            return &st->view[i];
    return NULL;
}

static struct timeline_state st;

static void position_follows_speed(void **state)
{
    (void)state;
    struct fake_schedule fs = { .n = 1, .ch = { { .at = S(1000), .count = 1,
                                                  .items = { { 1, 100, 0 } } } } };
    struct timeline *tl = make(&fs);
    /* It enters at the right edge when its segment starts... */
    assert_int_equal(timeline_at(tl, S(1000), &st), 0);
    assert_int_equal(st.count, 0);
    assert_true(st.active);
    /* ...and is x = W - speed * t afterwards, whatever times are asked. */
    const double times[] = { 0.5, 3.25, 1.0, 5.0 };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(timeline_at(tl, S(1000 + times[i]), &st), 0);
        const struct timeline_view *v = find(&st, 1);
        assert_non_null(v);
        assert_true(fabs(v->x - (W - SPEED * times[i])) < 1e-6);
        assert_int_equal(v->pass_start, S(1000));
        assert_int_equal(v->pass_end, S(1000) + S((W + 100) / SPEED));
    }
    /* Fully out at the left (W + 100 px later), and the next copy follows
     * GAP px behind: it entered (100 + GAP) / SPEED s after the first. */
    assert_int_equal(timeline_at(tl, S(1000) + S((W + 100) / SPEED), &st), 0);
    assert_int_equal(st.count, 1);
    assert_true(fabs(st.view[0].x - (W - (W + 100 - 100 - GAP))) < 1e-6);
    assert_int_equal(st.view[0].pass_start, S(1000) + S((100 + GAP) / SPEED));
    timeline_free(tl);
}

static void hold_pauses_at_left_edge(void **state)
{
    (void)state;
    struct fake_schedule fs = { .n = 1, .ch = { { .at = S(0.0) + S(50), .count = 1,
                                                  .items = { { 7, 20, S(2) } } } } };
    struct timeline *tl = make(&fs);
    int64_t a = S(50), reach = S(W / SPEED);  /* start reaches x = 0 after 2 s */
    assert_int_equal(timeline_at(tl, a + reach - S(0.5), &st), 0);
    assert_true(fabs(find(&st, 7)->x - 16) < 1e-6);
    assert_int_equal(timeline_at(tl, a + reach + S(1), &st), 0);
    assert_true(find(&st, 7)->holding);
    assert_true(find(&st, 7)->x == 0);
    assert_int_equal(find(&st, 7)->hold_left, S(1));
    assert_int_equal(timeline_at(tl, a + reach + S(2.5), &st), 0);
    assert_false(find(&st, 7)->holding);
    assert_true(fabs(find(&st, 7)->x + 16) < 1e-6);
    assert_int_equal(find(&st, 7)->pass_end, a + S((W + 20) / SPEED) + S(2));
    timeline_free(tl);
}

/* A change mid-pass: the pass finishes; the new playlist follows it. */
static void change_finishes_pass(void **state)
{
    (void)state;
    struct fake_schedule fs = { .n = 2, .ch = {
        { .at = S(100), .count = 1, .items = { { 1, 200, 0 } } },
        { .at = S(103), .count = 1, .items = { { 2, 50, 0 } } } } };
    struct timeline *tl = make(&fs);
    assert_int_equal(timeline_at(tl, S(104), &st), 0);
    const struct timeline_view *a = find(&st, 1);
    assert_non_null(a);
    assert_true(fabs(a->x - (W - SPEED * 4)) < 1e-6);   /* still on course */
    assert_null(find(&st, 2));
    /* Message 2 enters GAP px after the end of message 1. */
    int64_t enters = S(100) + S((200 + GAP) / SPEED);
    assert_int_equal(timeline_at(tl, enters + S(1), &st), 0);
    assert_non_null(find(&st, 1));
    assert_true(fabs(find(&st, 2)->x - (W - SPEED)) < 1e-3);
    /* And it is never message 1 again. */
    assert_int_equal(timeline_at(tl, S(200), &st), 0);
    assert_null(find(&st, 1));
    timeline_free(tl);
}

static void emergency_preempts_and_resumes(void **state)
{
    (void)state;
    struct fake_schedule fs = { .n = 3, .ch = {
        { .at = S(100), .count = 2, .items = { { 1, 300, 0 }, { 2, 40, 0 } } },
        { .at = S(105), .emergency = true, .count = 1, .items = { { 9, 30, 0 } } },
        { .at = S(110), .count = 2, .items = { { 1, 300, 0 }, { 2, 40, 0 } } } } };
    struct timeline *tl = make(&fs);
    assert_int_equal(timeline_at(tl, S(105) - 1, &st), 0);
    double x_before = find(&st, 1)->x;
    /* Within one frame of the emergency, only it shows. */
    assert_int_equal(timeline_at(tl, S(105) + S(1.0 / 60), &st), 0);
    assert_true(st.emergency);
    assert_null(find(&st, 1));
    assert_non_null(find(&st, 9));
    /* At 110 an emergency pass is under way; it finishes at its pass end. */
    assert_int_equal(timeline_at(tl, S(110), &st), 0);
    assert_non_null(find(&st, 9));
    int64_t resume = 0;
    for (int i = 0; i < st.count; i++)
        if (st.view[i].pass_end > resume)
            resume = st.view[i].pass_end;
    assert_null(find(&st, 1));
    /* Then message 1 is back where the emergency found it. */
    assert_int_equal(timeline_at(tl, resume, &st), 0);
    assert_false(st.emergency);
    assert_non_null(find(&st, 1));
    assert_true(fabs(find(&st, 1)->x - x_before) < 1e-3);
    assert_null(find(&st, 9));
    /* ...and goes on at the same speed. */
    assert_int_equal(timeline_at(tl, resume + S(1), &st), 0);
    assert_true(fabs(find(&st, 1)->x - (x_before - SPEED)) < 1e-3);
    timeline_free(tl);
}

/* What shows at T depends on T only: a timeline that walked there frame by
 * frame agrees with one asked about T cold. */
static void deterministic(void **state)
{
    (void)state;
    struct fake_schedule fs = { .n = 4, .ch = {
        { .at = S(100), .count = 2, .items = { { 1, 120, S(1) }, { 2, 40, 0 } } },
        { .at = S(131), .count = 1, .items = { { 3, 90, 0 } } },
        { .at = S(140), .emergency = true, .count = 1, .items = { { 9, 30, 0 } } },
        { .at = S(146), .count = 2, .items = { { 1, 120, S(1) }, { 3, 90, 0 } } } } };
    struct timeline *walker = make(&fs);
    struct timeline_state cold;
    for (int64_t t = S(100); t < S(220); t += S(1.0 / 60)) {
        assert_int_equal(timeline_at(walker, t, &st), 0);
        if ((t / S(1.0 / 60)) % 97)
            continue;
        struct timeline *fresh = make(&fs);
        assert_int_equal(timeline_at(fresh, t, &cold), 0);
        assert_int_equal(cold.count, st.count);
        for (int i = 0; i < st.count; i++) {
            assert_int_equal(cold.view[i].key, st.view[i].key);
            assert_true(fabs(cold.view[i].x - st.view[i].x) < 1e-9);
        }
        timeline_free(fresh);
    }
    timeline_free(walker);
}

/* Frame to frame, every visible message moves left by speed * dt, never
 * jumps, over changes and cycles: smooth scrolling. */
static void never_jumps(void **state)
{
    (void)state;
    struct fake_schedule fs = { .n = 2, .ch = {
        { .at = S(0), .count = 2, .items = { { 1, 70, 0 }, { 2, 10, 0 } } },
        { .at = S(7), .count = 1, .items = { { 3, 33, 0 } } } } };
    struct timeline *tl = make(&fs);
    struct timeline_state prev;
    int64_t dt = S(1.0 / 60);
    assert_int_equal(timeline_at(tl, S(0), &prev), 0);
    for (int64_t t = dt; t < S(30); t += dt) {
        assert_int_equal(timeline_at(tl, t, &st), 0);
        for (int i = 0; i < st.count; i++)
            for (int j = 0; j < prev.count; j++)
                if (prev.view[j].key == st.view[i].key &&
                    prev.view[j].pass_start == st.view[i].pass_start)
                    assert_true(fabs(prev.view[j].x - st.view[i].x - SPEED / 60) < 1e-3);
        prev = st;
    }
    timeline_free(tl);
}

static void reload_continues(void **state)
{
    (void)state;
    struct fake_schedule old = { .n = 1, .ch = { { .at = S(0), .count = 1,
                                                   .items = { { 1, 200, 0 } } } } };
    struct fake_schedule neu = { .n = 1, .ch = { { .at = S(0), .count = 1,
                                                   .items = { { 0x10001, 50, 0 } } } } };
    struct timeline *a = make(&old), *b = make(&neu);
    assert_int_equal(timeline_at(a, S(3), &st), 0);
    double x = find(&st, 1)->x;
    assert_int_equal(timeline_continue_from(b, &st), 0);
    assert_int_equal(timeline_at(b, S(4), &st), 0);
    assert_non_null(find(&st, 1));
    assert_true(fabs(find(&st, 1)->x - (x - SPEED)) < 1e-6);
    assert_null(find(&st, 0x10001));
    assert_int_equal(timeline_at(b, S((200 + GAP) / SPEED) + S(0.5), &st), 0);
    assert_non_null(find(&st, 0x10001));
    timeline_free(a);
    timeline_free(b);
}

static void bad_params(void **state)
{
    (void)state;
    struct fake_schedule fs = { 0 };
    struct timeline_source src = { &fs, fake_prev_change, fake_playlist_at };
    struct timeline_params p = { .width = W, .gap = 0, .speed = SPEED };
    struct timeline *tl;
    assert_int_equal(timeline_new(&tl, &p, &src), TIMELINE_ERR_INVALID);
    p.gap = 1;
    p.speed = 0;
    assert_int_equal(timeline_new(&tl, &p, &src), TIMELINE_ERR_INVALID);
    p.speed = 10;
    assert_int_equal(timeline_new(&tl, &p, &src), 0);
    assert_int_equal(timeline_at(tl, S(5), &st), 0);
    assert_false(st.active);
    assert_int_equal(st.count, 0);
    timeline_free(tl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(position_follows_speed),
        cmocka_unit_test(hold_pauses_at_left_edge),
        cmocka_unit_test(change_finishes_pass),
        cmocka_unit_test(emergency_preempts_and_resumes),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(never_jumps),
        cmocka_unit_test(reload_continues),
        cmocka_unit_test(bad_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
