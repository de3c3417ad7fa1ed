#include "cli/loop.h"

#include <string.h>
#include <time.h>

/* CLOCK_MONOTONIC in ns: real time, whatever the testing clock does. */
static int64_t real_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void log_passes(const struct loop_options *o, const struct engine_info *info,
                       struct loop_stats *st)
{
    for (int i = 0; i < info->passes; i++) {
        const struct engine_pass *p = &info->pass[i];
        st->passes++;
        diag_debug(o->diag, "pass done: %s, %.3f s", p->id, (double)(p->end - p->start) / 1e9);
        if (o->playlog && *o->playlog)
            playlog_write(*o->playlog, p->start, p->end, p->id);
    }
}

int loop_run(struct engine **engine, struct frame *f, const struct loop_options *o,
             const struct loop_sink *sink, struct loop_stats *stats)
{
    struct loop_stats local = { 0 };
    struct loop_stats *st = stats ? stats : &local;
    int64_t *late = st->late;
    uint64_t cap = st->late_cap;
    memset(st, 0, sizeof *st);
    st->late = late;
    st->late_cap = cap;

    struct pacing_frames grid;
    /* A testing clock's time 0 is its start (--clock-start): the frame grid
     * and --seconds count from there, however long loading took. */
    int64_t now = o->clock->testing ? 0 : pacing_now(o->clock);
    pacing_frames_init(&grid, now, o->fps);
    int64_t deadline = now;
    bool was_emergency = false, was_off = false;
    int rc = 0;
    bool last = false;
    for (;;) {
        if (o->flags && o->flags->stop)
            break;
        if (last)
            break;
        if (o->duration > 0 && deadline - grid.start >= o->duration) {
            if (!o->final_frame || deadline - grid.start == o->duration)
                break;
            deadline = grid.start + o->duration;
            last = true;
        }
        int s = pacing_sleep_until(o->clock, deadline);
        if (s == PACING_ERR_INTERRUPTED)
            continue;       /* a signal: look at the flags, then sleep again */
        int64_t woke = pacing_now(o->clock);
        int64_t busy_from = real_now();
        int64_t lag = woke - deadline;
        if (lag > st->late_max)
            st->late_max = lag;
        if (st->late && st->frames < st->late_cap)
            st->late[st->frames] = lag;

        int64_t step;
        if (pacing_check_jump(o->clock, &step)) {
            diag_warn(o->diag, "the wall clock jumped by %+.1f s; the schedule follows it",
                      (double)step / 1e9);
            engine_wall_jumped(*engine);
        }
        int64_t wall = pacing_wall_at(o->clock, deadline);
        if (o->flags && o->flags->reload) {
            o->flags->reload = 0;
            if (o->playlog && *o->playlog)
                playlog_reopen(*o->playlog);
            if (sink->reload)
                sink->reload(sink->user, engine, wall);
        }
        struct engine_info info;
        int e = engine_frame(*engine, wall, f, &info);
        if (e != ENGINE_OK) {
            /* Out of memory (or a schedule that could not answer, which is
             * the same underneath): the panel keeps the last frame sent and
             * the loop tries the next deadline. Said once, and its end. */
            if (!st->failing++)
                diag_error(o->diag, "cannot compose a frame: %s; the panel keeps its last "
                           "frame until one can be made", engine_strerror(e));
            if (sink->alive)
                sink->alive(sink->user);
            deadline = pacing_frames_next(&grid, pacing_now(o->clock));
            continue;
        }
        if (st->failing) {
            diag_notice(o->diag, "frames are composed again (%llu failed)",
                        (unsigned long long)st->failing);
            st->failing = 0;
        }
        if (info.emergency != was_emergency)
            diag_info(o->diag, info.emergency ? "emergency: pre-empting the playlist"
                                              : "emergency over: resuming");
        if (info.off != was_off)
            diag_info(o->diag, info.off ? "off hours: panel dark" : "off hours over");
        was_emergency = info.emergency;
        was_off = info.off;
        log_passes(o, &info, st);
        if (sink->frame && sink->frame(sink->user, f, &info, deadline, wall) < 0) {
            rc = 1;
            break;
        }
        if (sink->alive)
            sink->alive(sink->user);
        int64_t busy = real_now() - busy_from;
        if (busy > st->busy_max)
            st->busy_max = busy;
        st->frames++;
        deadline = pacing_frames_next(&grid, pacing_now(o->clock));
    }
    st->dropped = grid.dropped;
    /* Grid points at or past the end of the run were never due: a late
     * wake-up near the end skips them, but they are not dropped frames. */
    if (o->duration > 0) {
        int64_t due = (o->duration + grid.period - 1) / grid.period;
        if (grid.index > due) {
            uint64_t beyond = (uint64_t)(grid.index - due);
            st->dropped -= beyond < st->dropped ? beyond : st->dropped;
        }
    }
    st->end = deadline;
    return rc;
}
