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

/* Where the state file is when no --state-file is given:
 *   $RUNTIME_DIRECTORY/status   (systemd's RuntimeDirectory=ledticker)
 *   /run/ledticker/status       (root, or when that directory exists)
 *   $XDG_RUNTIME_DIR/ledticker/status
 *   /tmp/ledticker-UID/status
 * With `create`, the directory is made (mode 0755) when missing. Returns
 * buf, or NULL when the path does not fit. */
const char *statefile_path(char *buf, size_t len, bool create);

struct statefile {
    const char *path;
    struct diag diag;
    int err;                /* errno of the failing write; 0 = healthy */
};

/* Replaces the file with `text`. 0, or -errno (reported once per fault). */
int statefile_write(struct statefile *s, const char *text);

#endif
