/* pacing — the engine's clocks and frame deadlines.
 *
 * Two times matter. Monotonic time paces frames: every frame has an
 * absolute deadline on a fixed grid, slept to with clock_nanosleep
 * (TIMER_ABSTIME), so a late frame never slows the scroll; the next frame
 * simply lands on the next grid point. Wall time decides what is shown: the
 * schedule and the scroll position are functions of it. Each frame's wall
 * time is its monotonic deadline plus the measured offset between the two
 * clocks, so frames stay evenly spaced while the wall clock is steady, and
 * a step of the wall clock (NTP, a wrong clock at boot) is seen at once.
 *
 * A testing clock replaces the real one for tests and the soak: it starts
 * at a chosen wall time and runs `rate` times faster than real time, or
 * with rate 0 ("max") never sleeps at all, so each deadline is reached at
 * once and a run is exactly reproducible. Its wall clock can be made to
 * step (pacing_clock_test_jump) to test what a real step does.
 *
 * All times are int64 nanoseconds; wall times count from the Unix epoch.
 */
#ifndef LEDTICKER_PACING_H
#define LEDTICKER_PACING_H

#include <stdbool.h>
#include <stdint.h>

#define PACING_NS_PER_SEC INT64_C(1000000000)

/* A wall-clock step larger than this is a jump, not drift or slewing. */
#define PACING_JUMP_NS (PACING_NS_PER_SEC / 2)

enum pacing_error {
    PACING_OK = 0,
    PACING_ERR_INVALID = -1,    /* bad argument or unparsable time */
    PACING_ERR_INTERRUPTED = -2,/* a signal woke the sleep: handle it, call again */
    PACING_ERR_SYSTEM = -3,     /* the OS clock failed */
};

struct pacing_clock {
    bool testing;
    double rate;            /* testing: clock seconds per real second; 0 = never sleep */
    int64_t real_mono0;     /* CLOCK_MONOTONIC when the clock was made */
    int64_t wall0;          /* testing: wall time at clock time 0 */
    int64_t offset;         /* real: wall minus monotonic, last measured;
                             * testing: the sum of the injected steps seen */
    int64_t virtual_now;    /* testing with rate 0: where the clock stands */
    int64_t jump_at;        /* testing: clock time of an injected wall step... */
    int64_t jump_step;      /* ...and its size (0: none pending) */
};

/* The real clocks. Making a clock that sleeps also sets this thread's
 * timer slack to 1 ns, so that wake-ups land on their deadlines. */
int pacing_clock_init_real(struct pacing_clock *c);
/* A testing clock: starts at `wall_start`, runs `rate` times real time
 * (rate 0: as fast as the work allows, never sleeping). */
int pacing_clock_init_test(struct pacing_clock *c, int64_t wall_start, double rate);

/* Testing: the wall clock steps by `step` ns (an NTP step, a clock set by
 * hand) once this clock's time reaches `at`; monotonic time goes on
 * evenly. Like the real clock's, the step is seen by pacing_check_jump. */
int pacing_clock_test_jump(struct pacing_clock *c, int64_t at, int64_t step);
/* Parses a --clock-jump value "AT_SECONDS:STEP_SECONDS" (AT >= 0, STEP a
 * non-zero signed number) into clock ns. */
int pacing_parse_jump(const char *s, int64_t *at, int64_t *step);

/* Monotonic time of this clock in ns; 0 when the clock was made. */
int64_t pacing_now(const struct pacing_clock *c);
/* The wall time that goes with monotonic instant `mono` of this clock. */
int64_t pacing_wall_at(const struct pacing_clock *c, int64_t mono);
/* Sleeps until this clock's monotonic time reaches `deadline`. Returns
 * PACING_ERR_INTERRUPTED when a signal arrived first. */
int pacing_sleep_until(struct pacing_clock *c, int64_t deadline);
/* Re-measures the wall clock's offset. Returns true (and the size of the
 * step in *step_ns, when not NULL) when the wall clock jumped since the
 * last call. The testing clock jumps only as pacing_clock_test_jump says. */
bool pacing_check_jump(struct pacing_clock *c, int64_t *step_ns);

/* Frame deadlines on a fixed grid from time `start`: deadline n is
 * start + n * period. */
struct pacing_frames {
    int64_t start, period;
    int64_t index;          /* the grid point of the last deadline given */
    uint64_t dropped;       /* grid points skipped because we were late */
};

void pacing_frames_init(struct pacing_frames *f, int64_t start, double fps);
/* The next deadline after the last one that is still ahead of `now`;
 * grid points already in the past are skipped and counted as dropped. */
int64_t pacing_frames_next(struct pacing_frames *f, int64_t now);

/* Parses a --clock-rate value: a positive number, or "max" (0). */
int pacing_parse_rate(const char *s, double *rate);

const char *pacing_strerror(int err);

#endif
