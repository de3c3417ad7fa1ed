/* ledticker status [--state-file PATH]: what a technician on site asks
 * first. Prints the state file that `run` keeps in the runtime directory
 * (what plays and since when, the controller, the last reload, every
 * active fault) and says whether the ticker behind it is still alive.
 *
 * Exit status: 0 the ticker runs and has no fault; 1 no state file (never
 * started here, or another runtime directory); 2 bad usage; 3 the ticker
 * is not running (the file is left from a stopped one); 4 it runs with at
 * least one active fault. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/statefile.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: ledticker status [--state-file PATH]\n"
        "Shows what the running ticker plays and since when, the controller, the last\n"
        "reload and every active fault (see docs/faults.md), from the state file that\n"
        "`ledticker run` updates every minute.\n"
        "  --state-file PATH  the file `run --state-file` writes (default: the\n"
        "                     service's, /run/ledticker/status)\n"
        "exit status: 0 running, no fault; 1 no state file; 3 not running; 4 a fault\n");
}

/* Is the process that wrote the file still there? (kill 0: EPERM means it
 * exists but belongs to another user, as the service does.) */
static bool alive(long pid)
{
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int cmd_status_main(const struct cli_env *env, int argc, char **argv)
{
    (void)env;
    static const struct option opts[] = {
        { "state-file", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    const char *path = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'T': path = optarg; break;
        case 'h': usage(stdout); return 0;
        case ':':
            fprintf(stderr, "ledticker status: %s needs a value\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        default:
            fprintf(stderr, "ledticker status: unknown option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ledticker status: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    char buf[4096];
    if (!path)
        path = statefile_path(buf, sizeof buf, false);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "ledticker status: %s: %s (is `ledticker run` running here? "
                "--state-file names another file)\n", path, strerror(errno));
        return 1;
    }
    struct stat st;
    time_t age = fstat(fileno(f), &st) == 0 ? time(NULL) - st.st_mtime : 0;
    long pid = 0;
    bool fault = false;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "pid: %ld", &pid);
        if (!strncmp(line, "fault: ", 7) && strcmp(line, "fault: none\n"))
            fault = true;
        fputs(line, stdout);
    }
    fclose(f);
    if (!alive(pid)) {
        printf("state: NOT RUNNING (process %ld is gone; this file is %lld s old)\n", pid,
               (long long)age);
        return 3;
    }
    /* run rewrites the file every minute: much older means a stalled loop
     * (the watchdog restarts it soon). */
    if (age > 150)
        printf("state: STALLED? (no update for %lld s)\n", (long long)age);
    else
        printf("state: running%s\n", fault ? ", with faults" : "");
    return fault ? 4 : 0;
}
