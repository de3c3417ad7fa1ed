/* strip_shape — code points to fonts and scripts, runs shaped with
 * HarfBuzz, glyphs placed on the strip's baseline (strip_measure), and the
 * coverage query (strip_find_uncovered). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "text/cpmap.h"
#include "text/strip_internal.h"
#include "util/utf8.h"

#define MAX_UNCOVERED_WARNINGS 8

/* Code points that ride with their neighbour: marks, joiners, variation
 * selectors. HarfBuzz hides or attaches them; they must not split a run or
 * be reported as missing. */
static int rides_along(hb_unicode_funcs_t *uf, uint32_t cp)
{
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x200D)
        return 1;
    hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_FORMAT;
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B);
}
struct shaped {
    uint32_t key;
    uint32_t cluster;       /* index into the code points */
    int64_t x;              /* pen + offset, 26.6 */
    int32_t y;              /* offset, 26.6, up is positive */
};

struct shape_out {
    struct shaped *g;
    size_t n, cap;
    int64_t advance;        /* 26.6 */
};

static hb_script_t script_of(struct strip_renderer *r, uint32_t cp)
{
    return hb_unicode_script(r->ufuncs, cp);
}

static int shape_run(struct strip_renderer *r, const uint32_t *cps, size_t ncp,
                     size_t start, size_t len, int font, hb_script_t script,
                     struct shape_out *out)
{
    hb_buffer_clear_contents(r->buf);
    hb_buffer_add_utf32(r->buf, cps, (int)ncp, (unsigned)start, (int)len);
    hb_buffer_set_script(r->buf, script);
    hb_buffer_set_direction(r->buf, hb_script_get_horizontal_direction(script) == HB_DIRECTION_RTL
                                        ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_language(r->buf, r->lang);
    hb_shape(r->fonts[font].hb, r->buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(r->buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(r->buf, NULL);
    if (out->n + n > out->cap) {
        size_t cap = (out->n + n) * 2;
        struct shaped *g = realloc(out->g, cap * sizeof *g);
        if (!g)
            return -1;
        out->g = g;
        out->cap = cap;
    }
    for (unsigned i = 0; i < n; i++) {
        struct shaped *s = &out->g[out->n++];
        s->key = GLYPHKEY((unsigned)font, info[i].codepoint);
        s->cluster = info[i].cluster;
        s->x = out->advance + pos[i].x_offset;
        s->y = pos[i].y_offset;
        out->advance += pos[i].x_advance;
    }
    return 0;
}

/* Assigns a font to each code point, reports the uncovered ones, splits
 * into runs of one font and one script, and shapes each. */
static int shape_text(struct strip_renderer *r, const uint32_t *cps, size_t n,
                      struct shape_out *out, int report)
{
    int *font = malloc((n ? n : 1) * sizeof *font);
    hb_script_t *script = malloc((n ? n : 1) * sizeof *script);
    uint32_t missing[MAX_UNCOVERED_WARNINGS];
    size_t nmissing = 0, more = 0;
    int rc = -1;
    if (!font || !script)
        goto out;
    for (size_t i = 0; i < n; i++) {
        int f = -1;
        if (i > 0 && rides_along(r->ufuncs, cps[i]))
            f = font[i - 1];
        else if ((f = strip_find_font(r, cps[i])) < 0) {
            f = 0;      /* the first font's .notdef box */
            size_t k = 0;
            while (k < nmissing && missing[k] != cps[i])
                k++;
            if (k == nmissing) {
                if (nmissing < MAX_UNCOVERED_WARNINGS)
                    missing[nmissing++] = cps[i];
                else
                    more++;     /* may count repeats; only a summary figure */
            }
        }
        font[i] = f;
        hb_script_t s = script_of(r, cps[i]);
        script[i] = (s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN)
                        ? (i ? script[i - 1] : HB_SCRIPT_COMMON) : s;
    }
    /* Leading neutral characters take the script of the first real one. */
    size_t first = 0;
    while (first < n && script[first] == HB_SCRIPT_COMMON)
        first++;
    for (size_t i = 0; i < first && first < n; i++)
        script[i] = script[first];
    if (report) {
        for (size_t k = 0; k < nmissing; k++)
            diag_warn(&r->diag, "U+%04X not covered by any font", (unsigned)missing[k]);
        if (more)
            diag_warn(&r->diag, "and more code points not covered by any font (%zu)", more);
    }
    rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        size_t j = i + 1;
        while (j < n && font[j] == font[i] && script[j] == script[i])
            j++;
        rc = shape_run(r, cps, n, i, j - i, font[i], script[i], out);
        i = j;
    }
out:
    free(font);
    free(script);
    return rc;
}

/* ---- placing ---------------------------------------------------------- */

static int is_cjk(struct strip_renderer *r, uint32_t cp)
{
    if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F))
        return 1;
    hb_script_t s = script_of(r, cp);
    return s == HB_SCRIPT_HAN || s == HB_SCRIPT_HIRAGANA || s == HB_SCRIPT_KATAKANA ||
           s == HB_SCRIPT_HANGUL || s == HB_SCRIPT_BOPOMOFO;
}

/* Makes sure every shaped glyph is in the cache; new ones are rasterized
 * together (on all threads when there are many). Stores the slots. */
static int fill_cache(struct strip_renderer *r, struct shape_out *so, uint32_t *slots)
{
    uint32_t *keys = NULL;
    uint32_t *new_slots = NULL;
    struct glyph_img *imgs = NULL;
    size_t nnew = 0;
    int rc = -1;
    keys = malloc((so->n ? so->n : 1) * sizeof *keys);
    new_slots = malloc((so->n ? so->n : 1) * sizeof *new_slots);
    if (!keys || !new_slots)
        goto out;
    for (size_t i = 0; i < so->n; i++) {
        int created;
        long s = glyphcache_lookup_or_add(r->cache, so->g[i].key, &created);
        if (s < 0)
            goto out;
        slots[i] = (uint32_t)s;
        if (created) {
            keys[nnew] = so->g[i].key;
            new_slots[nnew++] = (uint32_t)s;
        }
    }
    if (nnew) {
        imgs = calloc(nnew, sizeof *imgs);
        if (!imgs)
            goto out;
        int failed = strip_raster_all(r, keys, nnew, imgs);
        for (size_t i = 0; i < nnew; i++)
            glyphcache_fill(r->cache, new_slots[i], &imgs[i]);   /* takes the bits */
        if (failed)
            goto out;
    }
    rc = 0;
out:
    free(keys);
    free(new_slots);
    free(imgs);
    return rc;
}

int strip_measure(struct strip_renderer *r, const char *utf8, size_t len,
                  struct strip_layout **out)
{
    uint32_t *cps = NULL, *slots = NULL;
    size_t n = 0;
    struct shape_out so = { 0 };
    struct strip_layout *lay = NULL;
    int rc = STRIP_ERR_NO_MEM;

    if (!r || !out || (!utf8 && len))
        return STRIP_ERR_INVALID_PARAM;
    *out = NULL;
    if (utf8_decode_clean(utf8, len, &cps, &n, &r->diag))
        goto out;
    if (n > INT_MAX / 4) {      /* HarfBuzz counts in int */
        diag_error(&r->diag, "a line of %zu characters is too long to shape", n);
        rc = STRIP_ERR_TOO_WIDE;
        goto out;
    }
    if (shape_text(r, cps, n, &so, 1))
        goto out;
    int64_t width = (so.advance + 32) >> 6;
    if (width < 0 || width > INT_MAX / 2) {
        diag_error(&r->diag, "the strip would be %lld px wide, too wide", (long long)width);
        rc = STRIP_ERR_TOO_WIDE;
        goto out;
    }
    lay = calloc(1, sizeof *lay);
    slots = malloc((so.n ? so.n : 1) * sizeof *slots);
    if (!lay || !slots)
        goto out;
    lay->glyphs = malloc((so.n ? so.n : 1) * sizeof *lay->glyphs);
    if (!lay->glyphs || fill_cache(r, &so, slots))
        goto out;
    lay->width = (int)width;
    lay->height = r->height;
    lay->generation = glyphcache_generation(r->cache);
    size_t cut = 0;
    uint32_t first_cut = 0;
    for (size_t i = 0; i < so.n; i++) {
        const struct glyph_img *g = glyphcache_get(r->cache, slots[i]);
        struct placed *p = &lay->glyphs[lay->count];
        p->key = so.g[i].key;
        p->slot = slots[i];
        p->x = (int32_t)((so.g[i].x + 32) >> 6) + g->left;
        p->y = r->baseline - (int32_t)((so.g[i].y + 32) >> 6) - g->top;
        if (!g->w || !g->h)
            continue;       /* a space: nothing to draw */
        lay->count++;
        uint32_t cp = cps[so.g[i].cluster];
        if ((p->y < 0 || p->y + g->h > r->height) && g->h <= r->height && is_cjk(r, cp)) {
            p->y = p->y < 0 ? 0 : r->height - g->h;     /* ideographs move, never cut */
            continue;
        }
        /* A fringe of one pixel past either end (antialiasing, a Latin
         * side bearing below zero) is cut quietly; anything more is news. */
        if (p->y < 0 || p->y + g->h > r->height || p->x < -1 || p->x + g->w > lay->width + 1) {
            if (!cut++)
                first_cut = cp;
        }
    }
    if (cut)
        diag_warn(&r->diag, "ink of U+%04X%s cut at the edge of the %d px strip",
                  (unsigned)first_cut, cut > 1 ? " and other glyphs" : "", r->height);
    *out = lay;
    lay = NULL;
    rc = STRIP_OK;
out:
    if (rc == STRIP_ERR_NO_MEM)
        diag_error(&r->diag, "out of memory while laying out text");
    strip_layout_free(lay);
    free(slots);
    free(so.g);
    free(cps);
    return rc;
}

int strip_layout_width(const struct strip_layout *lay)
{
    return lay ? lay->width : 0;
}

size_t strip_layout_glyph_count(const struct strip_layout *lay)
{
    return lay ? lay->count : 0;
}

void strip_layout_free(struct strip_layout *lay)
{
    if (!lay)
        return;
    free(lay->glyphs);
    free(lay);
}

int strip_find_uncovered(struct strip_renderer *r, const char *utf8, size_t len,
                         uint32_t *cps, size_t max)
{
    uint32_t *text;
    size_t n;
    if (!r || (!utf8 && len) || (!cps && max))
        return STRIP_ERR_INVALID_PARAM;
    /* Repairs are not this query's business: decode without warnings. */
    struct cpmap *seen = cpmap_new();
    if (!seen || utf8_decode_clean(utf8, len, &text, &n, &diag_silent)) {
        cpmap_free(seen);
        return STRIP_ERR_NO_MEM;
    }
    size_t found = 0;
    int dummy;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = text[i];
        if (is_space(cp) || (i > 0 && rides_along(r->ufuncs, cp)) || strip_find_font(r, cp) >= 0 ||
            cpmap_get(seen, cp, &dummy))
            continue;
        cpmap_put(seen, cp, 1);
        if (found < max)
            cps[found] = cp;
        found++;
    }
    free(text);
    cpmap_free(seen);
    return found > INT_MAX ? INT_MAX : (int)found;
}
