/* ledticker check -c FILE: validate a schedule config, every problem in one run. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "schedule/config.h"

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

/* FONT COVERAGE HOOK. The warning for code points that no configured font
 * covers needs the text renderer (src/text/strip.h, branch `text`), which
 * has not landed yet. When it has, return a config_uncovered_fn here that
 * builds the display's font chain once and asks it about each string.
 * Until then there is no coverage check at all (never a pretend one). */
static config_uncovered_fn font_coverage_hook(void **user)
{
    *user = NULL;
    return NULL;
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
    fprintf(f, "usage: ledticker check -c FILE [--boards DIR]\n"
               "       ledticker check --keys\n"
               "Validates a schedule config and reports every problem as FILE:LINE: error|warning: ...\n"
               "Exit 0 when there are no errors, 1 otherwise.\n");
}

int cmd_check_main(const struct cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "boards", required_argument, NULL, 'b' },
        { "keys", no_argument, NULL, 'k' }, { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *path = NULL, *boards = NULL;
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': path = optarg; break;
        case 'b': boards = optarg; break;
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
    o.uncovered = font_coverage_hook(&o.uncovered_user);
    struct config *cfg;
    int rc = config_load(&cfg, path, &o, &d);
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
