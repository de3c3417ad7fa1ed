#include "cli/statefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/wfile.h"

const char *statefile_path(char *buf, size_t len, bool for_run)
{
    const char *rt = getenv("RUNTIME_DIRECTORY");
    if (rt && *rt) {
        /* systemd may list several, separated by colons: the first is ours. */
        int n = snprintf(buf, len, "%.*s/status", (int)strcspn(rt, ":"), rt);
        return n > 0 && (size_t)n < len ? buf : NULL;
    }
    if (for_run)
        return NULL;
    snprintf(buf, len, "/run/ledticker/status");
    return buf;
}

int statefile_write(struct statefile *s, const char *text)
{
    const char *step;
    int rc = wfile_replace(s->path, text, strlen(text), 0644, &step);
    if (rc && !s->err)
        diag_emit(&s->diag, DIAG_ERROR, NULL, 0,
                  "state file %s: %s failed: %s; `ledticker status` shows old news until it "
                  "can be written", s->path, step, strerror(-rc));
    if (!rc && s->err)
        diag_emit(&s->diag, DIAG_NOTICE, NULL, 0, "state file %s: written again", s->path);
    s->err = rc ? -rc : 0;
    return rc;
}
