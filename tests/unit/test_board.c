/* The firmware's compile-time board table and the boards/NAME.ini files the
 * host reads describe the same boards, key for key; and the core can drive
 * every one of them. (Run from the source tree, as make test does.) */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"

#define BOARDS_DIR "boards"

/* The value of `key` in `section` of an INI file, in `out`; false if absent.
 * Just enough INI for this check: [section], key = value, # comments. */
static bool ini_value(const char *path, const char *section, const char *key, char *out,
                      size_t cap)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256], cur[64] = "";
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        s[strcspn(s, "\r\n")] = '\0';
        if (*s == '#' || *s == ';' || *s == '\0')
            continue;
        if (*s == '[') {
            snprintf(cur, sizeof cur, "%.*s", (int)strcspn(s + 1, "]"), s + 1);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq || strcmp(cur, section) != 0)
            continue;
        char *k_end = eq;
        while (k_end > s && (k_end[-1] == ' ' || k_end[-1] == '\t'))
            k_end--;
        if ((size_t)(k_end - s) != strlen(key) || strncmp(s, key, strlen(key)) != 0)
            continue;
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        snprintf(out, cap, "%s", v);
        found = true;
    }
    fclose(f);
    return found;
}

static long ini_number(const char *path, const char *section, const char *key)
{
    char v[64];
    if (!ini_value(path, section, key, v, sizeof v))
        fail_msg("%s: no %s.%s", path, section, key);
    return strtol(v, NULL, 0);
}

static void test_every_ini_matches_the_table(void **state)
{
    (void)state;
    DIR *d = opendir(BOARDS_DIR);
    assert_non_null(d);
    unsigned files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".ini") != 0)
            continue;
        char path[512], name[64], order[16], iface[16];
        snprintf(path, sizeof path, "%s/%s", BOARDS_DIR, e->d_name);
        assert_true(ini_value(path, "board", "name", name, sizeof name));
        assert_int_equal(strlen(name) + 4, n);         /* file named after the board */
        const struct fw_board *b = board_find(name);
        if (!b)
            fail_msg("%s: board '%s' is not in board_list.h", path, name);
        assert_true(ini_value(path, "board", "interface", iface, sizeof iface));
        assert_string_equal(iface, b->kind == FW_PANEL_HUB75 ? "hub75" : "hub12");
        assert_int_equal(ini_number(path, "board", "width"), b->width);
        assert_int_equal(ini_number(path, "board", "height"), b->height);
        assert_int_equal(ini_number(path, "board", "chain"), b->chain);
        assert_int_equal(ini_number(path, "board", "scan"), b->scan);
        assert_true(ini_value(path, "board", "colour_order", order, sizeof order));
        assert_string_equal(order, b->order);
        assert_int_equal(ini_number(path, "board", "bit_depth"), b->bit_depth);
        assert_int_equal(ini_number(path, "board", "brightness"), b->brightness);
        assert_int_equal(ini_number(path, "usb", "vid"), b->usb_vid);
        assert_int_equal(ini_number(path, "usb", "pid"), b->usb_pid);
        assert_int_equal(ini_number(path, "controller", "ram_kib"), b->ram_kib);
        files++;
    }
    closedir(d);
    assert_int_equal(files, board_count);               /* and no board without a file */
}

static void test_the_core_drives_every_board(void **state)
{
    (void)state;
    assert_true(board_count >= 4);
    for (unsigned i = 0; i < board_count; i++)
        assert_true(board_supported(&board_table[i]));
    assert_null(board_find("hub75-1x1"));
    assert_null(board_find(""));
    assert_null(board_find(NULL));
    assert_non_null(board_find("p10-128x16"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_ini_matches_the_table),
        cmocka_unit_test(test_the_core_drives_every_board),
    };
    return cmocka_run_group_tests_name("board", tests, NULL, NULL);
}
