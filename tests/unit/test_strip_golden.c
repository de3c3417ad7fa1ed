/* Golden strips: the renderer, pixel for pixel, against PNGs written by
 * `make golden` (tests/golden/regen.sh) from tests/golden/cases.txt. Fonts
 * are named explicitly in each case. When the pixels differ and the font,
 * FreeType or HarfBuzz packages are no longer the versions recorded in
 * tests/golden/VERSIONS, the case is skipped with a note to regenerate;
 * with the recorded versions, a difference fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "textsupport.h"

static int versions_match(void)
{
    FILE *p = popen("sh tests/golden/versions.sh", "r");
    FILE *f = fopen("tests/golden/VERSIONS", "r");
    char a[2048] = { 0 }, b[2048] = { 0 };
    if (p) {
        size_t n = fread(a, 1, sizeof a - 1, p);
        a[n] = 0;
        pclose(p);
    }
    if (f) {
        size_t n = fread(b, 1, sizeof b - 1, f);
        b[n] = 0;
        fclose(f);
    }
    return p && f && !strcmp(a, b);
}

/* Returns the number of differing pixels. */
static long compare(const struct bitmap *b, const uint8_t *gold, int gw, int gh, int mono)
{
    if (gw != b->width || gh != b->height)
        return -1;
    long diff = 0;
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++) {
            int want = gold[(size_t)y * (size_t)gw + (size_t)x];
            int got = bitmap_get(b, x, y);
            if (mono ? (want != 0) != (got != 0) : want != got)
                diff++;
        }
    return diff;
}

static void golden_cases(void **state)
{
    (void)state;
    FILE *f = fopen("tests/golden/cases.txt", "r");
    assert_non_null(f);
    char line[1024];
    int cases = 0, stale = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] == '#' || !line[0])
            continue;
        char *name = strtok(line, "|"), *family = strtok(NULL, "|");
        char *size = strtok(NULL, "|"), *mode = strtok(NULL, "|"), *text = strtok(NULL, "");
        assert_non_null(text);
        int mono = !strcmp(mode, "mono");
        struct strip_renderer *r = test_renderer(family, atoi(size), 0,
                                                 mono ? STRIP_MONO : STRIP_GRAY, NULL);
        assert_string_equal(strip_font_family(r, 0), family);
        struct bitmap b = test_render(r, text);
        char path[512];
        snprintf(path, sizeof path, "tests/golden/%s.png", name);
        int gw, gh;
        uint8_t *gold;
        assert_int_equal(png_read_gray(path, &gw, &gh, &gold), 0);
        long diff = compare(&b, gold, gw, gh, mono);
        if (diff) {
            if (!versions_match()) {
                print_message("golden %s differs, but font/FreeType/HarfBuzz packages changed "
                              "since tests/golden/VERSIONS: run make golden\n", name);
                stale++;
            } else {
                fail_msg("golden %s: %ld pixels differ (%d x %d rendered, %d x %d golden)", name,
                         diff, b.width, b.height, gw, gh);
            }
        }
        free(gold);
        free(b.data);
        strip_free(r);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 4);
    if (stale)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
