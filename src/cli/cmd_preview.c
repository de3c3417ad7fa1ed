/* ledticker preview -c FILE [--at T] [--seconds N] [--board NAME] -o OUT.gif|OUT.png
 *
 * The frames the panel would show from a moment, through the same engine
 * and frame pacing as `run` (on a testing clock that never sleeps): an
 * animated GIF of LED dots for people, or the single frame at --at as a
 * PNG at one pixel per LED, for comparing with the controller's buffer. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cfgcheck.h"
#include "cli/fleetlayers.h"
#include "cli/loop.h"
#include "cli/show.h"
#include "compose/engine.h"
#include "compose/pacing.h"
#include "compose/preview.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "transport/board.h"
#include "util/pngout.h"

struct preview_args {
    const char *config, *out, *board, *boards_dir, *fonts_dir, *at, *calendar_dir;
    double seconds;
    int pitch;
};

static void usage(FILE *f)
{
    fprintf(f,
        "usage: ledticker preview -c FILE [--at \"YYYY-MM-DD HH:MM[:SS]\"] [--seconds N]\n"
        "                         [--board NAME] [--pitch PX] -o OUT.gif|OUT.png\n"
        "Renders what the panel shows from --at (default now), as `run` would:\n"
        "  OUT.gif   --seconds (default 10) of animation, LEDs drawn as round dots\n"
        "  OUT.png   the single frame at --at, one pixel per LED (OUT.ppm: the same\n"
        "            as binary PPM, for scripts)\n"
        "options:\n"
        "  --board NAME       the panel (boards/NAME.ini) instead of the config's board\n"
        "  --boards-dir DIR   where board files are\n"
        "  --fonts-dir DIR    where fonts/default.chain is\n"
        "  --calendar-dir DIR where the statutory calendar (cn-YYYY.ini) is\n"
        "  --pitch PX         GIF pixels per LED (default 4)\n"
        "  --clock-start T    the same as --at; --clock-rate R is accepted and has no\n"
        "                     effect: a preview never waits\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "ledticker preview: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr);
    return 2;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcasecmp(s + n - m, tail);
}

static int parse_args(int argc, char **argv, struct preview_args *a)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "output", required_argument, NULL, 'o' },
        { "at", required_argument, NULL, 'a' },
        { "clock-start", required_argument, NULL, 'a' },
        { "clock-rate", required_argument, NULL, 'r' },
        { "seconds", required_argument, NULL, 's' },
        { "board", required_argument, NULL, 'b' },
        { "boards-dir", required_argument, NULL, 'B' },
        { "fonts-dir", required_argument, NULL, 'F' },
        { "calendar-dir", required_argument, NULL, 'C' },
        { "pitch", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    *a = (struct preview_args){ .seconds = 10, .pitch = 4 };
    optind = 1;
    opterr = 0;
    int c;
    double rate;
    char *end;
    while ((c = getopt_long(argc, argv, ":c:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': a->config = optarg; break;
        case 'o': a->out = optarg; break;
        case 'a': a->at = optarg; break;
        case 'r':
            if (pacing_parse_rate(optarg, &rate))
                return bad_usage("--clock-rate '%s' is not a positive number or max", optarg);
            break;
        case 's':
            a->seconds = strtod(optarg, &end);
            if (end == optarg || *end || !(a->seconds > 0) || a->seconds > 3600)
                return bad_usage("--seconds '%s' is not a number of seconds (up to 3600)", optarg);
            break;
        case 'b': a->board = optarg; break;
        case 'B': a->boards_dir = optarg; break;
        case 'F': a->fonts_dir = optarg; break;
        case 'C': a->calendar_dir = optarg; break;
        case 'p':
            a->pitch = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end || a->pitch < 1 || a->pitch > 16)
                return bad_usage("--pitch '%s' is not 1-16", optarg);
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
    if (!a->out || !(ends_with(a->out, ".gif") || ends_with(a->out, ".png") ||
                     ends_with(a->out, ".ppm")))
        return bad_usage("%s", "-o OUT.gif, OUT.png or OUT.ppm is required");
    return -1;
}

struct gif_sink {
    struct preview *p;
    int unused;
};

static int gif_frame(void *user, const struct frame *f, const struct engine_info *info,
                     int64_t mono, int64_t wall)
{
    struct gif_sink *g = user;
    (void)info, (void)wall;
    return preview_add(g->p, f, mono) == PREVIEW_OK ? 0 : -1;
}

struct png_sink {
    const struct frame *f;
    bool done;
};

static int png_frame(void *user, const struct frame *f, const struct engine_info *info,
                     int64_t mono, int64_t wall)
{
    struct png_sink *ps = user;
    (void)f, (void)info, (void)mono, (void)wall;
    ps->done = true;
    return 0;
}

/* The frame at one pixel per LED: PNG, or binary PPM (P6) for scripts. */
static int write_still(const char *path, const struct frame *f, const struct diag *d)
{
    if (ends_with(path, ".png")) {
        struct pngout_image img = { f->width, f->height, f->stride, PNGOUT_RGB8, f->rgb };
        return pngout_write(path, &img, d) == 0 ? 0 : 1;
    }
    FILE *out = fopen(path, "wb");
    bool ok = out && fprintf(out, "P6\n%d %d\n255\n", f->width, f->height) > 0;
    for (int y = 0; ok && y < f->height; y++)
        ok = fwrite(frame_pixel(f, 0, y), 3, (size_t)f->width, out) == (size_t)f->width;
    if (out && fclose(out) != 0)
        ok = false;
    if (!ok)
        diag_emit(d, DIAG_ERROR, path, 0, "cannot write the frame");
    return ok ? 0 : 1;
}

static int preview_play(const struct preview_args *args, int64_t start, struct cfgcheck *checks,
                        const struct diag *d);

int cmd_preview_main(const struct cli_env *env, int argc, char **argv)
{
    struct preview_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    const struct diag *d = &env->diag;

    int64_t start;
    if (a.at) {
        time_t at;
        if (civil_parse_instant(a.at, &at)) {
            fprintf(stderr, "ledticker: error: --at '%s' is not a time: use \"YYYY-MM-DD HH:MM[:SS]\"\n", a.at);
            return 2;
        }
        start = (int64_t)at * PACING_NS_PER_SEC;
    } else {
        struct pacing_clock real;
        pacing_clock_init_real(&real);
        start = pacing_wall_at(&real, pacing_now(&real));
    }
    char boards_buf[PATH_MAX];
    struct cfgcheck checks = { 0 };
    if (cfgcheck_find_boards(&checks, a.boards_dir, a.config, boards_buf, sizeof boards_buf) ||
        cfgcheck_load_calendar(&checks, a.calendar_dir, d)) {
        cfgcheck_release(&checks);
        return 2;
    }
    rc = preview_play(&a, start, &checks, d);
    cfgcheck_release(&checks);        /* after the show, whose config it served */
    return rc;
}

/* The config loaded as `run` loads it, played from `start` into a.out. */
static int preview_play(const struct preview_args *args, int64_t start, struct cfgcheck *checks,
                        const struct diag *d)
{
    struct preview_args a = *args;
    int rc;
    const char *boards = checks->boards_dir;
    struct config_options co = { 0 };
    cfgcheck_install(&co, checks);
    /* On a fleet kiosk, what the panel plays: its cached bundles laid over. */
    struct fleetlayers fl;
    if (fleetlayers_open(&fl, a.config, &co, d) != 0) {
        fleetlayers_close(&fl);
        return 1;
    }
    fleetlayers_install(&fl, &co);
    struct show *show;
    rc = show_load(&show, a.config, a.fonts_dir, &co, 1, d);
    fleetlayers_close(&fl);
    if (rc != 0)
        return 1;
    const struct config_display *disp = show_display(show);
    struct show_panel panel = { 0 };
    const char *board = a.board ? a.board : disp->board;
    struct board_desc desc;
    if (!board || !*board) {
        diag_error(d, "no board: set board = NAME in [display] or give --board NAME");
        show_free(show);
        return 1;
    }
    if (board_load(&desc, boards, board, d) != BOARD_OK) {
        show_free(show);
        return 1;
    }
    panel.width = desc.width;
    panel.height = desc.height;
    double fps = disp->fps;
    struct engine *e;
    if (show_engine(show, &panel, &e) != 0) {
        show_free(show);
        return 1;
    }
    show_prepare_day(show, start, NULL);    /* as run does before its first frame */
    struct frame f;
    if (frame_init(&f, panel.width, panel.height) != 0) {
        engine_free(e);
        return 1;
    }
    /* The testing clock at --at, never sleeping, in the loop `run` uses. */
    struct pacing_clock clock;
    pacing_clock_init_test(&clock, start, 0);
    struct gif_sink g = { NULL, 0 };
    struct loop_sink sink = { &g, NULL, NULL, NULL };
    struct loop_options o = { .clock = &clock, .fps = fps, .diag = d };
    rc = 0;
    if (!ends_with(a.out, ".gif")) {
        struct png_sink ps = { &f, false };
        sink = (struct loop_sink){ &ps, png_frame, NULL, NULL };
        o.duration = 1;         /* the first frame only: the one at --at */
        rc = loop_run(&e, &f, &o, &sink, NULL);
        if (!rc && ps.done)
            rc = write_still(a.out, &f, d);
    } else {
        if (preview_open(&g.p, a.out, panel.width, panel.height, a.pitch, d) != PREVIEW_OK) {
            rc = 1;
        } else {
            sink.frame = gif_frame;
            o.duration = (int64_t)(a.seconds * PACING_NS_PER_SEC);
            rc = loop_run(&e, &f, &o, &sink, NULL);
            if (preview_close(g.p, o.duration) != PREVIEW_OK)
                rc = 1;
        }
    }
    frame_release(&f);
    engine_free(e);
    return rc;
}
