/* loop — the frame loop shared by `run` and `preview`.
 *
 * Each turn: the next deadline on the fixed frame grid (late ones are
 * skipped, never slowed down to), sleep until it (absolute, monotonic),
 * compose the engine's frame for that deadline's wall time, hand it to the
 * sink, log completed passes. Between frames it notices signals (stop,
 * reload, reopen the play log) and wall-clock jumps, and pets the
 * watchdog. `preview` runs the same loop on a testing clock that never
 * sleeps, so both see the same frames at the same times.
 */
#ifndef LEDTICKER_LOOP_H
#define LEDTICKER_LOOP_H

#include <signal.h>
#include <stdint.h>

#include "compose/engine.h"
#include "util/frame.h"
#include "compose/pacing.h"
#include "compose/playlog.h"
#include "util/diag.h"

struct loop_sink {
    void *user;
    /* A composed frame at clock time `mono` (wall time `wall`). Returns 0,
     * or negative to end the loop with a failure. */
    int (*frame)(void *user, const struct frame *f, const struct engine_info *info,
                 int64_t mono, int64_t wall);
    /* Asked on a reload request: replace *engine (continuing from it) or
     * leave it. It must not take long: `run` builds the new config on
     * another thread (showbuild.h) and only swaps it in here. May be NULL. */
    void (*reload)(void *user, struct engine **engine, int64_t wall);
    /* Called every turn; rate-limit inside (sd_notify). May be NULL. */
    void (*alive)(void *user);
};

/* Flags the signal handlers set; the loop clears reload and reopen. */
struct loop_flags {
    volatile sig_atomic_t stop, reload;
};

struct loop_options {
    struct pacing_clock *clock;
    double fps;
    int64_t duration;           /* clock ns to run; <= 0 = until stopped */
    bool final_frame;           /* when the duration ends, show the frame at exactly its
                                 * end too (so a run's last frame is known in tests) */
    struct loop_flags *flags;   /* may be NULL */
    struct playlog **playlog;   /* the caller's log (may change on reload); may be NULL */
    const struct diag *diag;
};

/* How the frames went, for logs and benchmarks. */
struct loop_stats {
    uint64_t frames, dropped, passes;
    int64_t late_max;           /* ns past a deadline that a frame started, at most */
    int64_t *late;              /* if not NULL: lateness of each frame, up to late_cap */
    uint64_t late_cap;
    int64_t end;                /* clock time at which the loop ended */
    uint64_t failing;           /* frames in a row the engine could not compose */
    int64_t busy_max;           /* real ns one turn's work took at most (compose, sink,
                                 * signals, play log, taking a reloaded config): what
                                 * must fit in a frame period */
};

/* Runs until the duration is over (0), a stop flag (0), or a failure of the
 * sink (1). A frame the engine cannot compose (out of memory) is skipped,
 * with one error when that starts and one notice when frames come again.
 * *engine may be replaced by the sink's reload. */
int loop_run(struct engine **engine, struct frame *f, const struct loop_options *o,
             const struct loop_sink *sink, struct loop_stats *stats);

#endif
