/* Helpers shared by the text renderer's tests: the seed page, a diag that
 * captures messages, independent HarfBuzz shaping, PNG reading. */
#ifndef LEDTICKER_TEXTSUPPORT_H
#define LEDTICKER_TEXTSUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "text/strip.h"
#include "util/bitmap.h"
#include "util/diag.h"

/* The fonts directory of the source tree (tests run from the top). */
#define TEST_FONTS_DIR "fonts"
#define TEST_SEED "tests/data/000_158b273b953cb734.txt"

struct capture {
    struct diag diag;
    char text[16384];
    size_t len;
    int warnings, errors;
};

void capture_init(struct capture *c);
void capture_reset(struct capture *c);

/* The seed page as one string, its lines joined with nothing between them
 * (it is hard-wrapped mid-sentence). Caller frees. */
char *seed_joined(size_t *len);

/* A renderer for a test; fails the test when it cannot be made. */
struct strip_renderer *test_renderer(const char *families, int size, int height,
                                     enum strip_mode mode, struct capture *cap);

/* Renders text into a new bitmap of the renderer's natural depth. */
struct bitmap test_render(struct strip_renderer *r, const char *text);

/* Total advance in 26.6 of `text` shaped by HarfBuzz with its own OpenType
 * functions (as hb-shape does) on the font fontconfig finds for `family`,
 * at `px` pixels, zh-Hans. Independent of the renderer. Sets *glyphs. */
long long hb_reference_advance(const char *family, int px, const char *text, unsigned *glyphs);

/* Sum of the advances FreeType gives for each character of `text` (no
 * shaping) on `family` at `px`, bitmap strikes included, in 26.6. */
long long ft_plain_advance(const char *family, int px, const char *text);

/* The file and face index fontconfig (with the project's fonts.conf) gives
 * for a family, or -1. */
int font_file_for(const char *family, char *file, size_t len, int *index);

/* Ink bounding box of a bitmap: returns 0 when there is no ink. */
int ink_box(const struct bitmap *b, int x0, int x1, int *top, int *bottom, int *left, int *right);

/* Reads a PNG (any width) into 8-bit gray (R channel for RGB). Caller frees
 * *data. Returns 0 or -1. */
int png_read_gray(const char *path, int *w, int *h, uint8_t **data);

#endif
