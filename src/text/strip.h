/* strip — one line of UTF-8 text into a bitmap strip of a fixed height.
 *
 * A renderer is made for one pixel size, strip height and mode. It owns its
 * fonts (found through fontconfig by family name, per fonts/default.chain or
 * a list given by the caller), its HarfBuzz fonts and its glyph cache, so
 * each glyph is rasterized once per renderer. Nothing is global: two
 * renderers may live side by side (one thread each).
 *
 * Rendering is two steps, so that the caller learns the width, allocates
 * (or places the strip inside a bigger buffer) and then has it drawn:
 *
 *     struct strip_layout *lay;
 *     strip_measure(r, text, len, &lay);          shape, rasterize, place
 *     w = strip_layout_width(lay);                allocate w x height
 *     strip_render(r, lay, &bitmap, x);           blit into the caller's bitmap
 *     strip_layout_free(lay);
 *
 * Text is repaired, not refused: invalid UTF-8 becomes U+FFFD, control
 * characters are dropped, a newline is a space, a code point no font covers
 * is drawn as the first font's .notdef box. Each repair is one warning
 * through the renderer's struct diag. The library never prints.
 *
 * Vertical placement: one baseline for everything. The em box of the first
 * CJK face in the chain is centred in the strip, so with height == size the
 * em box fills the strip. Ideographs are moved, never cut, to stay inside;
 * other ink outside the strip is cut, with one warning per string. */
#ifndef LEDTICKER_STRIP_H
#define LEDTICKER_STRIP_H

#include <stddef.h>
#include <stdint.h>

#include "util/bitmap.h"
#include "util/diag.h"

enum strip_mode {
    STRIP_MONO,     /* 1 bit, hinted for LED pixels, bitmap strikes when present */
    STRIP_GRAY,     /* 8-bit coverage (bitmap strikes still win where chosen) */
};

enum strip_error {
    STRIP_OK = 0,
    STRIP_ERR_INVALID_PARAM = -1,   /* a bad option or argument */
    STRIP_ERR_NO_MEM = -2,
    STRIP_ERR_FONT = -3,            /* no usable font, or FreeType/fontconfig failed */
    STRIP_ERR_IO = -4,              /* a configuration file could not be read */
    STRIP_ERR_TOO_WIDE = -5,        /* the strip would not fit in an int */
};

struct strip_options {
    /* Directory holding default.chain and fonts.conf. Required. */
    const char *fonts_dir;
    /* "FAMILY[,FALLBACK...]" to use instead of default.chain, or NULL. */
    const char *families;
    int size;               /* pixel size (ppem), 4..512 */
    int height;             /* strip height in pixels; 0 means `size` */
    enum strip_mode mode;
    const char *language;   /* BCP 47 for shaping; NULL means "zh-Hans" */
    int threads;            /* cold rasterizing threads; 0 = one per core, 1 = none */
};

/* Vertical facts the compositor needs. */
struct strip_metrics {
    int size, height;
    int baseline;           /* rows from the top edge down to the baseline */
    int em_top;             /* top row of the first CJK face's em box (may be < 0) */
    int bpp;                /* natural depth of this renderer: 1 mono, 8 gray */
};

struct strip_renderer;
struct strip_layout;

/* Creates a renderer; opens every font of the chain that applies at this
 * size. `d` is copied (it may be NULL: warnings then go to stderr) and its
 * `user` pointer must outlive the renderer. Returns NULL and sets *err (if
 * err is not NULL) on failure, with the reason through `d`. */
struct strip_renderer *strip_renderer_new(const struct strip_options *opt,
                                          const struct diag *d, int *err);

/* Frees the renderer, its fonts and its glyph cache. NULL is fine. Layouts
 * made by it must be freed too, before or after; they do not point into it. */
void strip_free(struct strip_renderer *r);

void strip_get_metrics(const struct strip_renderer *r, struct strip_metrics *m);

/* How many fonts the chain resolved to, and the family fontconfig matched
 * for font i (owned by the renderer). For messages and `check`. */
size_t strip_font_count(const struct strip_renderer *r);
const char *strip_font_family(const struct strip_renderer *r, size_t i);

/* Shapes `len` bytes of UTF-8 (need not be NUL-terminated), rasterizes any
 * glyph the cache lacks and places every glyph. Warnings for repairs go
 * through the renderer's diag. On success *out is a new layout the caller
 * frees with strip_layout_free. An empty text gives a zero-width layout. */
int strip_measure(struct strip_renderer *r, const char *utf8, size_t len,
                  struct strip_layout **out);

int strip_layout_width(const struct strip_layout *lay);
size_t strip_layout_glyph_count(const struct strip_layout *lay);

/* Draws the layout into the caller's `dst` (1 or 8 bpp, whatever the
 * mode; mono ink is 255 at 8 bpp, gray ink is thresholded at 1 bpp) with
 * its left edge at column `x` (may be negative or run past the right edge:
 * what falls outside `dst` is skipped). Rows 0..height-1 of the strip go to
 * rows 0..height-1 of `dst`, clipped to dst->height. Ink is ORed (1 bpp) or
 * max-ed (8 bpp) into what is there: clear `dst` first. `dst` stays the
 * caller's; the renderer keeps no pointer to it. */
int strip_render(struct strip_renderer *r, const struct strip_layout *lay,
                 struct bitmap *dst, int x);

void strip_layout_free(struct strip_layout *lay);

/* Measure, allocate and render in one call: on success `out` describes a new
 * zeroed-then-drawn bitmap of depth `bpp` (1 or 8), exactly as wide as the
 * text and `height` rows tall; the caller frees out->data with free().
 * A zero-width strip has data == NULL. */
int strip_render_text(struct strip_renderer *r, const char *utf8, size_t len,
                      int bpp, struct bitmap *out);

/* Coverage query for `ledticker check`: the distinct code points of the
 * text that no font in the chain covers at this size, in order of first
 * appearance. Stores up to `max` of them in `cps` (may be NULL when max is
 * 0) and returns how many there are in all, or a negative STRIP_ERR_*. No
 * warnings are emitted. */
int strip_find_uncovered(struct strip_renderer *r, const char *utf8, size_t len,
                         uint32_t *cps, size_t max);

/* Empties the glyph cache (e.g. to measure cold rendering, or to bound
 * memory in a very long run). Existing layouts stay valid. */
void strip_cache_clear(struct strip_renderer *r);

/* Cache statistics: glyphs held and bytes of glyph bitmaps. */
void strip_cache_stats(const struct strip_renderer *r, size_t *glyphs, size_t *bytes);

const char *strip_strerror(int err);

#endif
