#include "cli/statefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/wfile.h"

static const char *in_dir(char *buf, size_t len, const char *dir, const char *sub, bool create)
{
    char d[4096];
    if (snprintf(d, sizeof d, "%s%s", dir, sub) >= (int)sizeof d)
        return NULL;
    if (create && mkdir(d, 0755) != 0 && errno != EEXIST)
        return NULL;
    if (snprintf(buf, len, "%s/status", d) >= (int)len)
        return NULL;
    return buf;
}

const char *statefile_path(char *buf, size_t len, bool create)
{
    const char *rt = getenv("RUNTIME_DIRECTORY");
    if (rt && *rt) {
        /* systemd may list several, separated by colons: the first is ours. */
        char first[4096];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(rt, ":"), rt);
        return in_dir(buf, len, first, "", false);
    }
    struct stat st;
    if (geteuid() == 0 || stat("/run/ledticker", &st) == 0) {
        const char *p = in_dir(buf, len, "/run/ledticker", "", create && geteuid() == 0);
        if (p && (!create || access("/run/ledticker", W_OK) == 0))
            return p;
    }
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (xdg && *xdg)
        return in_dir(buf, len, xdg, "/ledticker", create);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/ledticker-%u", (unsigned)getuid());
    return in_dir(buf, len, tmp, "", create);
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
