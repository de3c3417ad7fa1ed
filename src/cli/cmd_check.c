/* ledticker check -c FILE: validate a schedule config, every problem in one run. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cfgcheck.h"
#include "cli/datadir.h"
#include "cli/fleetlayers.h"
#include "cli/show.h"
#include "compose/engine.h"
#include "ledproto.h"
#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/sched.h"
#include "text/strip.h"
#include "transport/board.h"

/* A problem, kept until the end so that all come out in file and line
 * order, whatever check found them in (values, then fonts, then dates). */
struct problem {
    enum diag_level level;
    char *file, *msg;           /* file NULL: about no file (comes first) */
    int line;
    size_t file_rank;           /* files in the order they were first named */
    size_t seq;
};

struct counts {
    const struct cli_env *env;
    int errors, warnings;
    struct problem *p;
    size_t n, cap;
    const char **files;
    size_t nfiles;
};

static size_t file_rank(struct counts *c, const char *file)
{
    if (!file)
        return 0;
    for (size_t i = 0; i < c->nfiles; i++)
        if (!strcmp(c->files[i], file))
            return i + 1;
    const char **grown = realloc(c->files, (c->nfiles + 1) * sizeof *grown);
    if (!grown)
        return SIZE_MAX;
    c->files = grown;
    c->files[c->nfiles++] = c->p[c->n].file;
    return c->nfiles;
}

/* Every problem is counted and kept for print_problems. */
static void count_and_keep(void *user, enum diag_level level, const char *file, int line,
                           const char *msg)
{
    struct counts *c = user;
    if (level == DIAG_ERROR)
        c->errors++;
    else if (level == DIAG_WARN)
        c->warnings++;
    else {
        if (c->env->diag.fn)
            c->env->diag.fn(c->env->diag.user, level, file, line, msg);
        return;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        struct problem *grown = realloc(c->p, cap * sizeof *grown);
        if (!grown) {           /* no room to sort: print it now */
            diag_print(stderr, level, file, line, msg);
            return;
        }
        c->p = grown;
        c->cap = cap;
    }
    struct problem *p = &c->p[c->n];
    *p = (struct problem){ level, file ? strdup(file) : NULL, strdup(msg), line, 0, c->n };
    if (!p->msg || (file && !p->file)) {
        free(p->file);
        free(p->msg);
        diag_print(stderr, level, file, line, msg);
        return;
    }
    p->file_rank = file_rank(c, p->file);
    c->n++;
}

static int by_place(const void *a, const void *b)
{
    const struct problem *x = a, *y = b;
    if (x->file_rank != y->file_rank)
        return x->file_rank < y->file_rank ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void print_problems(struct counts *c)
{
    if (c->n)
        qsort(c->p, c->n, sizeof *c->p, by_place);
    for (size_t i = 0; i < c->n; i++) {
        diag_print(stderr, c->p[i].level, c->p[i].file, c->p[i].line, c->p[i].msg);
        free(c->p[i].file);
        free(c->p[i].msg);
    }
    free(c->p);
    free(c->files);
}

/* Repeats that do not fit: the week ahead, as `schedule --from --to`
 * would play it, one warning per message. And lunar dates that some of
 * the coming years lack (三十 in a short month, a missing leap month). */
static int warn_dropped(const struct config *cfg, time_t now, const struct diag *d)
{
    struct sched *s;
    int rc = sched_new(&s, cfg);
    if (rc == SCHED_OK)
        rc = sched_warn_dropped(s, now, now + 7 * 86400, d);
    if (rc == SCHED_OK)
        rc = sched_warn_lunar(s, now, d);
    sched_free(s);
    return rc == SCHED_OK ? CONFIG_OK : CONFIG_ERR_NO_MEM;
}

/* The coverage check behind "no configured font covers": the display's
 * font chain at its size and mode, opened once through the text renderer
 * and asked about every headline, summary and idle text. */
struct coverage {
    const char *fonts_dir;          /* NULL: not found, nothing checked */
    const struct diag *d;
    struct strip_renderer *r;
    bool tried;
};

/* The display's renderer, opened on first use; NULL when it cannot be. */
static struct strip_renderer *coverage_renderer(struct coverage *c, const struct config_display *display)
{
    if (!c->tried) {
        c->tried = true;
        struct strip_options o = {
            .fonts_dir = c->fonts_dir,
            .families = *display->font ? display->font : NULL,
            .size = display->size,
            .mode = display->mode == CONFIG_MODE_GRAY ? STRIP_GRAY : STRIP_MONO,
            .threads = 1,
        };
        int err = 0;
        c->r = strip_renderer_new(&o, c->d, &err);
        if (!c->r)
            diag_emit(c->d, DIAG_WARN, NULL, 0, "cannot open the configured fonts (%s): "
                      "characters were not checked against them", strip_strerror(err));
    }
    return c->r;
}

static size_t uncovered_by_fonts(void *user, const struct config_display *display,
                                 const char *utf8, size_t len, uint32_t *cps, size_t max)
{
    struct coverage *c = user;
    if (!coverage_renderer(c, display))
        return 0;
    int n = strip_find_uncovered(c->r, utf8, len, cps, max);
    return n > 0 ? (size_t)n : 0;
}

/* The panel checks behind "shows nothing" and the clock's width: the
 * display's board file, read once. A single-colour board (interface =
 * hub12) lights a pixel only as the wire format's ledproto_mono_lit says;
 * every colour shows on others. */
struct panel_check {
    const struct cfgcheck *boards;  /* where board files are (boards_dir NULL: none) */
    const struct diag *d;
    struct coverage *fonts;         /* the clock's texts are measured with these */
    bool tried, found;
    struct board_desc board;
    char why[256];
};

/* The display's board, or NULL (a missing board is the board check's to
 * report, not ours). */
static const struct board_desc *panel_board(struct panel_check *p, const struct config_display *display)
{
    const char *dir = p->boards->boards_dir;
    if (!p->tried) {
        p->tried = true;
        char path[PATH_MAX];
        p->found = dir && *display->board &&
                   snprintf(path, sizeof path, "%s/%s.ini", dir, display->board) < (int)sizeof path &&
                   access(path, R_OK) == 0 &&
                   board_load(&p->board, dir, display->board, p->d) == BOARD_OK;
    }
    return p->found ? &p->board : NULL;
}

static const char *unlit_on_board(void *user, const struct config_display *display, uint32_t rgb)
{
    struct panel_check *p = user;
    const struct board_desc *b = panel_board(p, display);
    const uint8_t c[3] = { (uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb };
    if (!b || !b->single_colour || ledproto_mono_lit(c))
        return NULL;
    snprintf(p->why, sizeof p->why, "board '%s' is single-colour, and lights a pixel only "
             "when its strongest channel is %u (#%02X) or more", display->board,
             LEDPROTO_MONO_THRESHOLD, LEDPROTO_MONO_THRESHOLD);
    return p->why;
}

static int measure_text(void *user, const char *utf8)
{
    struct strip_layout *lay;
    if (strip_measure(user, utf8, strlen(utf8), &lay) != 0)
        return 0;
    int w = strip_layout_width(lay);
    strip_layout_free(lay);
    return w;
}

/* Whether the clock format fits the board, decided as the engine does
 * (engine_clock_fit) with the texts measured in the display's fonts. */
static const char *clock_too_wide(void *user, const struct config_display *display)
{
    struct panel_check *p = user;
    const struct board_desc *b = panel_board(p, display);
    struct strip_renderer *r = b ? coverage_renderer(p->fonts, display) : NULL;
    if (!r)
        return NULL;
    struct engine_params ep = { .width = b->width, .height = b->height, .row_height = display->size,
                                .label = *display->label ? display->label : NULL,
                                .clock = show_clock(display->clock) };
    int need, room;
    enum engine_clock shown = engine_clock_fit(&ep, measure_text, r, &need, &room);
    if (shown == ep.clock && need <= room)
        return NULL;
    if (shown == ep.clock)
        snprintf(p->why, sizeof p->why, "needs %d px on board '%s' (%dx%d), which has %d px for "
                 "it%s, and no narrower format fits: `run` refuses the layout", need,
                 display->board, b->width, b->height, room > 0 ? room : 0,
                 ep.label ? " beside the label" : "");
    else
        snprintf(p->why, sizeof p->why, "needs %d px on board '%s' (%dx%d), which has %d px for "
                 "it%s: the panel shows clock = %s instead", need, display->board, b->width,
                 b->height, room > 0 ? room : 0, ep.label ? " beside the label" : "",
                 engine_clock_name(shown));
    return p->why;
}

static void print_keys(void)
{
    const char *section = "";
    for (size_t i = 0; i < config_key_count(); i++) {
        struct config_key_info k;
        config_key_at(i, &k);
        if (strcmp(section, k.section))
            printf("%s[%s%s]\n", *section ? "\n" : "", k.section, strcmp(k.section, "message") ? "" : " ID");
        section = k.section;
        printf("%-17s %-32s default %-10s %s\n", k.key, k.type,
               !k.def ? "(none)" : *k.def ? k.def : "(empty)", k.doc);
    }
    /* Placeholders in headline, summary and summary_file text (placeholder.h). */
    printf("\n[message ID] placeholders in headline, summary and summary_file text\n");
    printf("%-25s %s\n", "{date}", "the local date: 12月1日");
    printf("%-25s %s\n", "{weekday}", "星期二");
    printf("%-25s %s\n", "{lunar}", "the lunar date, 十月廿三 (on a solar term's day too: 农历{lunar} reads right)");
    printf("%-25s %s\n", "{countdown:YYYY-MM-DD}", "days left (0 on the day); the message expires after that day");
    printf("%-25s %s\n", "{{ }}", "a literal { or }; other text in braces stays as written");
    /* The statutory calendar's section (schedule/calendar.h; docs/calendar.md). */
    printf("\n[calendar YEAR]\n");
    printf("%-17s %-32s default %-10s %s\n", "holiday", "YYYY-MM-DD[..YYYY-MM-DD] NAME", "(none)",
           "statutory days off, weekends inside included; repeat the key; replaces the shipped year");
    printf("%-17s %-32s default %-10s %s\n", "workday", "YYYY-MM-DD", "(none)",
           "a swapped workday (调休), e.g. a Saturday worked; repeat the key");
}

static void usage(FILE *f)
{
    fprintf(f, "usage: ledticker check -c FILE [--boards-dir DIR] [--fonts-dir DIR] [--calendar-dir DIR]\n"
               "       ledticker check --keys\n"
               "Validates a schedule config and reports every problem as FILE:LINE: error|warning: ...\n"
               "in file and line order. Exit 0 when there are no errors, 1 otherwise.\n"
               "testing:\n"
               "  --now \"YYYY-MM-DD HH:MM\"  judge expiry at this local time instead of now\n");
}

int cmd_check_main(const struct cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "boards-dir", required_argument, NULL, 'b' },
        { "boards", required_argument, NULL, 'b' },     /* the older spelling */
        { "keys", no_argument, NULL, 'k' }, { "fonts-dir", required_argument, NULL, 'f' },
        { "now", required_argument, NULL, 'n' }, { "calendar-dir", required_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *path = NULL, *boards = NULL, *fonts = NULL, *at = NULL, *calendar = NULL;
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': path = optarg; break;
        case 'b': boards = optarg; break;
        case 'f': fonts = optarg; break;
        case 'n': at = optarg; break;
        case 'C': calendar = optarg; break;
        case 'k': print_keys(); return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!path || optind != argc) {
        usage(stderr);
        return 2;
    }
    time_t now = time(NULL);
    if (at && civil_parse_instant(at, &now) != 0) {
        fprintf(stderr, "ledticker: error: --now '%s' is not a time: use \"YYYY-MM-DD HH:MM\"\n", at);
        return 2;
    }
    struct check_request r = { .path = path, .boards = boards, .fonts = fonts,
                               .calendar = calendar, .now = now };
    return check_config(env, &r);
}

int check_config(const struct cli_env *env, const struct check_request *r)
{
    const char *path = r->path, *boards = r->boards, *fonts = r->fonts, *calendar = r->calendar;
    time_t now = r->now;
    char buf[PATH_MAX];
    struct counts counts = { .env = env };
    struct diag d = { count_and_keep, &counts };
    struct config_options o = { .now = now };
    char fonts_dir[PATH_MAX];
    struct coverage cov = { NULL, &d, NULL, false };
    struct cfgcheck checks = { 0 };
    if (cfgcheck_find_boards(&checks, boards, path, buf, sizeof buf) ||
        datadir_resolve(DATADIR_FONTS, fonts, NULL, fonts_dir, sizeof fonts_dir, &cov.fonts_dir) ||
        cfgcheck_load_calendar(&checks, calendar, &d)) {
        cfgcheck_release(&checks);
        print_problems(&counts);
        return 2;
    }
    cfgcheck_install(&o, &checks);
    struct panel_check panel = { .boards = &checks, .d = &d, .fonts = &cov };
    o.unlit = unlit_on_board;
    o.unlit_user = &panel;
    if (cov.fonts_dir) {
        o.clock_fit = clock_too_wide;
        o.clock_fit_user = &panel;
    }
    if (cov.fonts_dir) {
        o.uncovered = uncovered_by_fonts;
        o.uncovered_user = &cov;
    } else
        diag_emit(&d, DIAG_WARN, NULL, 0, "no fonts directory found (searched %s): "
                  "characters were not checked against the fonts", fonts_dir);
    struct config *cfg = NULL;
    int rc;
    if (r->neutral) {
        /* publish: the newsroom's file laid over a neutral display, as a
         * kiosk will lay it (after the `all` bundle for a site's). */
        o.layers = r->layers;
        o.layer_count = r->layer_count;
        rc = config_parse(&cfg, "(neutral display)", "", 0, &o, &d);
    } else {
        /* On a fleet kiosk, the config its panel plays: the cached bundles laid over. */
        struct fleetlayers fl;
        rc = fleetlayers_open(&fl, path, &o, &d) == 0 ? CONFIG_OK : CONFIG_ERR_NO_MEM;
        fleetlayers_install(&fl, &o);
        if (rc == CONFIG_OK)
            rc = config_load(&cfg, path, &o, &d);
        fleetlayers_close(&fl);
    }
    strip_free(cov.r);
    if (rc == CONFIG_OK)
        rc = warn_dropped(cfg, o.now, &d);
    if (rc == CONFIG_OK)
        cfgcheck_warn_now(&checks, cfg, o.now, &d);
    if (rc == CONFIG_OK && checks.calendar_errors)
        rc = CONFIG_ERR_INVALID;        /* the shipped calendar's errors are the config's too */
    size_t messages = cfg ? config_message_count(cfg) : 0;
    if (rc == CONFIG_OK && r->on_ok && r->on_ok(r->user, cfg) != 0)
        rc = CONFIG_ERR_NO_MEM;
    config_free(cfg);
    cfgcheck_release(&checks);
    print_problems(&counts);
    if (rc == CONFIG_ERR_NO_MEM) {
        fprintf(stderr, "ledticker: error: %s\n", config_strerror(rc));
        return 1;
    }
    if (rc == CONFIG_OK)
        printf("%s: ok, %zu message%s, %d warning%s\n", path, messages, messages == 1 ? "" : "s",
               counts.warnings, counts.warnings == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: %d error%s, %d warning%s\n", path, counts.errors,
                counts.errors == 1 ? "" : "s", counts.warnings, counts.warnings == 1 ? "" : "s");
    return rc == CONFIG_OK ? 0 : 1;
}
