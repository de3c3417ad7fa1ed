/* make bench: a config with 10,000 messages loads, and `schedule --at`
 * answers. Prints the in-process load time, the in-process query time and
 * the whole `ledticker schedule --at --json` process, each beside the goal
 * (100 ms), and the query for 1,000 messages all active with repeat = 10
 * (a cycle of 10,000 copies to lay out). Median of 7 runs; exits 1 when
 * any goal is missed. There is no reference tool to compare with:
 * Debian's inih cannot read these lines (it cuts them at 200 bytes). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "schedule/civil.h"
#include "schedule/config.h"
#include "schedule/sched.h"

#define MESSAGES 10000
#define RUNS 7
#define GOAL_MS 100.0

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v)
{
    qsort(v, RUNS, sizeof *v, cmp_double);
    return v[RUNS / 2];
}

/* Realistic messages: Chinese headlines and summaries of the seed's
 * length, office hours, weekends, crossings, dates, a few repeats. */
static void write_config(const char *path)
{
    static const char *words[] = { "离石区", "环卫中心", "创城工作", "爱心驿站", "外卖员", "交警",
                                   "疫情防控", "养老保险", "失业保险金", "党员干部", "秋收", "归化村" };
    static const char *days[] = { "daily", "mon-fri", "sat,sun", "fri-mon", "mon,wed,fri" };
    static const char *hours[] = { "", "08:00-12:00, 14:30-18:00", "07:00-21:00", "19:00-01:00", "00:00-00:00" };
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fprintf(f, "[display]\nboard = hub75-256x32\nspeed = 3 cps\n\n");
    for (int i = 0; i < MESSAGES; i++) {
        fprintf(f, "[message n%05d]\nheadline = ", i);
        for (int w = 0; w < 6; w++)
            fputs(words[(i + w * 7) % 12], f);
        fprintf(f, "\nsummary = ");
        for (int w = 0; w < 16; w++)
            fprintf(f, "%s%s", words[(i * 3 + w) % 12], w % 4 == 3 ? "，" : "");
        fprintf(f, "。\npriority = %d\ndays = %s\n", 30 + i % 50, days[i % 5]);
        if (*hours[i % 5])
            fprintf(f, "hours = %s\n", hours[i % 5]);
        if (i % 7 == 0)
            fprintf(f, "from = 2026-%02d-01\nuntil = 2027-%02d-28\n", 1 + i % 12, 1 + i % 12);
        if (i % 50 == 0)
            fprintf(f, "repeat = 2\n");
        fprintf(f, "\n");
    }
    fclose(f);
}

static double run_process(char *const argv[])
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    double t = now_ms() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s %s failed (status %d)\n", argv[0], argv[1], status);
        exit(1);
    }
    return t;
}

static bool missed;

static void line(const char *what, double ms)
{
    printf("  %-44s %8.2f ms   goal < %.0f ms   %s\n", what, ms, GOAL_MS, ms < GOAL_MS ? "ok" : "SLOW");
    missed |= !(ms < GOAL_MS);
}

/* 1,000 messages, all active all the time, each with repeat = 10. */
static double repeated_query(size_t *copies)
{
    static char text[1000 * 64];
    size_t o = 0;
    for (int i = 0; i < 1000; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "[message r%04d]\nheadline = 第%d条\nrepeat = 10\n", i, i);
    struct config *cfg;
    struct sched *s;
    if (config_parse(&cfg, "repeats.ini", text, o, NULL, NULL) != CONFIG_OK || sched_new(&s, cfg) != SCHED_OK) {
        fprintf(stderr, "repeats config does not load\n");
        exit(1);
    }
    double t[RUNS];
    struct sched_playlist pl = { 0 };
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms();
        if (sched_playlist_at(s, 1795737600, &pl) != SCHED_OK) {
            fprintf(stderr, "sched_playlist_at failed\n");
            exit(1);
        }
        t[r] = now_ms() - t0;
    }
    *copies = pl.count;
    sched_playlist_release(&pl);
    sched_free(s);
    config_free(cfg);
    return median(t);
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    char path[] = "/tmp/ledticker-bench-XXXXXX.ini";
    int fd = mkstemps(path, 4);
    if (fd < 0) {
        perror("mkstemps");
        return 1;
    }
    close(fd);
    write_config(path);
    FILE *f = fopen(path, "r");
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fclose(f);

    double load[RUNS], query[RUNS], proc[RUNS], check[RUNS];
    time_t at = 0;
    size_t count = 0;
    for (int r = 0; r < RUNS; r++) {
        struct config *cfg;
        struct config_options o = { 0 };
        double t0 = now_ms();
        if (config_load(&cfg, path, &o, NULL) != CONFIG_OK) {
            fprintf(stderr, "generated config does not load\n");
            return 1;
        }
        struct sched *s;
        sched_new(&s, cfg);
        load[r] = now_ms() - t0;
        civil_parse_instant("2026-11-30 09:00", &at);
        struct sched_playlist pl = { 0 };
        t0 = now_ms();
        sched_playlist_at(s, at, &pl);
        query[r] = now_ms() - t0;
        count = pl.count;
        sched_playlist_release(&pl);
        sched_free(s);
        config_free(cfg);
    }
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    char bin[512];
    snprintf(bin, sizeof bin, "%s/ledticker", build);
    char *sched_argv[] = { bin, "schedule", "-c", path, "--at", "2026-11-30 09:00", "--json", NULL };
    char *check_argv[] = { bin, "-q", "check", "-c", path, NULL };
    for (int r = 0; r < RUNS; r++) {
        proc[r] = run_process(sched_argv);
        check[r] = run_process(check_argv);
    }
    printf("schedule: %d messages, %.1f MB config, %zu items playing at 2026-11-30 09:00\n",
           MESSAGES, bytes / 1e6, count);
    line("load (read + validate + compile), in process", median(load));
    line("sched_playlist_at, in process", median(query));
    line("ledticker schedule --at --json, whole process", median(proc));
    line("ledticker check, whole process", median(check));
    remove(path);
    size_t copies = 0;
    double rq = repeated_query(&copies);
    printf("schedule: 1000 messages with repeat = 10, all active: %zu copies in the cycle\n", copies);
    line("sched_playlist_at, 1000 x repeat 10", rq);
    return missed ? 1 : 0;
}
