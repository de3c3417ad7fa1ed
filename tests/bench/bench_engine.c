/* make bench: the ticker's frame loop on the example config and the
 * 256x32 board, each frame composed and encoded for the wire (the bytes
 * are dropped, as record:/dev/null would).
 *   1. CPU time per frame at 60 fps, as a share of one core (goal < 2%):
 *      one clock minute on the testing clock that never sleeps, after a
 *      warm-up (strips are rendered once per message, on first use).
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

/* The example config on a 256x32 panel. */
static struct engine *make_engine(int *w, int *h)
{
    struct diag d = { 0 };
    struct show *s;
    if (show_load(&s, "examples/lishi.ini", NULL, NULL, 1, &d) != 0)
        return NULL;
    *w = 256;       /* the hub75-256x32 board: four 64x32 panels */
    *h = 32;
    struct show_panel panel = { *w, *h, false };
    struct engine *e;
    if (show_engine(s, &panel, &e) != 0) {
        show_free(s);
        return NULL;
    }
    return e;
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    int w, h;
    struct engine *e = make_engine(&w, &h);
    if (!e) {
        fprintf(stderr, "bench_engine: cannot load examples/lishi.ini\n");
        return 1;
    }
    struct frame f;
    frame_init(&f, w, h);
    time_t start_s = 0;
    civil_parse_instant("2026-03-02 09:30:00", &start_s);
    int64_t start = (int64_t)start_s * PACING_NS_PER_SEC;
    struct encoder *enc;
    if (encoder_new(&enc, w, h, LEDPROTO_FMT_RGB888 | LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_MONO1) != 0) {
        fprintf(stderr, "bench_engine: no encoder\n");
        return 1;
    }
    struct loop_sink sink = { enc, encode_frame, NULL, NULL };

    /* 1. CPU per frame, steady state. */
    struct pacing_clock clock;
    pacing_clock_init_test(&clock, start, 0);
    struct loop_options o = { .clock = &clock, .fps = 60, .duration = 5 * PACING_NS_PER_SEC };
    struct loop_stats st = { 0 };
    loop_run(&e, &f, &o, &sink, &st);                   /* warm-up: strips rendered */
    pacing_clock_init_test(&clock, start + 5 * PACING_NS_PER_SEC, 0);
    o.duration = 60 * PACING_NS_PER_SEC;
    wire_bytes = 0;
    double c0 = cpu_seconds();
    loop_run(&e, &f, &o, &sink, &st);
    double c1 = cpu_seconds();
    double per_frame = (c1 - c0) / (double)st.frames;
    printf("frame loop + encoder, %dx%d, 60 fps: %.1f us CPU per frame = %.2f%% of one core"
           "  (goal < 2%%); %.0f bytes per frame on the wire\n",
           w, h, per_frame * 1e6, per_frame * 60 * 100, (double)wire_bytes / (double)st.frames);

    /* 2. Jitter over 10 s of real time. */
    uint64_t cap = 60 * 12;
    int64_t *late = calloc(cap, sizeof *late);
    struct loop_stats js = { .late = late, .late_cap = cap };
    pacing_clock_init_test(&clock, start + 65 * PACING_NS_PER_SEC, 1);
    o.duration = 10 * PACING_NS_PER_SEC;
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    loop_run(&e, &f, &o, &sink, &js);
    getrusage(RUSAGE_SELF, &r1);
    uint64_t n = js.frames < cap ? js.frames : cap;
    qsort(late, n, sizeof *late, cmp64);
    double used = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                  (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    printf("frame jitter over 10 s real time, %llu frames (%llu dropped): p50 %.0f us, p99 %.0f us, max %.0f us"
           "  (goal p99 < 1000 us)\n",
           (unsigned long long)js.frames, (unsigned long long)js.dropped, late[n / 2] / 1e3,
           late[n * 99 / 100] / 1e3, late[n - 1] / 1e3);
    printf("CPU over those 10 s: %.2f%% of one core  (goal < 2%%)\n", used / 10 * 100);
    double load[1];
    if (getloadavg(load, 1) == 1)
        printf("load average during the run: %.2f on %ld cores (jitter is the machine's as much as ours)\n",
               load[0], sysconf(_SC_NPROCESSORS_ONLN));
    free(late);
    encoder_free(enc);
    frame_release(&f);
    engine_free(e);
    return 0;
}
