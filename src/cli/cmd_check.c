/* ledticker check -c FILE: validate a schedule config, every problem in one run. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cfgcheck.h"
#include "cli/datadir.h"
#include "schedule/config.h"
#include "schedule/sched.h"
#include "text/strip.h"

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

/* Repeats that do not fit: the week ahead, as `schedule --from --to`
 * would play it, one warning per message. */
static int warn_dropped(const struct config *cfg, time_t now, const struct diag *d)
{
    struct sched *s;
    int rc = sched_new(&s, cfg);
    if (rc == SCHED_OK)
        rc = sched_warn_dropped(s, now, now + 7 * 86400, d);
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
    fprintf(f, "usage: ledticker check -c FILE [--boards-dir DIR] [--fonts-dir DIR]\n"
               "       ledticker check --keys\n"
               "Validates a schedule config and reports every problem as FILE:LINE: error|warning: ...\n"
               "Exit 0 when there are no errors, 1 otherwise.\n");
}

int cmd_check_main(const struct cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "boards-dir", required_argument, NULL, 'b' },
        { "boards", required_argument, NULL, 'b' },     /* the older spelling */
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
    char fonts_dir[PATH_MAX];
    struct coverage cov = { NULL, &d, NULL, false };
    struct cfgcheck checks;
    cfgcheck_install(&o, &checks);
    if (cfgcheck_find_boards(&checks, boards, path, buf, sizeof buf) ||
        datadir_resolve(DATADIR_FONTS, fonts, NULL, fonts_dir, sizeof fonts_dir, &cov.fonts_dir))
        return 2;
    if (cov.fonts_dir) {
        o.uncovered = uncovered_by_fonts;
        o.uncovered_user = &cov;
    } else
        diag_emit(&d, DIAG_WARN, NULL, 0, "no fonts directory found (searched %s): "
                  "characters were not checked against the fonts", fonts_dir);
    struct config *cfg;
    int rc = config_load(&cfg, path, &o, &d);
    strip_free(cov.r);
    if (rc == CONFIG_OK)
        rc = warn_dropped(cfg, o.now, &d);
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
