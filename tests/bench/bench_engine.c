/* make bench: the ticker's frame loop on the example config and the
 * 256x32 board, each frame composed and encoded for the wire (the bytes
 * are dropped, as record:/dev/null would).
 *   1. CPU time per frame at 60 fps (goal <= 60 us, <= 0.4% of one core):
 *      one clock minute on the testing clock that never sleeps, after a
 *      warm-up (strips are rendered once per message, on first use); the
 *      same on a 512x64 panel (goal < 200 us). It is loop_run, the loop
 *      `run` drives, with the encoder as its sink.
 *   2. Frame-time jitter over 10 s of real time at 60 fps: how late each
 *      frame started after its deadline, p50 / p99 / max (goal p99 < 1 ms),
 *      and the CPU share measured over those 10 s.
 * What runs per frame: schedule lookup, timeline, compositing, light, and
 * the encoder (SCROLL detection, dirty rectangles, RLE). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/loop.h"
#include "cli/show.h"
#include "protocol/encoder.h"
#include "schedule/civil.h"
#include "ledproto.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t wire_bytes;

/* Encodes each frame as run does and drops the bytes. */
static int encode_frame(void *user, const struct frame *f, const struct engine_info *info,
                        int64_t mono, int64_t wall)
{
    struct encoder *enc = user;
    (void)info, (void)wall;
    static uint32_t seq;
    if (encoder_frame(enc, f, seq++, (uint32_t)(mono / 1000000)) != ENCODER_OK)
        return -1;
    const uint8_t *p;
    size_t n;
    while (encoder_peek(enc, SIZE_MAX, &p, &n) == ENCODER_OK) {
        wire_bytes += n;
        encoder_consume(enc, n);
    }
    return 0;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The example config on a w x h panel. */
static struct engine *make_engine(int w, int h)
{
    struct diag d = { 0 };
    struct show *s;
    if (show_load(&s, "examples/lishi.ini", NULL, NULL, 1, &d) != 0)
        return NULL;
    struct show_panel panel = { w, h, false };
    struct engine *e;
    if (show_engine(s, &panel, &e) != 0) {
        show_free(s);
        return NULL;
    }
    return e;
}

/* What one panel size needs: the engine, its frame, the encoder. */
struct rig {
    int w, h;
    struct engine *e;
    struct frame f;
    struct encoder *enc;
    struct loop_sink sink;
};

static int rig_open(struct rig *r, int w, int h)
{
    r->w = w;
    r->h = h;
    r->e = make_engine(w, h);
    if (!r->e || frame_init(&r->f, w, h) != 0 ||
        encoder_new(&r->enc, w, h, LEDPROTO_FMT_RGB888 | LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_MONO1) != 0) {
        fprintf(stderr, "bench_engine: cannot load examples/lishi.ini for %dx%d\n", w, h);
        return -1;
    }
    r->sink = (struct loop_sink){ r->enc, encode_frame, NULL, NULL };
    return 0;
}

static void rig_close(struct rig *r)
{
    encoder_free(r->enc);
    frame_release(&r->f);
    engine_free(r->e);
}

/* CPU seconds per frame of the frame loop at 60 fps over one clock minute
 * from `start`, after a 5 s warm-up (strips are rendered on first use). */
static double cpu_per_frame(struct rig *r, int64_t start, double *bytes_per_frame)
{
    struct pacing_clock clock;
    pacing_clock_init_test(&clock, start, 0);
    struct loop_options o = { .clock = &clock, .fps = 60, .duration = 5 * PACING_NS_PER_SEC };
    struct loop_stats st = { 0 };
    loop_run(&r->e, &r->f, &o, &r->sink, &st);
    pacing_clock_init_test(&clock, start + 5 * PACING_NS_PER_SEC, 0);
    o.duration = 60 * PACING_NS_PER_SEC;
    wire_bytes = 0;
    double c0 = cpu_seconds();
    loop_run(&r->e, &r->f, &o, &r->sink, &st);
    double c1 = cpu_seconds();
    *bytes_per_frame = (double)wire_bytes / (double)st.frames;
    return (c1 - c0) / (double)st.frames;
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    time_t start_s = 0;
    civil_parse_instant("2026-03-02 09:30:00", &start_s);
    int64_t start = (int64_t)start_s * PACING_NS_PER_SEC;
    int missed = 0;

    /* 1. CPU per frame, steady state: the hub75-256x32 board (four 64x32
     * panels), then a 512x64 wall. */
    struct rig big;
    if (rig_open(&big, 512, 64) != 0)
        return 1;
    double big_bytes, big_frame = cpu_per_frame(&big, start, &big_bytes);
    rig_close(&big);
    struct rig r;
    if (rig_open(&r, 256, 32) != 0)
        return 1;
    double bytes, per_frame = cpu_per_frame(&r, start, &bytes);
    int ok_us = per_frame * 1e6 <= 60, ok_share = per_frame * 60 * 100 <= 0.4;
    printf("frame loop + encoder, %dx%d, 60 fps: %.1f us CPU per frame (goal <= 60 us) %s"
           " = %.2f%% of one core (goal <= 0.4%%) %s; %.0f bytes per frame on the wire\n",
           r.w, r.h, per_frame * 1e6, ok_us ? "ok" : "MISSED", per_frame * 60 * 100,
           ok_share ? "ok" : "MISSED", bytes);
    int ok_big = big_frame * 1e6 < 200;
    printf("frame loop + encoder, %dx%d, 60 fps: %.1f us CPU per frame (goal < 200 us) %s"
           " = %.2f%% of one core; %.0f bytes per frame on the wire\n",
           big.w, big.h, big_frame * 1e6, ok_big ? "ok" : "MISSED", big_frame * 60 * 100,
           big_bytes);
    missed |= !ok_us || !ok_share || !ok_big;
    struct pacing_clock clock;
    struct loop_options o = { .clock = &clock, .fps = 60 };

    /* 2. Jitter over 10 s of real time. */
    uint64_t cap = 60 * 12;
    int64_t *late = calloc(cap, sizeof *late);
    struct loop_stats js = { .late = late, .late_cap = cap };
    pacing_clock_init_test(&clock, start + 65 * PACING_NS_PER_SEC, 1);
    o.duration = 10 * PACING_NS_PER_SEC;
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    loop_run(&r.e, &r.f, &o, &r.sink, &js);
    getrusage(RUSAGE_SELF, &r1);
    uint64_t n = js.frames < cap ? js.frames : cap;
    qsort(late, n, sizeof *late, cmp64);
    double used = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                  (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    int ok_p99 = n > 0 && late[n * 99 / 100] < 1000000, ok_cpu = used / 10 * 100 < 2;
    missed |= !ok_p99 || !ok_cpu;
    printf("frame jitter over 10 s real time, %llu frames (%llu dropped): p50 %.0f us, p99 %.0f us, max %.0f us"
           "  (goal p99 < 1000 us) %s\n",
           (unsigned long long)js.frames, (unsigned long long)js.dropped, late[n / 2] / 1e3,
           late[n * 99 / 100] / 1e3, late[n - 1] / 1e3, ok_p99 ? "ok" : "MISSED");
    printf("CPU over those 10 s: %.2f%% of one core  (goal < 2%%) %s\n", used / 10 * 100,
           ok_cpu ? "ok" : "MISSED");
    double load[1];
    if (getloadavg(load, 1) == 1)
        printf("load average during the run: %.2f on %ld cores (jitter is the machine's as much as ours)\n",
               load[0], sysconf(_SC_NPROCESSORS_ONLN));
    free(late);
    rig_close(&r);
    return missed;
}
