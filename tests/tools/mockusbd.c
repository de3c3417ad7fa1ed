/* mockusbd — runs a command with an emulated ledticker controller on an
 * emulated USB bus (tests/support/mockusb.h), for end-to-end tests and
 * benchmarks of the unmodified `ledticker` binary.
 *
 *   mockusbd [--board NAME] [--serial S] [--id VVVV:PPPP] [--log FILE]
 *            [--emulate] [--at MS:ACTION]... -- COMMAND [ARG]...
 *
 * --emulate: the controller is the real firmware image for the board
 * (build/firmware/ledctl-BOARD.uf2) on an emulated RP2040 (rp2040js, node),
 * not the core in this process; its serial is the emulated flash's ID.
 *
 * The testbed lives in this process; the command inherits LD_PRELOAD and
 * UMOCKDEV_DIR and so sees the device. ACTION, MS after the command starts:
 *   unplug | replug | replug=BOARD | stall | hang | corrupt=N | term | mark
 * The controller answers the reboot-to-bootloader request by leaving the
 * bus and coming back 1 s later (the firmware update's drive is a folder
 * the test provides: ledticker firmware update --drive DIR).
 * The log gets a line per presented frame and one per action, with the
 * CPU milliseconds the command has used so far: "ACTION MONO_MS CPU_MS".
 * Exit status: the command's (128 + signal if it was killed). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mockusb.h"

extern char **environ;

enum { MAX_ACTIONS = 64 };

struct action {
    long at_ms;
    char what[48];
};

static void usage(FILE *f)
{
    fprintf(f, "usage: mockusbd [--board NAME] [--serial S] [--id VVVV:PPPP] [--log FILE]\n"
               "                [--emulate] [--at MS:ACTION]... -- COMMAND [ARG]...\n"
               "ACTION: unplug | replug | replug=BOARD | stall | hang | corrupt=N | term | mark\n");
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int by_time(const void *a, const void *b)
{
    const struct action *x = a, *y = b;
    return (x->at_ms > y->at_ms) - (x->at_ms < y->at_ms);
}

/* CPU time (user + system) the process has used, in ms; -1 if unknown. */
static long cpu_ms_of(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');     /* the command name may hold spaces */
    unsigned long utime, stime;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                     &utime, &stime) != 2)
        return -1;
    return (long)((utime + stime) * 1000 / (unsigned long)sysconf(_SC_CLK_TCK));
}

static int perform(struct mockusb *m, pid_t child, const char *what)
{
    mockusb_log_note(m, what, cpu_ms_of(child));
    if (!strcmp(what, "unplug"))
        mockusb_unplug(m);
    else if (!strcmp(what, "replug"))
        return mockusb_replug(m, NULL);
    else if (!strncmp(what, "replug=", 7))
        return mockusb_replug(m, what + 7);
    else if (!strcmp(what, "stall"))
        mockusb_inject(m, MOCKUSB_FAULT_STALL, 1);
    else if (!strcmp(what, "hang"))
        mockusb_inject(m, MOCKUSB_FAULT_HANG, 1);
    else if (!strncmp(what, "corrupt=", 8))
        mockusb_inject(m, MOCKUSB_FAULT_CORRUPT, (unsigned)atoi(what + 8));
    else if (!strcmp(what, "term"))
        kill(child, SIGTERM);
    else if (!strcmp(what, "mark"))
        ;                           /* only the log line: time and CPU */
    else
        return -1;
    return 0;
}

/* Sleeps until `when` or until the child ends; true if it ended. */
/* Waits for the child until `when` (ms; -1 = for ever). Meanwhile a
 * controller asked to reboot into its bootloader (firmware update) leaves
 * the bus and comes back a second later, freshly booted. */
static bool wait_until(struct mockusb *m, pid_t child, long when, int *status)
{
    for (;;) {
        pid_t r = waitpid(child, status, WNOHANG);
        if (r == child)
            return true;
        if (mockusb_take_reboot(m)) {
            mockusb_unplug(m);
            struct timespec gone = { 1, 0 };
            nanosleep(&gone, NULL);
            if (mockusb_replug(m, NULL) != 0)
                fprintf(stderr, "mockusbd: replug after the reboot request failed\n");
            continue;
        }
        if (when < 0) {
            struct timespec ts = { 0, 20 * 1000000L };
            nanosleep(&ts, NULL);
            continue;
        }
        long left = when - now_ms();
        if (left <= 0)
            return false;
        struct timespec ts = { 0, (left > 20 ? 20 : left) * 1000000L };
        nanosleep(&ts, NULL);
    }
}

int main(int argc, char **argv)
{
    mockusb_reexec_preloaded(argv);
    prctl(PR_SET_TIMERSLACK, 1);
    static const struct option longopts[] = {
        { "board", required_argument, NULL, 'b' },
        { "serial", required_argument, NULL, 's' },
        { "log", required_argument, NULL, 'l' },
        { "id", required_argument, NULL, 'i' },
        { "at", required_argument, NULL, 'a' },
        { "emulate", no_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct mockusb_config cfg = { 0 };
    const char *log = NULL;
    struct action actions[MAX_ACTIONS];
    int n_actions = 0, opt;
    while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        char *colon;
        switch (opt) {
        case 'b': cfg.board = optarg; break;
        case 's': cfg.serial = optarg; break;
        case 'l': log = optarg; break;
        case 'e': cfg.emulate = true; break;
        case 'i':
            if (sscanf(optarg, "%hx:%hx", &cfg.vid, &cfg.pid) != 2) {
                usage(stderr);
                return 2;
            }
            break;
        case 'a':
            colon = strchr(optarg, ':');
            if (!colon || n_actions == MAX_ACTIONS) {
                usage(stderr);
                return 2;
            }
            actions[n_actions].at_ms = atol(optarg);
            snprintf(actions[n_actions].what, sizeof actions[0].what, "%s", colon + 1);
            n_actions++;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    qsort(actions, (size_t)n_actions, sizeof actions[0], by_time);

    struct mockusb *m = mockusb_new(&cfg);
    if (!m)
        return 1;
    if (log && mockusb_log_presents(m, log) != 0) {
        fprintf(stderr, "mockusbd: cannot open %s: %s\n", log, strerror(errno));
        mockusb_free(m);
        return 1;
    }
    pid_t child;
    int err = posix_spawnp(&child, argv[optind], NULL, NULL, argv + optind, environ);
    if (err) {
        fprintf(stderr, "mockusbd: cannot run %s: %s\n", argv[optind], strerror(err));
        mockusb_free(m);
        return 1;
    }
    long start = now_ms();
    int status = 0;
    bool ended = false;
    for (int i = 0; i < n_actions && !ended; i++) {
        ended = wait_until(m, child, start + actions[i].at_ms, &status);
        if (!ended && perform(m, child, actions[i].what) != 0)
            fprintf(stderr, "mockusbd: action '%s' failed\n", actions[i].what);
    }
    if (!ended)
        wait_until(m, child, -1, &status);

    struct mockusb_stats st;
    mockusb_get_stats(m, &st);
    fprintf(stderr, "mockusbd: %lu frames presented, %lu bytes in, %u CRC errors, %u overflows\n",
            st.presents, st.out_bytes, st.crc_errors, st.overflows);
    mockusb_free(m);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
