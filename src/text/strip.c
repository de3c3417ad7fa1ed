/* strip — the renderer: opening fonts, the shaping caches, vertical
 * metrics. Shaping and placing are in strip_shape.c, rasterizing in
 * strip_raster.c, blitting in strip_blit.c. See strip.h for the contract;
 * the notes here say why. */
#include "text/strip.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb-ft.h>
#include <hb-ot.h>

#include "text/fontchain.h"
#include "text/cpmap.h"
#include "text/strip_internal.h"

#define ADVANCE_UNKNOWN INT32_MIN

const char *strip_strerror(int err)
{
    switch (err) {
    case STRIP_OK: return "success";
    case STRIP_ERR_INVALID_PARAM: return "invalid parameter";
    case STRIP_ERR_NO_MEM: return "out of memory";
    case STRIP_ERR_FONT: return "no usable font";
    case STRIP_ERR_IO: return "cannot read a font configuration file";
    case STRIP_ERR_TOO_WIDE: return "strip too wide";
    }
    return "unknown error";
}

/* ---- fonts ------------------------------------------------------------ */

/* Picks the size on a face: the bitmap strike of exactly this ppem when
 * there is one (FreeType then loads strike bitmaps and metrics), else the
 * scaled outline. Returns 1 for a strike, 0 for outlines, -1 on failure. */
int strip_set_face_size(FT_Face face, int px)
{
    for (int i = 0; i < face->num_fixed_sizes; i++) {
        if ((face->available_sizes[i].y_ppem + 32) >> 6 == px) {
            if (FT_IS_SCALABLE(face))
                return FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px) ? -1 : 1;
            return FT_Select_Size(face, i) ? -1 : 1;
        }
    }
    if (!FT_IS_SCALABLE(face))
        return -1;
    return FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px) ? -1 : 0;
}

/* Load flags HarfBuzz uses for advances. A strike's own advances count
 * ("a bitmap strike uses its own metrics"); for outlines the unhinted ones,
 * which FreeType reads from hmtx without loading the glyph and which match
 * hb-shape's widths. */
static FT_Int32 shaping_flags(const struct font *f, enum strip_mode mode)
{
    return f->strike ? strip_raster_flags(mode, 1) : FT_LOAD_NO_HINTING;
}

/* FreeType finds an advance anew on every call (for CFF fonts through
 * the hmtx and charstring machinery), a good part of a warm re-shape of a
 * page. Advances never change for a renderer's size and mode, so each is
 * asked once and kept per glyph id. */
static void remembered_h_advances(hb_font_t *font, void *font_data, unsigned count,
                                  const hb_codepoint_t *glyph, unsigned glyph_stride,
                                  hb_position_t *advance, unsigned advance_stride,
                                  void *user_data)
{
    struct font *f = font_data;
    (void)user_data;
    for (unsigned i = 0; i < count; i++) {
        hb_codepoint_t g = *glyph;
        hb_position_t v;
        if (g < f->nadvances && f->advances[g] != ADVANCE_UNKNOWN) {
            v = f->advances[g];
        } else {
            v = hb_font_get_glyph_h_advance(hb_font_get_parent(font), g);
            if (g < f->nadvances)
                f->advances[g] = v;
        }
        *advance = v;
        glyph = (const hb_codepoint_t *)((const char *)glyph + glyph_stride);
        advance = (hb_position_t *)((char *)advance + advance_stride);
    }
}

/* The same for the character map: a binary search in FreeType per
 * character and per shaping, now a hash lookup after the first. */
static hb_bool_t remembered_nominal_glyph(hb_font_t *font, void *font_data,
                                          hb_codepoint_t unicode, hb_codepoint_t *glyph,
                                          void *user_data)
{
    struct font *f = font_data;
    int gid;
    (void)user_data;
    if (cpmap_get(f->gids, unicode, &gid)) {
        *glyph = (hb_codepoint_t)gid;
        return gid != 0;
    }
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(hb_font_get_parent(font), unicode, &g))
        g = 0;
    cpmap_put(f->gids, unicode, (int)g);    /* on failure, asked again next time */
    *glyph = g;
    return g != 0;
}

static int make_shaping_font(struct strip_renderer *r, struct font *f)
{
    f->gids = cpmap_new();
    if (!f->gids)
        return -1;
    f->nadvances = f->face->num_glyphs > 0 ? (size_t)f->face->num_glyphs : 0;
    f->advances = malloc((f->nadvances ? f->nadvances : 1) * sizeof *f->advances);
    if (!f->advances)
        return -1;
    for (size_t i = 0; i < f->nadvances; i++)
        f->advances[i] = ADVANCE_UNKNOWN;
    /* A sub-font asks its parent for everything it does not implement. */
    f->hb = hb_font_create_sub_font(f->hb_ft);
    hb_font_set_funcs(f->hb, r->advance_funcs, f,
                      (hb_destroy_func_t)NULL);
    return 0;
}

static int open_font(struct strip_renderer *r, const struct fontchain_font *cf)
{
    struct font *f = &r->fonts[r->nfonts];
    if (FT_New_Face(r->ft, cf->file, cf->index, &f->face)) {
        diag_warn(&r->diag, "%s: FreeType cannot open this font (family '%s'), skipped",
                  cf->file, cf->matched);
        return 0;
    }
    int strike = strip_set_face_size(f->face, r->size);
    if (strike < 0) {
        diag_warn(&r->diag, "%s: cannot use this font at %d px, skipped", cf->file, r->size);
        FT_Done_Face(f->face);
        f->face = NULL;
        return 0;
    }
    f->strike = strike;
    f->matched = strdup(cf->matched);
    f->file = strdup(cf->file);
    f->index = cf->index;
    f->hb_ft = hb_ft_font_create_referenced(f->face);
    r->nfonts++;                /* from here on strip_free releases it all */
    if (!f->matched || !f->file || !f->hb_ft)
        return -1;
    hb_ft_font_set_load_flags(f->hb_ft, shaping_flags(f, r->mode));
    return make_shaping_font(r, f);
}

static int open_fonts(struct strip_renderer *r, const char *fonts_dir, const char *families)
{
    struct fontchain chain;
    char path[PATH_MAX + 64];
    int rc;
    if (families) {
        rc = fontchain_from_list(families, &chain, &r->diag);
        if (rc)
            return STRIP_ERR_INVALID_PARAM;
    } else {
        snprintf(path, sizeof path, "%s/default.chain", fonts_dir);
        if (fontchain_load_file(path, &chain, &r->diag))
            return STRIP_ERR_IO;
    }
    struct fontchain_font *list;
    size_t n;
    /* fontconfig reads a relative name against its own config directory,
     * not ours: hand it an absolute path. */
    char abs[PATH_MAX];
    if (!realpath(fonts_dir, abs)) {
        diag_error(&r->diag, "fonts directory %s: %s", fonts_dir, strerror(errno));
        fontchain_release(&chain);
        return STRIP_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/fonts.conf", abs);
    rc = fontchain_resolve(&chain, path, r->size, &list, &n, &r->diag);
    fontchain_release(&chain);
    if (rc)
        return STRIP_ERR_FONT;
    rc = 0;
    for (size_t i = 0; i < n && r->nfonts < MAX_FONTS && rc == 0; i++)
        rc = open_font(r, &list[i]);
    fontchain_fonts_free(list, n);
    if (rc)
        return STRIP_ERR_NO_MEM;
    if (!r->nfonts) {
        diag_error(&r->diag, "none of the chain's fonts can be opened at %d px", r->size);
        return STRIP_ERR_FONT;
    }
    return 0;
}

/* ---- coverage --------------------------------------------------------- */

/* A strike may lack some glyphs that the outlines have; FreeType would then
 * quietly rasterize the outline, uneven at LED sizes. Such a code point
 * goes to the next font in the chain instead. */
static int font_covers(const struct font *f, uint32_t cp)
{
    FT_UInt gid = FT_Get_Char_Index(f->face, cp);
    if (!gid)
        return 0;
    if (f->strike && FT_IS_SCALABLE(f->face))
        return FT_Load_Glyph(f->face, gid, FT_LOAD_SBITS_ONLY) == 0;
    return 1;
}

int strip_find_font(struct strip_renderer *r, uint32_t cp)
{
    int idx;
    if (cpmap_get(r->coverage, cp, &idx))
        return idx;
    idx = -1;
    for (size_t i = 0; i < r->nfonts; i++)
        if (font_covers(&r->fonts[i], cp)) {
            idx = (int)i;
            break;
        }
    cpmap_put(r->coverage, cp, idx);   /* on failure we just ask again */
    return idx;
}

/* ---- vertical metrics ------------------------------------------------- */

/* Ink extent of a glyph rendered on its own: rows above / below baseline. */
static int glyph_ink(FT_Face face, uint32_t cp, FT_Int32 flags, int *above, int *below)
{
    FT_UInt gid = FT_Get_Char_Index(face, cp);
    if (!gid || FT_Load_Glyph(face, gid, flags) ||
        FT_Render_Glyph(face->glyph, FT_RENDER_MODE_MONO))
        return 0;
    *above = face->glyph->bitmap_top;
    *below = (int)face->glyph->bitmap.rows - face->glyph->bitmap_top;
    return face->glyph->bitmap.rows > 0;
}

/* Depth of the em box below the baseline, in 26.6 pixels, for font f. */
static int em_box_bottom(struct strip_renderer *r, const struct font *f)
{
    if (f->strike) {
        /* A strike's ideographs fill its em box (that is how bitmap CJK
         * fonts are drawn); centre their ink union in an em. */
        static const uint32_t probe[] = { 0x56FD, 0x5341, 0x4E2D, 0x7530 };
        int top = 0, bottom = 0, any = 0;
        for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
            int a, b;
            if (glyph_ink(f->face, probe[i], strip_raster_flags(r->mode, 1), &a, &b)) {
                top = any ? (a > top ? a : top) : a;
                bottom = any ? (b > bottom ? b : bottom) : b;
                any = 1;
            }
        }
        if (any)
            return (bottom + (r->size - (top + bottom)) / 2) * 64;
    }
    hb_position_t pos = 0;
    if (f->face->units_per_EM) {
        /* The BASE table's ideographic em box, or HarfBuzz's estimate from
         * OS/2 metrics when the font has none. */
        hb_ot_layout_get_baseline_with_fallback(f->hb, HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_BOTTOM_OR_LEFT,
                                                HB_DIRECTION_LTR, HB_TAG('h', 'a', 'n', 'i'),
                                                HB_OT_TAG_DEFAULT_LANGUAGE, &pos);
        return -pos;
    }
    /* No CJK metrics at all: share the em like the font's ascent and descent. */
    long asc = f->face->size->metrics.ascender, desc = -f->face->size->metrics.descender;
    return asc + desc > 0 ? (int)(desc * r->size * 64 / (asc + desc)) : 0;
}

static void place_baseline(struct strip_renderer *r)
{
    const struct font *cjk = NULL;
    for (size_t i = 0; i < r->nfonts && !cjk; i++)
        if (font_covers(&r->fonts[i], 0x56FD))
            cjk = &r->fonts[i];
    if (!cjk)
        cjk = &r->fonts[0];
    int bottom = em_box_bottom(r, cjk);
    /* Centre the em box; an odd leftover pixel goes below. */
    r->em_top = (r->height - r->size) / 2;
    r->baseline = r->em_top + r->size - (bottom + 32) / 64;
}
/* ---- renderer --------------------------------------------------------- */

static int cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

struct strip_renderer *strip_renderer_new(const struct strip_options *opt,
                                          const struct diag *d, int *err)
{
    int e = STRIP_ERR_INVALID_PARAM;
    struct strip_renderer *r = NULL;
    struct diag quiet = { 0 };
    if (!d)
        d = &quiet;
    if (!opt || !opt->fonts_dir || opt->size < 4 || opt->size > 512 ||
        opt->height < 0 || opt->height > 4096 ||
        (opt->mode != STRIP_MONO && opt->mode != STRIP_GRAY) ||
        opt->threads < 0) {
        diag_error(d, "strip renderer: invalid options (size 4..512, height 0..4096)");
        goto fail;
    }
    e = STRIP_ERR_NO_MEM;
    r = calloc(1, sizeof *r);
    if (!r)
        goto fail;
    r->diag = *d;
    r->size = opt->size;
    r->height = opt->height ? opt->height : opt->size;
    r->mode = opt->mode;
    r->language = strdup(opt->language ? opt->language : "zh-Hans");
    r->cache = glyphcache_new();
    r->coverage = cpmap_new();
    r->buf = hb_buffer_create();
    r->ufuncs = hb_unicode_funcs_get_default();
    if (!r->language || !r->cache || !r->coverage || !hb_buffer_allocation_successful(r->buf))
        goto fail;
    r->lang = hb_language_from_string(r->language, -1);
    r->advance_funcs = hb_font_funcs_create();
    hb_font_funcs_set_glyph_h_advances_func(r->advance_funcs, remembered_h_advances, NULL, NULL);
    hb_font_funcs_set_nominal_glyph_func(r->advance_funcs, remembered_nominal_glyph, NULL, NULL);
    hb_font_funcs_make_immutable(r->advance_funcs);
    e = STRIP_ERR_FONT;
    if (FT_Init_FreeType(&r->ft)) {
        diag_error(d, "FreeType cannot start");
        goto fail;
    }
    e = open_fonts(r, opt->fonts_dir, opt->families);
    if (e)
        goto fail;
    place_baseline(r);
    r->threads = opt->threads ? opt->threads : cpu_count();
    if (r->threads > MAX_THREADS)
        r->threads = MAX_THREADS;
    if (r->threads > 1 && strip_raster_open_workers(r)) {
        diag_debug(d, "cannot open fonts for rasterizing threads; rasterizing on one");
        strip_raster_close_workers(r);
        r->threads = 1;
    }
    return r;
fail:
    if (err)
        *err = e;
    strip_free(r);
    return NULL;
}

void strip_free(struct strip_renderer *r)
{
    if (!r)
        return;
    strip_raster_close_workers(r);
    for (size_t i = 0; i < r->nfonts; i++) {
        hb_font_destroy(r->fonts[i].hb);
        hb_font_destroy(r->fonts[i].hb_ft);     /* drops its reference to the face */
        free(r->fonts[i].advances);
        cpmap_free(r->fonts[i].gids);
        free(r->fonts[i].matched);
        free(r->fonts[i].file);
    }
    hb_font_funcs_destroy(r->advance_funcs);
    if (r->ft)
        FT_Done_FreeType(r->ft);
    hb_buffer_destroy(r->buf);
    glyphcache_free(r->cache);
    cpmap_free(r->coverage);
    free(r->language);
    free(r);
}

void strip_get_metrics(const struct strip_renderer *r, struct strip_metrics *m)
{
    m->size = r->size;
    m->height = r->height;
    m->baseline = r->baseline;
    m->em_top = r->em_top;
    m->bpp = r->mode == STRIP_MONO ? 1 : 8;
}

size_t strip_font_count(const struct strip_renderer *r)
{
    return r->nfonts;
}

const char *strip_font_family(const struct strip_renderer *r, size_t i)
{
    return i < r->nfonts ? r->fonts[i].matched : NULL;
}

void strip_cache_clear(struct strip_renderer *r)
{
    glyphcache_clear(r->cache);
}

void strip_cache_stats(const struct strip_renderer *r, size_t *glyphs, size_t *bytes)
{
    glyphcache_stats(r->cache, glyphs, bytes);
}
