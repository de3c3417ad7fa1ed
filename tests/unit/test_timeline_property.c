/* Property test of the timeline on random schedules (fixed seeds, so a
 * failure reproduces): random playlists, widths, holds and emergencies,
 * changing every 5-60 s. For every frame at 50 fps:
 *   - a timeline asked cold about T agrees with one that walked to T;
 *   - a message on screen in two frames in a row moved left by exactly
 *     speed * dt, or stood still in its hold (smooth, never jumps back);
 *   - messages never overlap: each starts at least `gap` px after the end
 *     of the one before it, except that an emergency clears the zone;
 *   - a message's pass, once started, is either completed or pre-empted by
 *     an emergency; nothing vanishes mid-zone otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/timeline.h"

#define S(x) ((int64_t)((x) * 1e9))
#define W 96
#define GAP 12
#define SPEED 40.0
#define CHANGES 24

struct change {
    int64_t at;
    bool emergency;
    int count;
    struct timeline_item items[5];
};

struct schedule {
    struct change ch[CHANGES];
};

static int64_t prev_change(void *user, int64_t t)
{
    struct schedule *s = user;
    int64_t best = INT64_MIN;
    for (int i = 0; i < CHANGES; i++)
        if (s->ch[i].at <= t)
            best = s->ch[i].at;
    return best;
}

static int playlist_at(void *user, int64_t t, struct timeline_playlist *out)
{
    struct schedule *s = user;
    const struct change *c = NULL;
    for (int i = 0; i < CHANGES; i++)
        if (s->ch[i].at <= t)
            c = &s->ch[i];
    *out = (struct timeline_playlist){ c && c->emergency, c ? c->count : 0, c ? c->items : NULL };
    return 0;
}

static uint32_t rng;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void make_schedule(struct schedule *s, uint32_t seed)
{
    rng = seed;
    int64_t at = S(100);
    for (int i = 0; i < CHANGES; i++) {
        struct change *c = &s->ch[i];
        c->at = at;
        c->emergency = next() % 6 == 0;
        c->count = (int)(next() % 4);         /* 0: idle */
        for (int j = 0; j < c->count; j++) {
            /* Keys: a small pool, so playlists repeat and resume. */
            uint32_t k = 1 + next() % 6 + (c->emergency ? 100 : 0);
            c->items[j] = (struct timeline_item){ k, (int)(k * 37 % 200) + 5,
                                                  k % 3 == 0 ? S(0.5) : 0 };
        }
        at += S(5 + next() % 56);
    }
}

static struct timeline *make(struct schedule *s)
{
    struct timeline_params p = { W, GAP, SPEED };
    struct timeline_source src = { s, prev_change, playlist_at };
    struct timeline *tl;
    assert_int_equal(timeline_new(&tl, &p, &src), 0);
    return tl;
}

static const struct timeline_view *same_pass(const struct timeline_state *st,
                                             const struct timeline_view *v)
{
    for (int i = 0; i < st->count; i++)
        if (st->view[i].key == v->key && st->view[i].pass_start == v->pass_start)
            return &st->view[i];
    return NULL;
}

static struct timeline_state a, b, prev;

/* Is a message holding, or about to (its start within a frame's travel of
 * the left edge, with a hold to come)? */
static bool near_hold(const struct timeline_state *st)
{
    for (int i = 0; i < st->count; i++)
        if (st->view[i].holding ||
            (st->view[i].hold > 0 && st->view[i].x >= -1e-6 && st->view[i].x <= SPEED * 0.02 + 1e-6))
            return true;
    return false;
}

static void random_schedules(void **state)
{
    (void)state;
    int64_t dt = S(0.02);
    for (uint32_t seed = 1; seed <= 12; seed++) {
        struct schedule s;
        make_schedule(&s, seed * 2654435761u);
        struct timeline *walker = make(&s);
        bool have_prev = false;
        int64_t end = s.ch[CHANGES - 1].at + S(60);
        for (int64_t t = S(100); t < end; t += dt) {
            assert_int_equal(timeline_at(walker, t, &a), 0);
            /* Cold agreement, every 37th frame. */
            if ((t / dt) % 37 == 0) {
                struct timeline *cold = make(&s);
                assert_int_equal(timeline_at(cold, t, &b), 0);
                assert_int_equal(a.count, b.count);
                for (int i = 0; i < a.count; i++) {
                    assert_int_equal(a.view[i].key, b.view[i].key);
                    assert_true(fabs(a.view[i].x - b.view[i].x) < 1e-6);
                }
                timeline_free(cold);
            }
            /* No overlap: left to right, gap px apart at least. */
            for (int i = 1; i < a.count; i++)
                assert_true(a.view[i].x >= a.view[i - 1].x + a.view[i - 1].width + GAP - 1e-6);
            if (have_prev) {
                for (int i = 0; i < prev.count; i++) {
                    const struct timeline_view *p = &prev.view[i];
                    const struct timeline_view *n = same_pass(&a, p);
                    if (n) {
                        double moved = p->x - n->x;
                        /* Exactly speed * dt, less the part of dt spent holding. */
                        if (!(moved <= SPEED * 0.02 + 1e-6 && moved >= -1e-6)) {
                            fprintf(stderr, "seed %u t %.3f key %u moved %.4f\n", seed,
                                    t / 1e9, p->key, moved);
                            fail();
                        }
                        /* The whole tape stops while any message holds. */
                        if (!near_hold(&prev) && !near_hold(&a) && fabs(moved - SPEED * 0.02) > 1e-6) {
                            fprintf(stderr, "seed %u t %.3f key %u moved %.6f\n", seed, t / 1e9,
                                    p->key, moved);
                            fail();
                        }
                    } else if (!a.emergency || prev.emergency) {
                        /* Gone without an emergency: it must have left the zone. */
                        if (!(p->x + p->width - SPEED * 0.02 <= 1e-6)) {
                            fprintf(stderr, "seed %u t %.3f key %u vanished at x %.2f\n", seed,
                                    t / 1e9, p->key, p->x);
                            fail();
                        }
                    }
                }
            }
            prev = a;
            have_prev = true;
        }
        timeline_free(walker);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_schedules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
