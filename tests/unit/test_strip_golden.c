/* Golden strips: the renderer, pixel for pixel, against PNGs written by
 * `make golden` (tests/golden/regen.sh) from tests/golden/cases.txt. Fonts
 * are named explicitly in each case. Any difference fails, loudly: when the
 * font, FreeType or HarfBuzz packages are no longer the versions recorded
 * in tests/golden/VERSIONS, the failure names the recorded and installed
 * versions and says to run `make golden` if the new pixels look right. A
 * package update never silences this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "textsupport.h"

/* Reads all of a stream into buf (NUL-terminated, cut at size - 1). */
static void read_all(FILE *f, char *buf, size_t size)
{
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = 0;
}

/* The recorded versions and the installed ones (tests/golden/versions.sh). */
static void versions(char *recorded, char *installed, size_t size)
{
    FILE *f = fopen("tests/golden/VERSIONS", "r");
    read_all(f, recorded, size);
    if (f)
        fclose(f);
    FILE *p = popen("sh tests/golden/versions.sh", "r");
    read_all(p, installed, size);
    if (p)
        pclose(p);
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
    int cases = 0, differ = 0;
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
            if (diff < 0)
                print_message("golden %s: %d x %d rendered, %d x %d golden\n", name, b.width,
                              b.height, gw, gh);
            else
                print_message("golden %s: %ld pixels differ\n", name, diff);
            differ++;
        }
        free(gold);
        free(b.data);
        strip_free(r);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 4);
    if (differ) {
        char recorded[2048], installed[2048];
        versions(recorded, installed, sizeof recorded);
        fail_msg("%d of %d golden strips differ.\n"
                 "Packages when the goldens were made (tests/golden/VERSIONS):\n%s"
                 "Packages installed now:\n%s%s"
                 "If the new pixels look right, run `make golden` and commit the PNGs with VERSIONS.",
                 differ, cases, recorded, installed,
                 strcmp(recorded, installed) ? "" : "(the same versions: the renderer changed)\n");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
