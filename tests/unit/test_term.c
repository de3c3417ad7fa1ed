/* The term output: half blocks in 24-bit colour, two LEDs a cell, only
 * changed rows redrawn, the panel size from the board file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose/frame.h"
#include "transport/backend.h"

static char path[64], dir[64];

static size_t slurp(char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return n;
}

static void draws_half_blocks(void **state)
{
    (void)state;
    strcpy(path, "/tmp/term-XXXXXX");
    close(mkstemp(path));
    struct transport_config cfg = { .width = 4, .height = 2 };
    struct transport *t;
    assert_int_equal(term_open(&t, path, &cfg, NULL), TRANSPORT_OK);
    struct transport_info info;
    assert_int_equal(t->ops->info(t, &info), 0);
    assert_int_equal(info.width, 4);
    assert_int_equal(info.height, 2);
    struct frame f;
    assert_int_equal(frame_init(&f, 4, 2), 0);
    frame_pixel(&f, 0, 0)[0] = 255;         /* red over green in the first cell */
    frame_pixel(&f, 0, 1)[1] = 255;
    assert_int_equal(t->ops->show_frame(t, &f), 0);
    /* The same frame again draws nothing new. */
    assert_int_equal(t->ops->show_frame(t, &f), 0);
    /* Wire bytes are accepted and dropped. */
    assert_int_equal(t->ops->send(t, "\x4c\xed", 2), 0);
    t->ops->close(t);
    char buf[4096];
    slurp(buf, sizeof buf);
    const char *first = "\x1b[1;1H\x1b[38;2;255;0;0m\x1b[48;2;0;255;0m\xE2\x96\x80"
                        "\x1b[38;2;0;0;0m\x1b[48;2;0;0;0m\xE2\x96\x80\xE2\x96\x80\xE2\x96\x80\x1b[0m";
    char *at = strstr(buf, first);
    assert_non_null(at);
    assert_null(strstr(at + 1, "\x1b[1;1H"));   /* drawn once */
    frame_release(&f);
    unlink(path);
}

static void capture(void *user, enum diag_level level, const char *file, int line,
                    const char *msg)
{
    (void)level, (void)file, (void)line;
    snprintf(user, 256, "%s", msg);
}

static void size_from_board(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/termb-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char board[128];
    snprintf(board, sizeof board, "%s/tiny.ini", dir);
    FILE *b = fopen(board, "w");
    fputs("# a board\n[board]\nname = tiny\nwidth = 32\nheight = 16\n[usb]\nvid = 0x1209\n", b);
    fclose(b);
    strcpy(path, "/tmp/term-XXXXXX");
    close(mkstemp(path));
    struct transport_config cfg = { .board = "tiny", .boards_dir = dir };
    struct transport *t;
    assert_int_equal(term_open(&t, path, &cfg, NULL), TRANSPORT_OK);
    struct transport_info info;
    t->ops->info(t, &info);
    assert_int_equal(info.width, 32);
    assert_int_equal(info.height, 16);
    t->ops->close(t);
    unlink(board);
    unlink(path);
    rmdir(dir);
    /* No size at all is refused. */
    struct transport_config none = { 0 };
    char said[256] = "";
    struct diag d = { capture, said };
    assert_int_equal(term_open(&t, path, &none, &d), TRANSPORT_ERR_INVALID);
    assert_non_null(strstr(said, "no panel size"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(draws_half_blocks),
        cmocka_unit_test(size_from_board),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
