/* cli — the command-line layer. The only code that wires modules together.
 *
 * Each subcommand lives in src/cli/cmd_NAME.c and exports cmd_NAME_main().
 * They return the process exit code: 0 success, 1 a failure of input or
 * I/O (after a clear message), 2 bad usage.
 */
#ifndef LEDTICKER_CLI_H
#define LEDTICKER_CLI_H

#include <stdbool.h>
#include <time.h>

#include "schedule/config.h"
#include "util/diag.h"

/* Set by main.c from -v / -q; the commands build their struct diag from it. */
struct cli_env {
    int verbosity;          /* 0 = warnings and errors, 1 = info, 2 = debug */
    struct diag diag;       /* prints to stderr, honouring verbosity */
};

/* int cmd_NAME_main(const struct cli_env *env, int argc, char **argv); */
int cmd_check_main(const struct cli_env *env, int argc, char **argv);
int cmd_schedule_main(const struct cli_env *env, int argc, char **argv);
int cmd_devices_main(const struct cli_env *env, int argc, char **argv);

/* The whole of `check` (cmd_check.c) on one config, every problem printed
 * in file and line order; publish runs it on a bundle before it signs.
 * Returns 0 (no errors), 1 (errors, or out of memory) or 2 (a usage
 * error: a data-directory flag that names nothing). */
struct check_request {
    const char *path;                   /* the config file (boards beside it count) */
    bool neutral;                       /* publish: no local file; `layers` over a neutral display */
    const struct config_layer *layers;  /* with neutral: the bundles, `path`'s last */
    size_t layer_count;
    const char *boards, *fonts, *calendar;      /* --boards-dir ... (NULL: the usual rule) */
    time_t now;                         /* for expiry warnings */
    /* Called with the config when it has no errors, before it is freed;
     * non-zero fails the check (out of memory). NULL: not called. */
    int (*on_ok)(void *user, const struct config *cfg);
    void *user;
};
int check_config(const struct cli_env *env, const struct check_request *r);

/* What `schedule --at` prints for a moment (cmd_schedule.c); publish
 * --dry-run prints the same for each site. */
struct sched;
struct sched_playlist;
void schedule_print_at(const struct sched *s, time_t t, const struct sched_playlist *pl);

/* ledticker keygen --out PREFIX: the newsroom's Ed25519 key pair. */
int cmd_keygen_main(const struct cli_env *env, int argc, char **argv);

/* ledticker publish: check, pack, sign and send a bundle (docs/fleet.md). */
int cmd_publish_main(const struct cli_env *env, int argc, char **argv);

/* ledticker run: the ticker itself. */
int cmd_run_main(const struct cli_env *env, int argc, char **argv);

/* ledticker preview: the frames the panel would show, as a GIF or a PNG. */
int cmd_preview_main(const struct cli_env *env, int argc, char **argv);

/* ledticker status: the running ticker's state file (docs/faults.md). */
int cmd_status_main(const struct cli_env *env, int argc, char **argv);

/* ledticker render: one line of text into a PNG strip. */
int cmd_render_main(const struct cli_env *env, int argc, char **argv);

/* ledticker fleet status --broker URL: every kiosk's retained status. */
int cmd_fleet_main(const struct cli_env *env, int argc, char **argv);

/* ledticker firmware update FILE.uf2: flash the controller. */
int cmd_firmware_main(const struct cli_env *env, int argc, char **argv);

#endif
