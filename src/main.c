/* ledticker — entry point. Parses global flags and hands over to a subcommand.
 * Process-wide state (the log level) lives here and nowhere else. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

/* The Makefile passes the version from packaging/debian/changelog. */
#ifndef LEDTICKER_VERSION
#error "LEDTICKER_VERSION is set by the Makefile"
#endif

static int verbosity;

static void print_to_stderr(void *user, enum diag_level level,
                            const char *file, int line, const char *msg)
{
    (void)user;
    if ((level == DIAG_INFO && verbosity < 1) || (level == DIAG_DEBUG && verbosity < 2))
        return;
    diag_print(stderr, level, file, line, msg);
}

struct command {
    const char *name;
    int (*main)(const struct cli_env *env, int argc, char **argv);
    const char *summary;
};

static int cmd_version_main(const struct cli_env *env, int argc, char **argv)
{
    (void)env, (void)argc, (void)argv;
    printf("ledticker %s\n", LEDTICKER_VERSION);
    return 0;
}

/* One line per subcommand; each lives in src/cli/cmd_NAME.c. */
static const struct command commands[] = {
    { "version", cmd_version_main, "print the version" },
    { "render", cmd_render_main, "render one line of text into a PNG strip" },
    { "check", cmd_check_main, "validate a schedule config (every problem, FILE:LINE)" },
    { "schedule", cmd_schedule_main, "what plays at a moment, or when the playlist changes" },
    { "run", cmd_run_main, "play the config on the panel (or the simulator)" },
    { "preview", cmd_preview_main, "render what the panel shows from a moment as GIF or PNG" },
    { "devices", cmd_devices_main, "list the LED controllers attached over USB" },
    { "firmware", cmd_firmware_main, "update a controller's firmware from a .uf2 file" },
    { "status", cmd_status_main, "what the running ticker plays, and every active fault" },
    { "keygen", cmd_keygen_main, "make the newsroom's key pair for signing fleet bundles" },
    { "publish", cmd_publish_main, "check, sign and send a bundle to the fleet's kiosks" },
    { "fleet", cmd_fleet_main, "the fleet's kiosks from their broker statuses (fleet status)" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: ledticker [-v|-q] COMMAND [ARGS]\n"
               "       ledticker --version | -h | --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'ledticker COMMAND --help' describes each command.\n");
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v"))
            verbosity++;
        else if (!strcmp(argv[i], "-vv"))
            verbosity += 2;
        else if (!strcmp(argv[i], "-q"))
            verbosity = -1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
            return cmd_version_main(NULL, 0, NULL);
        } else {
            fprintf(stderr, "ledticker: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {            /* `ledticker` alone: what it can do */
        usage(stdout);
        return 0;
    }
    /* --version works after every command too; -h/--help each command
     * answers itself. */
    for (int a = i + 1; a < argc && strcmp(argv[a], "--"); a++)
        if (!strcmp(argv[a], "--version"))
            return cmd_version_main(NULL, 0, NULL);
    struct cli_env env = { .verbosity = verbosity,
                           .diag = { .fn = print_to_stderr, .user = NULL } };
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (!strcmp(argv[i], commands[c].name))
            return commands[c].main(&env, argc - i, argv + i);
    fprintf(stderr, "ledticker: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return 2;
}
