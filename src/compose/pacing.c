#include "compose/pacing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

static int64_t ts_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * PACING_NS_PER_SEC + ts->tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
    struct timespec ts = { .tv_sec = ns / PACING_NS_PER_SEC,
                           .tv_nsec = ns % PACING_NS_PER_SEC };
    if (ts.tv_nsec < 0) {
        ts.tv_nsec += PACING_NS_PER_SEC;
        ts.tv_sec--;
    }
    return ts;
}

static int64_t read_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts_ns(&ts);
}

/* Wall minus monotonic, read as a tight pair so that a preemption between
 * the two reads cannot pass for a jump. */
static int64_t measure_offset(void)
{
    int64_t best = 0, best_gap = INT64_MAX;
    for (int i = 0; i < 3; i++) {
        int64_t m0 = read_clock(CLOCK_MONOTONIC);
        int64_t w = read_clock(CLOCK_REALTIME);
        int64_t m1 = read_clock(CLOCK_MONOTONIC);
        if (m1 - m0 < best_gap) {
            best_gap = m1 - m0;
            best = w - (m0 + (m1 - m0) / 2);
        }
    }
    return best;
}

/* The kernel may wake a sleeper up to its timer slack (50 us by default)
 * late, to batch wake-ups; a frame deadline wants the wake-up on time. */
static void tighten_timer_slack(void)
{
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}

int pacing_clock_init_real(struct pacing_clock *c)
{
    memset(c, 0, sizeof *c);
    tighten_timer_slack();
    c->real_mono0 = read_clock(CLOCK_MONOTONIC);
    c->offset = measure_offset();
    return PACING_OK;
}

int pacing_clock_init_test(struct pacing_clock *c, int64_t wall_start, double rate)
{
    if (!(rate >= 0) || rate > 1e9)
        return PACING_ERR_INVALID;
    memset(c, 0, sizeof *c);
    c->testing = true;
    c->rate = rate;
    if (rate > 0)
        tighten_timer_slack();
    c->wall0 = wall_start;
    c->real_mono0 = read_clock(CLOCK_MONOTONIC);
    return PACING_OK;
}

int pacing_clock_test_jump(struct pacing_clock *c, int64_t at, int64_t step)
{
    if (!c->testing || at < 0)
        return PACING_ERR_INVALID;
    c->jump_at = at;
    c->jump_step = step;
    return PACING_OK;
}

int pacing_parse_jump(const char *s, int64_t *at, int64_t *step)
{
    if (!s)
        return PACING_ERR_INVALID;
    char *end;
    errno = 0;
    double a = strtod(s, &end);
    if (errno || end == s || *end != ':' || !(a >= 0) || a > 1e9)
        return PACING_ERR_INVALID;
    const char *rest = end + 1;
    double st = strtod(rest, &end);
    if (errno || end == rest || *end || st == 0 || !(st > -1e9 && st < 1e9))
        return PACING_ERR_INVALID;
    *at = (int64_t)(a * PACING_NS_PER_SEC + 0.5);
    *step = (int64_t)(st * PACING_NS_PER_SEC + (st > 0 ? 0.5 : -0.5));
    return PACING_OK;
}

int64_t pacing_now(const struct pacing_clock *c)
{
    if (c->testing && c->rate == 0)
        return c->virtual_now;
    int64_t real = read_clock(CLOCK_MONOTONIC) - c->real_mono0;
    return c->testing ? (int64_t)((double)real * c->rate) : real;
}

int64_t pacing_wall_at(const struct pacing_clock *c, int64_t mono)
{
    if (c->testing)
        return c->wall0 + mono + c->offset;
    return c->real_mono0 + mono + c->offset;
}

int pacing_sleep_until(struct pacing_clock *c, int64_t deadline)
{
    if (c->testing && c->rate == 0) {
        if (deadline > c->virtual_now)
            c->virtual_now = deadline;
        return PACING_OK;
    }
    int64_t real = c->testing ? (int64_t)((double)deadline / c->rate) : deadline;
    struct timespec ts = ns_ts(c->real_mono0 + real);
    int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    if (rc == EINTR)
        return PACING_ERR_INTERRUPTED;
    return rc == 0 ? PACING_OK : PACING_ERR_SYSTEM;
}

bool pacing_check_jump(struct pacing_clock *c, int64_t *step_ns)
{
    if (c->testing) {
        /* The injected step, seen the way a real one is: from this check on. */
        if (!c->jump_step || pacing_now(c) < c->jump_at)
            return false;
        c->offset += c->jump_step;
        if (step_ns)
            *step_ns = c->jump_step;
        c->jump_step = 0;
        return true;
    }
    int64_t now = measure_offset();
    int64_t step = now - c->offset;
    /* Slewing and drift are followed silently; they move the scroll by far
     * less than a pixel between frames. */
    c->offset = now;
    if (step_ns)
        *step_ns = step;
    return step > PACING_JUMP_NS || step < -PACING_JUMP_NS;
}

void pacing_frames_init(struct pacing_frames *f, int64_t start, double fps)
{
    if (!(fps > 0))
        fps = 60;
    f->start = start;
    f->period = (int64_t)((double)PACING_NS_PER_SEC / fps + 0.5);
    if (f->period < 1)
        f->period = 1;
    f->index = 0;
    f->dropped = 0;
}

int64_t pacing_frames_next(struct pacing_frames *f, int64_t now)
{
    int64_t next = f->index + 1;
    int64_t at = f->start + next * f->period;
    if (at <= now) {
        /* Late: go straight to the first grid point still ahead. */
        int64_t ahead = (now - f->start) / f->period + 1;
        f->dropped += (uint64_t)(ahead - next);
        next = ahead;
    }
    f->index = next;
    return f->start + next * f->period;
}

int pacing_parse_rate(const char *s, double *rate)
{
    if (!s)
        return PACING_ERR_INVALID;
    if (!strcmp(s, "max")) {
        *rate = 0;
        return PACING_OK;
    }
    char *end;
    errno = 0;
    double r = strtod(s, &end);
    if (errno || end == s || *end || !(r > 0) || r > 1e9)
        return PACING_ERR_INVALID;
    *rate = r;
    return PACING_OK;
}

const char *pacing_strerror(int err)
{
    switch (err) {
    case PACING_OK: return "success";
    case PACING_ERR_INVALID: return "invalid time or rate";
    case PACING_ERR_INTERRUPTED: return "interrupted by a signal";
    case PACING_ERR_SYSTEM: return "the system clock failed";
    }
    return "unknown pacing error";
}
