/* cli — the command-line layer. The only code that wires modules together.
 *
 * Each subcommand lives in src/cli/cmd_NAME.c and exports cmd_NAME_main().
 * They return the process exit code: 0 success, 1 a failure of input or
 * I/O (after a clear message), 2 bad usage.
 */
#ifndef LEDTICKER_CLI_H
#define LEDTICKER_CLI_H

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
