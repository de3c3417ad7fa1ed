/* ledticker check -c FILE: validate a schedule config, every problem in one run. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/fontdir.h"
#include "ledproto.h"
#include "schedule/config.h"
#include "text/strip.h"
#include "transport/board.h"

struct counts {
    const struct cli_env *env;
    int errors, warnings;
};

/* Every problem goes to stderr as FILE:LINE: LEVEL: MSG, and is counted. */
static void count_and_print(void *user, enum diag_level level, const char *file, int line,
                            const char *msg)
{
    struct counts *c = user;
    if (level == DIAG_ERROR)
        c->errors++;
    else if (level == DIAG_WARN)
        c->warnings++;
    else if (c->env->diag.fn) {
        c->env->diag.fn(c->env->diag.user, level, file, line, msg);
        return;
    }
    diag_print(stderr, level, file, line, msg);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where board descriptions live: --boards, $LEDTICKER_BOARDS, next to the
 * config (CONFIG_DIR/../boards, CONFIG_DIR/boards), ./boards, or the
 * installed copy. NULL when none exists: then only the name's syntax is
 * checked. */
const char *cmd_check_boards_dir(const char *config_path, const char *given, char *buf, size_t len)
{
    if (given)
        return given;
    const char *env = getenv("LEDTICKER_BOARDS");
    if (env && *env)
        return env;
    const char *slash = strrchr(config_path, '/');
    int dirlen = slash ? (int)(slash - config_path) : 1;
    const char *dir = slash ? config_path : ".";
    const char *tries[] = { "%.*s/../boards", "%.*s/boards" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(buf, len, tries[i], dirlen, dir);
        if (is_dir(buf))
            return buf;
    }
    static const char *fixed[] = { "boards", "/usr/local/share/ledticker/boards", "/usr/share/ledticker/boards" };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (is_dir(fixed[i])) {
            snprintf(buf, len, "%s", fixed[i]);
            return buf;
        }
    return NULL;
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

static size_t uncovered_by_fonts(void *user, const struct config_display *display,
                                 const char *utf8, size_t len, uint32_t *cps, size_t max)
{
    struct coverage *c = user;
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
    if (!c->r)
        return 0;
    int n = strip_find_uncovered(c->r, utf8, len, cps, max);
    return n > 0 ? (size_t)n : 0;
}

/* The panel check behind "shows nothing": the display's board file, read
 * once. A single-colour board (interface = hub12) lights a pixel only as
 * the wire format's ledproto_mono_lit says; every colour shows on others. */
struct panel_check {
    const char *boards_dir;         /* NULL: not found, nothing checked */
    const struct diag *d;
    bool tried, single_colour;
    char why[200];
};

static const char *unlit_on_board(void *user, const struct config_display *display, uint32_t rgb)
{
    struct panel_check *p = user;
    if (!p->tried) {
        p->tried = true;
        char path[PATH_MAX];
        struct board_desc b;
        /* A missing board is the config check's to report, not ours. */
        if (p->boards_dir && *display->board &&
            snprintf(path, sizeof path, "%s/%s.ini", p->boards_dir, display->board) < (int)sizeof path &&
            access(path, R_OK) == 0 && board_load(&b, p->boards_dir, display->board, p->d) == BOARD_OK)
            p->single_colour = b.single_colour;
    }
    const uint8_t c[3] = { (uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb };
    if (!p->single_colour || ledproto_mono_lit(c))
        return NULL;
    snprintf(p->why, sizeof p->why, "board '%s' is single-colour, and lights a pixel only "
             "when its strongest channel is %u (#%02X) or more", display->board,
             LEDPROTO_MONO_THRESHOLD, LEDPROTO_MONO_THRESHOLD);
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
}

static void usage(FILE *f)
{
    fprintf(f, "usage: ledticker check -c FILE [--boards DIR] [--fonts-dir DIR]\n"
               "       ledticker check --keys\n"
               "Validates a schedule config and reports every problem as FILE:LINE: error|warning: ...\n"
               "Exit 0 when there are no errors, 1 otherwise.\n");
}

int cmd_check_main(const struct cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "boards", required_argument, NULL, 'b' },
        { "keys", no_argument, NULL, 'k' }, { "fonts-dir", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *path = NULL, *boards = NULL, *fonts = NULL;
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': path = optarg; break;
        case 'b': boards = optarg; break;
        case 'f': fonts = optarg; break;
        case 'k': print_keys(); return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!path || optind != argc) {
        usage(stderr);
        return 2;
    }
    char buf[PATH_MAX];
    struct counts counts = { env, 0, 0 };
    struct diag d = { count_and_print, &counts };
    struct config_options o = { .now = time(NULL) };
    o.boards_dir = cmd_check_boards_dir(path, boards, buf, sizeof buf);
    struct panel_check panel = { o.boards_dir, &d, false, false, "" };
    o.unlit = unlit_on_board;
    o.unlit_user = &panel;
    char fonts_dir[PATH_MAX];
    struct coverage cov = { NULL, &d, NULL, false };
    if (fontdir_find(fonts, fonts_dir, sizeof fonts_dir) == 0) {
        cov.fonts_dir = fonts_dir;
        o.uncovered = uncovered_by_fonts;
        o.uncovered_user = &cov;
    } else if (fonts) {
        fprintf(stderr, "ledticker: error: --fonts-dir %s has no default.chain\n", fonts);
        return 2;
    } else
        diag_emit(&d, DIAG_WARN, NULL, 0, "no fonts directory found (tried %s): "
                  "characters were not checked against the fonts", fonts_dir);
    struct config *cfg;
    int rc = config_load(&cfg, path, &o, &d);
    strip_free(cov.r);
    size_t messages = cfg ? config_message_count(cfg) : 0;
    config_free(cfg);
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
