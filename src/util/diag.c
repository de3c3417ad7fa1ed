#include "util/diag.h"

#include <stdio.h>

void diag_discard(void *user, enum diag_level level, const char *file, int line,
                  const char *msg)
{
    (void)user, (void)level, (void)file, (void)line, (void)msg;
}

const struct diag diag_silent = { diag_discard, NULL };

const char *diag_level_name(enum diag_level level)
{
    switch (level) {
    case DIAG_DEBUG: return "debug";
    case DIAG_INFO:  return "info";
    case DIAG_NOTICE: return "notice";
    case DIAG_WARN:  return "warning";
    case DIAG_ERROR: return "error";
    }
    return "?";
}

void diag_print(void *stream, enum diag_level level,
                const char *file, int line, const char *msg)
{
    FILE *f = stream;
    if (file && line > 0)
        fprintf(f, "%s:%d: %s: %s\n", file, line, diag_level_name(level), msg);
    else if (file)
        fprintf(f, "%s: %s: %s\n", file, diag_level_name(level), msg);
    else
        fprintf(f, "ledticker: %s: %s\n", diag_level_name(level), msg);
}

void diag_vemit(const struct diag *d, enum diag_level level,
                const char *file, int line, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (d && d->fn) {
        d->fn(d->user, level, file, line, msg);
        return;
    }
    if (level >= DIAG_NOTICE)
        diag_print(stderr, level, file, line, msg);
}

void diag_emit(const struct diag *d, enum diag_level level,
               const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vemit(d, level, file, line, fmt, ap);
    va_end(ap);
}
