/* ledticker run -c FILE [--output SPEC] [testing clock]: the ticker.
 *
 * Wires the show (config, schedule, strips), the engine, the frame loop,
 * the encoder and a transport together, and handles what a service meets:
 * SIGHUP reloads (a broken config keeps the last good one playing),
 * SIGTERM/SIGINT stop cleanly and leave the panel dark or on a notice, the
 * systemd watchdog is petted while frames flow, a USB controller that is
 * not there yet is waited for. Signals arrive through a signalfd that the
 * loop reads each frame, so no handler and no global state is needed. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <time.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "cli/run_internal.h"
#include "compose/engine.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/lunar.h"


static void usage(FILE *f)
{
    fprintf(f,
        "usage: ledticker run -c FILE [--output auto|usb|sim|term|record:PATH] [--board NAME]\n"
        "                     [--clock-start \"YYYY-MM-DD HH:MM[:SS]\"] [--clock-rate R|max]\n"
        "                     [--clock-jump AT:STEP] [--seconds N] [--device SERIAL]\n"
        "Plays the config until SIGTERM or SIGINT; SIGHUP reloads it and reopens the play log.\n"
        "  --output SPEC      where frames go (default: the config's output)\n"
        "  --board NAME       the panel for outputs without a device (record, term, sim)\n"
        "  --device SERIAL    the USB controller with this serial (ledticker devices)\n"
        "  --boards-dir DIR   where board files are;  --fonts-dir DIR  where fonts are\n"
        "  --calendar-dir DIR where the statutory calendar (cn-YYYY.ini) is\n"
        "testing clock:\n"
        "  --clock-start T    start the clock at local time T instead of now\n"
        "  --clock-rate R     run the clock R times real time (max: never sleep)\n"
        "  --clock-jump AT:STEP  step the wall clock by STEP seconds (+/-) at clock\n"
        "                     second AT, as NTP or a hand-set clock would\n"
        "  --seconds N        exit 0 after N clock seconds\n"
        "  --state-file PATH  keep the state file `ledticker status` reads there (default:\n"
        "                     $RUNTIME_DIRECTORY/status under systemd, else none)\n"
        "Faults (full or read-only disk, vanished files, fonts, memory): see docs/faults.md.\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "ledticker run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr);
    return 2;
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "output", required_argument, NULL, 'o' },
        { "board", required_argument, NULL, 'b' },
        { "device", required_argument, NULL, 'd' },
        { "boards-dir", required_argument, NULL, 'B' },
        { "fonts-dir", required_argument, NULL, 'F' },
        { "calendar-dir", required_argument, NULL, 'C' },
        { "clock-start", required_argument, NULL, 'S' },
        { "clock-rate", required_argument, NULL, 'r' },
        { "clock-jump", required_argument, NULL, 'j' },
        { "seconds", required_argument, NULL, 's' },
        { "state-file", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    *a = (struct run_args){ .rate = -1 };
    optind = 1;
    opterr = 0;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, ":c:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': a->config = optarg; break;
        case 'o': a->output = optarg; break;
        case 'b': a->board = optarg; break;
        case 'd': a->device = optarg; break;
        case 'B': a->boards_dir = optarg; break;
        case 'F': a->fonts_dir = optarg; break;
        case 'C': a->calendar_dir = optarg; break;
        case 'S': a->clock_start = optarg; break;
        case 'T': a->state_file = optarg; break;
        case 'r':
            if (pacing_parse_rate(optarg, &a->rate))
                return bad_usage("--clock-rate '%s' is not a positive number or max", optarg);
            break;
        case 'j': {
            int64_t at, step;
            if (pacing_parse_jump(optarg, &at, &step))
                return bad_usage("--clock-jump '%s' is not AT_SECONDS:STEP_SECONDS (step not 0)", optarg);
            a->clock_jump = optarg;
            break;
        }
        case 's':
            a->seconds = strtod(optarg, &end);
            if (end == optarg || *end || !(a->seconds > 0))
                return bad_usage("--seconds '%s' is not a positive number", optarg);
            break;
        case 'h': usage(stdout); return 0;
        case ':': return bad_usage("%s needs a value", argv[optind - 1]);
        default: return bad_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return bad_usage("unexpected argument '%s'", argv[optind]);
    if (!a->config)
        return bad_usage("%s", "-c FILE is required");
    return -1;
}

/* Empties the encoder's queue: those commands were meant for a device that
 * is gone or has been reset. Played on the one that answers now, they
 * would show stale deltas on a blank panel before the full frame. */
static void drop_queued(struct encoder *e)
{
    const uint8_t *p;
    size_t n;
    while (encoder_peek(e, SIZE_MAX, &p, &n) == ENCODER_OK)
        encoder_consume(e, n);
}

/* What a transport event means for the stream. The transport itself logs
 * the unplug and the return (one line each); these are details. */
static void on_event(struct run *r, enum transport_event ev)
{
    if (ev == TRANSPORT_EVENT_DISCONNECTED) {
        diag_info(r->d, "output: the controller is gone; waiting for it");
        r->away = true;
        r->away_since = pacing_wall_at(r->clock, pacing_now(r->clock));
        if (r->enc)
            drop_queued(r->enc);
    }
    if (ev == TRANSPORT_EVENT_CONNECTED) {
        /* A controller may come back with another panel (GET_INFO is read
         * again). The show was laid out for the old one; stopping with a
         * failure lets the service manager start afresh for the new one. */
        struct transport_info now;
        if (transport_info(r->t, &now) == TRANSPORT_OK &&
            (now.width != r->info.width || now.height != r->info.height)) {
            diag_error(r->d, "output: the controller came back with a %ux%u panel (was %ux%u); "
                       "stopping so that a restart lays the show out for it",
                       now.width, now.height, r->info.width, r->info.height);
            r->relayout = true;
        }
    }
    if (ev == TRANSPORT_EVENT_CONNECTED || ev == TRANSPORT_EVENT_RESYNC) {
        r->away = false;
        r->failures = 0;
        if (r->enc) {
            diag_info(r->d, "output: (re)connected; sending a full frame");
            drop_queued(r->enc);
            encoder_force_full(r->enc);
            r->brightness = -1;
            r->standby = false;
        }
    }
}

/* Sends what the encoder has queued, within the credit window. A device
 * that takes nothing for a while is given up on for this frame: the
 * bytes stay queued and the clock goes on. */
static int drain(struct run *r, int patience_ms)
{
    if (!r->enc)
        return 0;
    size_t window = r->info.max_in_flight ? r->info.max_in_flight : 65536;
    int waited = 0;
    const uint8_t *p;
    size_t n;
    while (encoder_peek(r->enc, window, &p, &n) == ENCODER_OK) {
        int rc = transport_send(r->t, p, n);
        if (rc == TRANSPORT_OK) {
            encoder_consume(r->enc, n);
            continue;
        }
        if (rc != TRANSPORT_ERR_BUSY && rc != TRANSPORT_ERR_TIMEOUT) {
            if (r->info.lossless) {
                r->lost_output = true;      /* the back end said why, once */
                return rc;
            }
            if (r->failures++ < 3)
                diag_warn(r->d, "output: %s", transport_strerror(rc));
            return rc;
        }
        if (waited >= patience_ms)
            return TRANSPORT_ERR_BUSY;
        enum transport_event ev;
        transport_poll(r->t, 2, &ev);
        waited += 2;
        on_event(r, ev);
        if (ev != TRANSPORT_EVENT_NONE)
            return 0;               /* the queue is gone; the next frame starts afresh */
    }
    return 0;
}

/* Resident memory in KiB (Linux /proc), or -1. */
static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size, resident = -1;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2)
            resident = -1;
        fclose(f);
    }
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}


static int sink_frame(void *user, const struct frame *f, const struct engine_info *info,
                      int64_t mono, int64_t wall)
{
    struct run *r = user;
    enum transport_event ev = TRANSPORT_EVENT_NONE;
    transport_poll(r->t, 0, &ev);
    on_event(r, ev);
    if (r->relayout)
        return -1;
    /* The fleet's status follows the loop, controller gone or panel dark too. */
    r->wall = wall;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    fleetrun_tick(r->fleet, (int64_t)ts.tv_sec * PACING_NS_PER_SEC + ts.tv_nsec, runstate_fleet, r);
    if (r->away)
        return 0;                   /* the clock goes on; nothing to send to */
    if (info->off != r->standby) {
        r->standby = info->off;
        if (r->enc)
            encoder_standby(r->enc, r->standby);
        if (!r->standby && r->enc)
            encoder_force_full(r->enc);
    }
    if (r->standby) {
        transport_show_frame(r->t, f);      /* term shows the dark panel */
        return drain(r, 5) < 0 && r->failures > 1000 ? -1 : 0;
    }
    if (r->enc && r->info.applies_gamma && info->brightness != r->brightness) {
        encoder_brightness(r->enc, info->brightness);
        r->brightness = info->brightness;
    }
    transport_show_frame(r->t, f);
    /* Keep at most a frame or two queued: a slow link drops frames, it
     * never builds a backlog. */
    if (r->enc && encoder_pending(r->enc) < 2u * (size_t)f->width * f->height * 3 + 4096)
        encoder_frame(r->enc, f, r->seq++, (uint32_t)(mono / 1000000));
    drain(r, 5);
    if (r->lost_output)
        return -1;
    runstate_update(r, mono, wall);
    int64_t hour = wall / (3600 * PACING_NS_PER_SEC);
    if (r->ready && hour != r->last_hour)
        diag_debug(r->d, "rss %ld KiB", rss_kib());     /* once a clock hour, for the soak */
    r->last_hour = hour;
    if (!r->ready) {
        r->ready = true;
        r->rss_start = rss_kib();
        sd_notify(0, "READY=1\nSTATUS=playing");
    }
    return 0;
}

/* Reads pending signals: SIGTERM/SIGINT stop, SIGHUP reloads. Pets the
 * systemd watchdog at half its interval. */
static void sink_alive(void *user)
{
    struct run *r = user;
    struct signalfd_siginfo si;
    if (r->playlog)
        playlog_tick(r->playlog, pacing_now(r->clock));    /* retries a failing log */
    while (r->sigfd >= 0 && read(r->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGHUP) {
            reload_request(r->rl);
            if (r->playlog)
                playlog_reopen(r->playlog);     /* for logrotate */
        } else {
            r->flags.stop = 1;
        }
    }
    /* A build finished (or failed): the next turn takes it. */
    if (r->awaiting && !showbuild_busy(r->build))
        r->flags.reload = 1;
    /* Config changes (SIGHUP, the files changed on disk, a fleet bundle
     * stored): a good one is built on the side and swapped in when ready,
     * a broken one is refused. */
    fleetrun_poll(r->fleet);
    int rc = r->rl ? reload_poll(r->rl, 0) : 0;
    if (rc == 1) {
        r->flags.reload = 1;
        r->build_due = true;
    } else if (rc == RELOAD_ERR_INVALID) {
        diag_error(r->d, "%s: reload refused; the last good config keeps playing", r->a.config);
        char when[32];
        runstate_format_wall(pacing_wall_at(r->clock, pacing_now(r->clock)), when);
        snprintf(r->last_reload, sizeof r->last_reload, "%s, refused (errors; the last good "
                 "config plays)", when);
        r->state_next = 0;
    }
    else if (rc == RELOAD_ERR_NO_MEM)
        diag_error(r->d, "%s: reload failed: out of memory; the last good config keeps playing",
                   r->a.config);
    else if (rc < 0 && r->failures++ < 3)
        diag_warn(r->d, "reload: %s", reload_strerror(rc));
    if (r->watchdog_usec) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t now = (int64_t)ts.tv_sec * PACING_NS_PER_SEC + ts.tv_nsec;
        if (now - r->watchdog_last >= (int64_t)r->watchdog_usec * 500) {
            sd_notify(0, "WATCHDOG=1");
            r->watchdog_last = now;
        }
    }
}

static int open_playlog(struct run *r, const char *path)
{
    if (r->playlog && r->playlog_path && !strcmp(r->playlog_path, path))
        return 0;
    playlog_close(r->playlog);
    r->playlog = NULL;
    free(r->playlog_path);
    r->playlog_path = NULL;
    if (!*path)
        return 0;
    if (playlog_open(&r->playlog, path, r->d) != PLAYLOG_OK)
        return -1;
    r->playlog_path = strdup(path);
    return 0;
}

/* Repeats that will not fit in the week ahead of `wall`, once per message
 * (as check warns), for the log. */
/* At start and after each reload: repeats that do not fit, and a year
 * without holiday data. */
/* Warnings about the week ahead (repeats that do not fit, what expires
 * soon): a week of schedule questions, so after a reload it runs on the
 * builder's thread (showbuild's `built`), for the newest config. */
static void warn_dropped(struct run *r, int64_t wall)
{
    struct reload_snapshot *snap = reload_acquire(r->rl);
    time_t from = (time_t)(wall / PACING_NS_PER_SEC);
    cfgcheck_warn_now(r->checks, reload_snapshot_config(snap), from, r->d);
    if (sched_warn_dropped(reload_snapshot_sched(snap), from, from + 7 * 86400, r->d) != SCHED_OK)
        diag_warn(r->d, "out of memory while looking for repeats that do not fit");
    reload_snapshot_release(snap);
}

static void built_warn(void *user, int64_t wall)
{
    warn_dropped(user, wall);
}

/* The loop's reload turn: hand a new snapshot to the builder, and take a
 * finished build (the engine continues from the one playing, so passes
 * under way finish first). Building happens on the builder's thread, so
 * frames keep their deadlines while the new config's strips are drawn. */
static void sink_reload(void *user, struct engine **engine, int64_t wall)
{
    struct run *r = user;
    char when[32];
    runstate_format_wall(wall, when);
    if (r->build_due) {
        r->build_due = false;
        sd_notify(0, "RELOADING=1");
        if (showbuild_request(r->build, reload_acquire(r->rl), wall) == 0)
            r->awaiting = true;
        else
            snprintf(r->last_reload, sizeof r->last_reload,
                     "%s, failed (the last good config plays)", when);
    }
    struct show *s;
    struct engine *next;
    unsigned took = 0;
    int taken = showbuild_take(r->build, &s, &next, &took);
    if (taken == 0)
        return;
    r->awaiting = showbuild_busy(r->build);
    if (!r->awaiting)
        sd_notify(0, "READY=1");
    snprintf(r->last_reload, sizeof r->last_reload, "%s, failed (the last good config plays)", when);
    r->state_next = 0;
    if (taken < 0) {
        diag_error(r->d, "%s: reload failed; the last good config keeps playing", r->a.config);
        return;
    }
    show_use_lunar(s, r->lunar);    /* before its first frame, on the loop's thread */
    if (engine_continue_from(next, *engine, wall) != ENGINE_OK) {
        engine_free(next);
        diag_error(r->d, "%s: reload failed; the last good config keeps playing", r->a.config);
        return;
    }
    *engine = next;
    r->show = s;
    const struct config_display *d = show_display(s);
    if (open_playlog(r, d->play_log) != 0)
        diag_warn(r->d, "the play log stays off until the next reload");
    snprintf(r->last_reload, sizeof r->last_reload, "%s, accepted", when);
    diag_info(r->d, "reloaded %s at %s; passes under way finish first (built in %u ms "
              "beside the frame loop)", r->a.config, when, took);
}

/* The transport, waiting for a USB controller that is not plugged in yet
 * (never falling back to the simulator when usb was asked for). */
static int open_output(struct run *r, const char *spec, const struct transport_config *tc)
{
    bool usb = !strcmp(spec, "usb");
    for (int tries = 0;; tries++) {
        int rc = transport_open(&r->t, spec, tc, r->d);
        if (rc == TRANSPORT_OK)
            return transport_info(r->t, &r->info);
        if (!usb || rc != TRANSPORT_ERR_NO_DEVICE)
            return rc;
        if (tries == 0) {
            /* A warning, not info: otherwise a ticker started before its
             * controller sits silent and looks hung. */
            diag_warn(r->d, "no controller found; waiting for one to be plugged in");
            sd_notify(0, "STATUS=waiting for the controller");
        }
        sink_alive(r);
        if (r->flags.stop)
            return rc;
        usleep(500000);
    }
}

static void leave_panel(struct run *r, struct engine *e, struct frame *f)
{
    const struct config_display *d = show_display(r->show);
    if (d->on_stop == CONFIG_ON_STOP_NOTICE && *d->stop_notice) {
        engine_still(e, d->stop_notice, f);
        transport_show_frame(r->t, f);
        if (r->enc) {
            encoder_standby(r->enc, false);
            encoder_frame(r->enc, f, r->seq++, 0);
        }
    } else if (r->enc) {
        encoder_standby(r->enc, true);
    } else {
        frame_clear(f, 0, 0, 0);
        transport_show_frame(r->t, f);
    }
    drain(r, 1000);
}

/* One line on stderr saying where the show plays, so that a first `make
 * run` is not silent (-q keeps it quiet). */
static void say_where(const struct run *r, const char *spec, bool chose)
{
    const struct transport_info *i = &r->info;
    bool tty = isatty(STDOUT_FILENO);
    bool drawn = !strcmp(spec, "sim") || !strcmp(spec, "term");
    if (r->quiet)
        return;
    if (!strcmp(spec, "usb"))
        fprintf(stderr, "ledticker: playing on controller %s: board %s, %ux%u panel, firmware %s\n",
                i->serial, i->board, i->width, i->height, i->firmware);
    else if (drawn && tty)
        fprintf(stderr, "ledticker: %splaying on a simulated %ux%u panel in this terminal "
                "(Ctrl-C stops)\n", chose ? "no controller found: " : "", i->width, i->height);
    else if (drawn)
        fprintf(stderr, "ledticker: %splaying on a simulated %ux%u panel, but stdout is not a "
                "terminal, so nothing is drawn: use --output record:FILE, or ledticker preview, "
                "to see the frames\n", chose ? "no controller found: " : "", i->width, i->height);
}

static int block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int cmd_run_main(const struct cli_env *env, int argc, char **argv)
{
    struct run r = { .d = &env->diag, .brightness = -1, .sigfd = -1,
                     .quiet = env->verbosity < 0 };
    int rc = parse_args(argc, argv, &r.a);
    if (rc >= 0)
        return rc;
    struct pacing_clock clock;
    if (r.a.clock_start || r.a.rate >= 0 || r.a.clock_jump) {
        int64_t start;
        if (r.a.clock_start) {
            time_t at;
            if (civil_parse_instant(r.a.clock_start, &at))
                return bad_usage("--clock-start '%s' is not \"YYYY-MM-DD HH:MM[:SS]\"", r.a.clock_start);
            start = (int64_t)at * PACING_NS_PER_SEC;
        } else {
            pacing_clock_init_real(&clock);
            start = pacing_wall_at(&clock, 0);
        }
        pacing_clock_init_test(&clock, start, r.a.rate >= 0 ? r.a.rate : 1);
    } else {
        pacing_clock_init_real(&clock);
    }
    r.clock = &clock;
    r.sigfd = block_signals();

    char boards_buf[PATH_MAX];
    struct cfgcheck checks = { 0 };
    struct fleetlayers fl = { 0 };
    struct show *show = NULL;
    if (cfgcheck_find_boards(&checks, r.a.boards_dir, r.a.config, boards_buf, sizeof boards_buf) ||
        cfgcheck_load_calendar(&checks, r.a.calendar_dir, r.d)) {
        rc = 2;
        goto early;
    }
    r.boards = checks.boards_dir;
    struct reload_options ro = { 0 };
    cfgcheck_install(&ro.config, &checks);
    if (clock.testing)      /* "expired" is judged at the testing clock's time */
        ro.config.now = (time_t)(clock.wall0 / PACING_NS_PER_SEC);
    /* A fleet kiosk plays its cached bundles over the local config. */
    rc = 1;
    if (fleetlayers_open(&fl, r.a.config, &ro.config, r.d) != 0)
        goto early;
    fleetlayers_install(&fl, &ro.config);
    int loaded = reload_new(&r.rl, r.a.config, &ro, r.d);
    if (loaded == RELOAD_ERR_INVALID && fl.count) {
        /* A local edit that clashes with a bundle: the panel plays the
         * local config, and the broker's next good bundles fix the rest. */
        diag_error(r.d, "%s: with the fleet's cached bundles the config has errors; playing "
                   "the local config alone until good bundles come", r.a.config);
        fleetlayers_refuse(&fl);
        loaded = reload_new(&r.rl, r.a.config, &ro, r.d);
    }
    if (loaded != RELOAD_OK ||
        show_from_snapshot(&show, reload_acquire(r.rl), r.a.fonts_dir, r.d) != 0)
        goto early;
    r.checks = &checks;
    r.lunar = lunar_new();      /* NULL: each show makes its own */
    show_use_lunar(show, r.lunar);
    /* The client starts once the cache plays: the broker is waited for by
     * no one. Without it the ticker plays on (said why). */
    fleetrun_start(&r.fleet, &fl, r.a.config, &ro.config, r.rl, 0, r.d);
    warn_dropped(&r, pacing_wall_at(&clock, pacing_now(&clock)));
    const struct config_display *disp = show_display(show);
    const char *spec = r.a.output ? r.a.output : disp->output;
    struct transport_config tc = { .board = r.a.board ? r.a.board : (*disp->board ? disp->board : NULL),
                                   .boards_dir = r.boards, .serial = r.a.device };
    bool chose = !spec || !strcasecmp(spec, "auto");
    if (chose) {
        /* A controller if one answers now, else the simulator. */
        spec = "sim";
        if (transport_open(&r.t, "usb", &tc, &diag_silent) == TRANSPORT_OK) {
            spec = "usb";
            transport_close(r.t);
            r.t = NULL;
        }
    }
    rc = open_output(&r, spec, &tc);
    if (rc != TRANSPORT_OK) {
        bool stopped = r.flags.stop;    /* asked to stop while waiting: clean */
        if (!stopped)
            diag_error(r.d, "output '%s': %s", spec, transport_strerror(rc));
        rc = stopped ? 0 : 1;
        goto early;
    }
    r.spec = spec;
    diag_info(r.d, "output %s: %ux%u panel, board %s, gamma by %s", spec, r.info.width,
              r.info.height, r.info.board, r.info.applies_gamma ? "controller" : "host");
    say_where(&r, spec, chose);
    bool protocol = strncmp(spec, "term", 4) != 0;
    struct show_panel panel = { r.info.width, r.info.height, !r.info.applies_gamma };
    struct engine *e = NULL;
    struct frame f = { 0 };
    rc = 1;
    if (show_engine(show, &panel, &e) != 0) {
        show_free(show);
        goto out;
    }
    /* Dated messages' strips for the first day too, before frames are due. */
    show_prepare_day(show, pacing_wall_at(&clock, pacing_now(&clock)), r.lunar);
    r.show = show;
    if (showbuild_new(&r.build, r.a.fonts_dir, &panel, built_warn, &r, r.d) != 0 ||
        frame_init(&f, r.info.width, r.info.height) != 0)
        goto out;
    if (protocol && encoder_new(&r.enc, r.info.width, r.info.height, r.info.pixel_formats) != ENCODER_OK) {
        diag_error(r.d, "output '%s': the controller takes no pixel format the encoder writes", spec);
        goto out;
    }
    if (open_playlog(&r, disp->play_log) != 0)
        goto out;
    sd_watchdog_enabled(0, &r.watchdog_usec);
    r.state = (struct statefile){ .diag = *r.d };
    r.state.path = r.a.state_file ? r.a.state_file
                 : statefile_path(r.state_path, sizeof r.state_path, true);   /* NULL: none */

    if (clock.testing) {    /* clock time 0 is now, after loading */
        pacing_clock_init_test(&clock, clock.wall0, clock.rate);
        int64_t at, step;
        if (r.a.clock_jump && pacing_parse_jump(r.a.clock_jump, &at, &step) == PACING_OK)
            pacing_clock_test_jump(&clock, at, step);
    }
    struct loop_options o = { .clock = &clock, .fps = disp->fps, .flags = &r.flags,
                              .playlog = &r.playlog, .diag = r.d,
                              .duration = (int64_t)(r.a.seconds * PACING_NS_PER_SEC),
                              .final_frame = true };
    struct loop_sink sink = { &r, sink_frame, sink_reload, sink_alive };
    struct loop_stats st = { 0 };
    r.started = pacing_wall_at(&clock, 0);
    r.stats = &st;
    rc = loop_run(&e, &f, &o, &sink, &st);
    sd_notify(0, "STOPPING=1");
    diag_info(r.d, "stopped after %llu frames (%llu dropped, %llu passes); "
              "RSS %ld KiB after the first frame, %ld KiB at the end; longest frame %.1f ms",
              (unsigned long long)st.frames, (unsigned long long)st.dropped,
              (unsigned long long)st.passes, r.rss_start, rss_kib(), (double)st.busy_max / 1e6);
    /* The show of the engine now playing says how to leave the panel. */
    if (!r.lost_output)
        leave_panel(&r, e, &f);
    if (transport_finish(r.t) != TRANSPORT_OK)
        rc = 1;                     /* the recording is incomplete (said why) */
out:
    showbuild_free(r.build);
    frame_release(&f);
    engine_free(e);             /* and the shows that borrow r.lunar */
    lunar_free(r.lunar);
    r.lunar = NULL;
    encoder_free(r.enc);
    transport_close(r.t);
    if (playlog_close(r.playlog))
        rc = 1;                     /* proof of play was lost (said how much) */
    free(r.playlog_path);
    show = NULL;                    /* the engine's, freed with it */
early:
    fleetrun_stop(r.fleet);         /* before what its checks load with */
    show_free(show);
    lunar_free(r.lunar);            /* after the show that borrows it */
    reload_free(r.rl);
    fleetlayers_close(&fl);
    cfgcheck_release(&checks);
    if (r.sigfd >= 0)
        close(r.sigfd);
    return rc;
}
