/* The proof-of-play log: line format, one line per write, reopen after a
 * rotation (logrotate moves the file, the ticker keeps logging). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose/playlog.h"

static char dir[64];

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[4096];
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

    assert_int_equal(rename(path, moved), 0);
    assert_int_equal(playlog_write(log, start + 6000000000, start + 7000000000, "b"), 0);
    assert_int_equal(playlog_reopen(log), 0);
    assert_int_equal(playlog_write(log, start + 8000000000, start + 9500000000, "c"), 0);
    assert_string_equal(slurp(moved), "2026-03-02T09:30:00+08:00 lishi-01 5.125\n"
                                      "2026-03-02T09:30:06+08:00 b 1.000\n");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_and_rotate),
        cmocka_unit_test(unwritable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
