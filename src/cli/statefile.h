/* statefile — the small file through which `run` tells `status` what is
 * going on: what plays and since when, the controller, the last reload and
 * every active fault, as "key: value" lines.
 *
 * `run` replaces it atomically (wfile_replace: a reader never sees half of
 * it) every clock minute and whenever a fault starts or ends. It lives in
 * the runtime directory, a tmpfs, so the fsync costs nothing and a full or
 * read-only data disk does not stop it. A failing write is one error when
 * it starts and one notice when it ends, like any other fault.
 */
#ifndef LEDTICKER_STATEFILE_H
#define LEDTICKER_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

/* Where the service keeps its state file when no --state-file is given:
 * $RUNTIME_DIRECTORY/status (systemd's RuntimeDirectory=ledticker), and
 * for `status` outside the service's environment /run/ledticker/status.
 * `for_run`: NULL unless $RUNTIME_DIRECTORY is set, so that a ticker run
 * by hand or by a test never overwrites the service's file. Returns buf,
 * or NULL. */
const char *statefile_path(char *buf, size_t len, bool for_run);

struct statefile {
    const char *path;
    struct diag diag;
    int err;                /* errno of the failing write; 0 = healthy */
};

/* Replaces the file with `text`. 0, or -errno (reported once per fault). */
int statefile_write(struct statefile *s, const char *text);

#endif
