/* sanprobe — does one thing a sanitizer must report, then exits 1 as a
 * command refusing bad input would. tests/e2e/runners.sh runs it under the
 * test runners' environment (tests/runner-env.sh) to show that a leak or
 * undefined behaviour in a sanitized build exits 99, never the expected 1,
 * and that the runners fail on it.
 *
 *   sanprobe leak|ub|overflow|clean */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "leak")) {
        char *volatile p = malloc(48);
        if (p)
            memset(p, 'x', 48);
        p = NULL;                                   /* the only pointer gone */
    } else if (!strcmp(mode, "ub")) {
        volatile int x = INT_MAX;
        int y = x + (int)strlen(mode);              /* signed overflow */
        printf("%d\n", y);
    } else if (!strcmp(mode, "overflow")) {
        char *volatile p = malloc(4);
        size_t at = 4 + strlen(mode) - 8;           /* 4, past the end */
        if (p)
            printf("%d\n", p[at]);
        free(p);
    } else if (strcmp(mode, "clean")) {
        fprintf(stderr, "usage: sanprobe leak|ub|overflow|clean\n");
        return 2;
    }
    return 1;
}
