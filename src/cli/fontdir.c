#include "cli/fontdir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LEDTICKER_FONTS_DIR
#define LEDTICKER_FONTS_DIR "/usr/local/share/ledticker/fonts"
#endif

static int has_chain(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/default.chain", dir) >= (int)sizeof path)
        return 0;
    return access(path, R_OK) == 0;
}

static int take(const char *dir, char *buf, size_t len)
{
    if (!has_chain(dir))
        return 0;
    snprintf(buf, len, "%s", dir);
    return 1;
}

int fontdir_find(const char *option, char *buf, size_t len)
{
    if (option) {
        if (take(option, buf, len))
            return 0;
        snprintf(buf, len, "%s (from --fonts-dir)", option);
        return -1;
    }
    const char *env = getenv("LEDTICKER_FONTS_DIR");
    if (env && *env && take(env, buf, len))
        return 0;
    char exe[PATH_MAX], dir[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            static const char *const rel[] = { "../share/ledticker/fonts", "../fonts",
                                               "../../fonts" };
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                snprintf(dir, sizeof dir, "%s/%s", exe, rel[i]);
                if (take(dir, buf, len))
                    return 0;
            }
        }
    }
    if (take(LEDTICKER_FONTS_DIR, buf, len))
        return 0;
    snprintf(buf, len, "%s%s, next to the executable, %s", env ? env : "",
             env ? " ($LEDTICKER_FONTS_DIR)" : "$LEDTICKER_FONTS_DIR unset", LEDTICKER_FONTS_DIR);
    return -1;
}
