/* fleetjitter — frame-time jitter of the frame loop with and without a
 * fleet kiosk client (the pacing half of issue 13: the MQTT client never
 * delays a frame). Run by tests/bench/fleet_jitter.sh, which starts the
 * broker and writes the kiosk's config:
 *
 *   fleetjitter KIOSK.INI ROUNDS SECONDS
 *
 * The frame loop `run` uses (loop_run) plays examples/lishi.ini on the
 * 256x32 board at 60 fps in real time, each frame encoded for the wire, as
 * bench_engine's jitter part does. Each round measures SECONDS without a
 * client, then SECONDS with one: the kiosk client of KIOSK.INI's [fleet],
 * started as `run` starts it (fleetrun_start: its own thread, the same
 * config checks), connected to the broker, publishing its status every
 * second, fed the loop's state from the frame sink as `run` feeds it.
 * Prints the p50/p99/max lateness of each set and the p99 difference
 * beside the goal (within 200 us); MISSED and exit 1 on a miss. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cfgcheck.h"
#include "cli/fleetlayers.h"
#include "cli/fleetrun.h"
#include "cli/loop.h"
#include "cli/show.h"
#include "fleet/kiosk.h"
#include "ledproto.h"
#include "protocol/encoder.h"
#include "schedule/civil.h"
#include "schedule/reload.h"

#define GOAL_NS 200000

struct rig {
    struct engine *e;
    struct frame f;
    struct encoder *enc;
    uint32_t seq;
    struct fleetrun *fleet;     /* NULL: no client this round */
    const struct loop_stats *stats;
};

static int64_t real_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void fill_state(void *user, struct kiosk_state *s)
{
    struct rig *r = user;
    snprintf(s->playing, sizeof s->playing, "bench");
    snprintf(s->controller, sizeof s->controller, "record, board hub75-256x32");
    s->frames = r->stats ? r->stats->frames : 0;
    s->dropped = r->stats ? r->stats->dropped : 0;
}

/* As run's sink: encode the frame, then hand the state over (rate-limited). */
static int sink_frame(void *user, const struct frame *f, const struct engine_info *info,
                      int64_t mono, int64_t wall)
{
    struct rig *r = user;
    (void)info, (void)wall;
    if (encoder_frame(r->enc, f, r->seq++, (uint32_t)(mono / 1000000)) != ENCODER_OK)
        return -1;
    const uint8_t *p;
    size_t n;
    while (encoder_peek(r->enc, SIZE_MAX, &p, &n) == ENCODER_OK)
        encoder_consume(r->enc, n);
    fleetrun_tick(r->fleet, real_now(), fill_state, r);
    return 0;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One measurement of `seconds` of real time, lateness appended to set. */
static void measure(struct rig *r, int64_t start, double seconds, int64_t *set, size_t *n,
                    size_t cap, uint64_t *dropped)
{
    struct pacing_clock clock;
    pacing_clock_init_test(&clock, start, 1);
    struct loop_options o = { .clock = &clock, .fps = 60,
                              .duration = (int64_t)(seconds * PACING_NS_PER_SEC) };
    struct loop_stats st = { .late = set + *n, .late_cap = cap - *n };
    struct loop_sink sink = { r, sink_frame, NULL, NULL };
    r->stats = &st;
    loop_run(&r->e, &r->f, &o, &sink, &st);
    r->stats = NULL;
    *n += st.frames < cap - *n ? st.frames : cap - *n;
    *dropped += st.dropped;
}

static void report(const char *what, int64_t *set, size_t n, uint64_t dropped)
{
    qsort(set, n, sizeof *set, cmp64);
    printf("frame jitter %s: %zu frames (%llu dropped): p50 %.0f us, p99 %.0f us, max %.0f us\n",
           what, n, (unsigned long long)dropped, set[n / 2] / 1e3, set[n * 99 / 100] / 1e3,
           set[n - 1] / 1e3);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fleetjitter KIOSK.INI ROUNDS SECONDS\n");
        return 2;
    }
    const char *kiosk_ini = argv[1];
    int rounds = atoi(argv[2]);
    double seconds = atof(argv[3]);
    setenv("TZ", "Asia/Shanghai", 1);
    struct diag d = { 0 };
    time_t t0 = 0;
    civil_parse_instant("2026-03-02 09:30:00", &t0);
    int64_t start = (int64_t)t0 * PACING_NS_PER_SEC;

    /* The show and encoder, warmed up (strips are rendered on first use). */
    struct rig r = { 0 };
    struct show *s;
    struct show_panel panel = { 256, 32, false };
    if (show_load(&s, "examples/lishi.ini", NULL, NULL, 1, &d) != 0 ||
        show_engine(s, &panel, &r.e) != 0 || frame_init(&r.f, 256, 32) != 0 ||
        encoder_new(&r.enc, 256, 32, LEDPROTO_FMT_RGB888 | LEDPROTO_FMT_RGB565) != 0) {
        fprintf(stderr, "fleetjitter: cannot load examples/lishi.ini\n");
        return 1;
    }
    struct pacing_clock warm;
    pacing_clock_init_test(&warm, start, 0);
    struct loop_options wo = { .clock = &warm, .fps = 60, .duration = 5 * PACING_NS_PER_SEC };
    struct loop_sink wsink = { &r, sink_frame, NULL, NULL };
    loop_run(&r.e, &r.f, &wo, &wsink, NULL);

    /* The kiosk's config, loaded as run loads it, for the client's checks. */
    struct cfgcheck checks = { 0 };
    char boards[4096];
    struct reload_options ro = { 0 };
    struct fleetlayers fl;
    struct reload *rl = NULL;
    if (cfgcheck_find_boards(&checks, NULL, kiosk_ini, boards, sizeof boards) ||
        cfgcheck_load_calendar(&checks, NULL, &d))
        return 1;
    cfgcheck_install(&ro.config, &checks);
    if (fleetlayers_open(&fl, kiosk_ini, &ro.config, &d) != 0 || !fl.fleet) {
        fprintf(stderr, "fleetjitter: %s has no usable [fleet]\n", kiosk_ini);
        return 1;
    }
    fleetlayers_install(&fl, &ro.config);
    if (reload_new(&rl, kiosk_ini, &ro, &d) != RELOAD_OK)
        return 1;

    size_t cap = (size_t)(rounds * seconds * 60 + 60);
    int64_t *without = calloc(cap, sizeof *without), *with = calloc(cap, sizeof *with);
    size_t n0 = 0, n1 = 0;
    uint64_t drop0 = 0, drop1 = 0;
    int missed = 0;
    for (int i = 0; i < rounds && !missed; i++) {
        int64_t at = start + (int64_t)(i * 2 * seconds + 10) * PACING_NS_PER_SEC;
        measure(&r, at, seconds, without, &n0, cap, &drop0);
        if (fleetrun_start(&r.fleet, &fl, kiosk_ini, &ro.config, rl, 1, &d) != 0 || !r.fleet) {
            fprintf(stderr, "fleetjitter: the kiosk client does not start\n");
            missed = 1;
            break;
        }
        usleep(1500000);        /* connected, subscribed, the retained bundle taken */
        measure(&r, at + (int64_t)seconds * PACING_NS_PER_SEC, seconds, with, &n1, cap, &drop1);
        fleetrun_stop(r.fleet);
        r.fleet = NULL;
    }
    if (!missed && n0 && n1) {
        report("without the kiosk client", without, n0, drop0);
        report("with the kiosk client   ", with, n1, drop1);
        int64_t diff = with[n1 * 99 / 100] - without[n0 * 99 / 100];
        bool ok = diff <= GOAL_NS;
        printf("p99 with the client - without: %+.0f us  (goal <= +%d us) %s\n", diff / 1e3,
               GOAL_NS / 1000, ok ? "ok" : "MISSED");
        missed = !ok;
        double load[1];
        if (getloadavg(load, 1) == 1)
            printf("load average during the run: %.2f on %ld cores (jitter is the machine's as "
                   "much as ours)\n", load[0], sysconf(_SC_NPROCESSORS_ONLN));
    }
    free(without);
    free(with);
    reload_free(rl);
    fleetlayers_close(&fl);
    cfgcheck_release(&checks);
    encoder_free(r.enc);
    frame_release(&r.f);
    engine_free(r.e);
    return missed;
}
