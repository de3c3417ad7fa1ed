/* The proof-of-play log: line format, one line per write, a new file after
 * a rotation or a deletion, and no line lost while the disk refuses data
 * (kept in memory, written in order when it takes data again). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose/playlog.h"
#include "diagcap.h"

static char dir[64];

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void format_and_rotate(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Shanghai", 1);
    strcpy(dir, "/tmp/playlog-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128], moved[128];
    snprintf(path, sizeof path, "%s/play.log", dir);
    snprintf(moved, sizeof moved, "%s/play.log.1", dir);

    struct playlog *log;
    assert_int_equal(playlog_open(&log, path, NULL), 0);
    int64_t start = INT64_C(1772415000) * 1000000000;       /* 2026-03-02 09:30 +08 */
    assert_int_equal(playlog_write(log, start, start + 5125000000, "lishi-01"), 0);
    /* Written through, not buffered: the file has the line right away. */
    assert_string_equal(slurp(path), "2026-03-02T09:30:00+08:00 lishi-01 5.125\n");

    /* Moved away by logrotate with SIGHUP: the next line starts a new file
     * quietly. Moved away (or deleted) without one: the same, with a
     * warning, since a cleaner at work is news. */
    assert_int_equal(rename(path, moved), 0);
    assert_int_equal(playlog_reopen(log), 0);
    assert_int_equal(playlog_write(log, start + 6000000000, start + 7000000000, "b"), 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(playlog_write(log, start + 8000000000, start + 9500000000, "c"), 0);
    assert_string_equal(slurp(moved), "2026-03-02T09:30:00+08:00 lishi-01 5.125\n");
    assert_string_equal(slurp(path), "2026-03-02T09:30:08+08:00 c 1.500\n");
    playlog_close(log);
    unlink(path);
    unlink(moved);
    rmdir(dir);
}

static void capture(void *user, enum diag_level level, const char *file, int line,
                    const char *msg)
{
    (void)line;
    assert_int_equal(level, DIAG_ERROR);
    snprintf(user, 256, "%s: %s", file, msg);
}

/* A log that cannot be opened is refused with the path and the reason. */
static void unwritable(void **state)
{
    (void)state;
    struct playlog *log;
    char said[256] = "";
    struct diag d = { capture, said };
    assert_int_equal(playlog_open(&log, "/nonexistent-dir/play.log", &d), PLAYLOG_ERR_IO);
    assert_string_equal(said, "/nonexistent-dir/play.log: cannot open the play log: "
                              "No such file or directory");
}

/* The lines of a file, or -1. */
static long count_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = 0;
    for (int c; (c = getc(f)) != EOF;)
        n += c == '\n';
    fclose(f);
    return n;
}

/* A log whose disk is full (the path is a symlink to /dev/full) keeps the
 * lines in memory; once a real file is there they are all written, in
 * order, with one error at the start of the fault and one notice at its
 * end. Retries come from playlog_tick, at most once a second. */
static void full_disk_then_space(void **state)
{
    (void)state;
    char tmp[64], path[128], real[128];
    tmpdir_make(tmp, sizeof tmp);
    snprintf(path, sizeof path, "%s/play.log", tmp);
    snprintf(real, sizeof real, "%s/real.log", tmp);
    assert_int_equal(symlink("/dev/full", path), 0);
    struct diagcap cap;
    diagcap_init(&cap);
    struct playlog *log;
    assert_int_equal(playlog_open(&log, path, &cap.diag), 0);
    int64_t t0 = INT64_C(1772415000) * 1000000000;
    for (int i = 0; i < 500; i++) {
        char id[16];
        snprintf(id, sizeof id, "m%03d", i);
        assert_int_equal(playlog_write(log, t0 + i * INT64_C(1000000000), t0 + (i + 1) * INT64_C(1000000000), id), 0);
        playlog_tick(log, i * INT64_C(100000000));      /* ten ticks a second */
    }
    assert_int_equal(playlog_queued(log), 500);
    char fault[256];
    assert_non_null(playlog_fault(log, fault, sizeof fault));
    assert_non_null(strstr(fault, "No space left on device"));
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 1);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "No space left on device; passes are kept in memory"));

    /* Space again: the file takes data. */
    tmpdir_write(tmp, "real.log", "");
    assert_int_equal(rename(real, path), 0);
    playlog_tick(log, 60 * INT64_C(1000000000));
    assert_int_equal(playlog_queued(log), 0);
    assert_null(playlog_fault(log, fault, sizeof fault));
    assert_int_equal(count_lines(path), 500);
    char first[64], last[64];
    playlog_format(first, sizeof first, t0, t0 + 1000000000, "m000");
    playlog_format(last, sizeof last, t0 + 499 * INT64_C(1000000000), t0 + 500 * INT64_C(1000000000), "m499");
    const char *text = slurp(path);
    assert_true(strncmp(text, first, strlen(first)) == 0);
    assert_non_null(strstr(text, last));
    assert_true(strstr(text, "m123") < strstr(text, "m124"));
    assert_int_equal(diagcap_count(&cap, DIAG_ERROR), 1);
    assert_int_equal(diagcap_count(&cap, DIAG_NOTICE), 1);
    assert_non_null(diagcap_find(&cap, DIAG_NOTICE, "written again; 500 lines recovered, none lost"));
    assert_int_equal(diagcap_count(&cap, DIAG_WARN), 0);
    assert_int_equal(playlog_close(log), 0);
    tmpdir_remove(tmp);
}

/* Past PLAYLOG_QUEUE_LINES the newest lines are lost, counted, and said. */
static void queue_overflow(void **state)
{
    (void)state;
    char tmp[64], path[128], real[128];
    tmpdir_make(tmp, sizeof tmp);
    snprintf(path, sizeof path, "%s/play.log", tmp);
    snprintf(real, sizeof real, "%s/real.log", tmp);
    assert_int_equal(symlink("/dev/full", path), 0);
    struct diagcap cap;
    diagcap_init(&cap);
    struct playlog *log;
    assert_int_equal(playlog_open(&log, path, &cap.diag), 0);
    int64_t t0 = INT64_C(1772415000) * 1000000000;
    for (int i = 0; i < PLAYLOG_QUEUE_LINES + 3; i++)
        assert_int_equal(playlog_write(log, t0 + i * INT64_C(1000000000), t0 + (i + 1) * INT64_C(1000000000), "x"),
                         i < PLAYLOG_QUEUE_LINES ? PLAYLOG_OK : PLAYLOG_ERR_LOST);
    tmpdir_write(tmp, "real.log", "");
    assert_int_equal(rename(real, path), 0);
    playlog_tick(log, 0);
    assert_int_equal(count_lines(path), PLAYLOG_QUEUE_LINES);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "10000 lines recovered, 3 lost when the memory queue"));
    assert_int_equal(playlog_close(log), 0);
    tmpdir_remove(tmp);
}

/* Lines still queued when the ticker stops are reported, not dropped quietly. */
static void lost_at_close(void **state)
{
    (void)state;
    struct diagcap cap;
    diagcap_init(&cap);
    struct playlog *log;
    assert_int_equal(playlog_open(&log, "/dev/full", &cap.diag), 0);
    assert_int_equal(playlog_write(log, 0, 1000000000, "a"), 0);
    assert_int_equal(playlog_close(log), 1);
    assert_non_null(diagcap_find(&cap, DIAG_ERROR, "stopping with 1 lines never written (No space left on device)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_and_rotate),
        cmocka_unit_test(unwritable),
        cmocka_unit_test(full_disk_then_space),
        cmocka_unit_test(queue_overflow),
        cmocka_unit_test(lost_at_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
