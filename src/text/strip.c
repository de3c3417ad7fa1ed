/* strip — shaping with HarfBuzz, rasterizing with FreeType, blitting into a
 * caller's bitmap. See strip.h for the contract; the notes here say why. */
#include "text/strip.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_BITMAP_H
#include <hb.h>
#include <hb-ft.h>
#include <hb-ot.h>

#include "text/fontchain.h"
#include "text/cpmap.h"
#include "text/glyphcache.h"
#include "text/utf8.h"

#define MAX_FONTS 32
#define MAX_THREADS 8
/* Below this many new glyphs, starting threads costs more than it saves. */
#define PARALLEL_MIN_GLYPHS 48
#define MAX_UNCOVERED_WARNINGS 8
#define ADVANCE_UNKNOWN INT32_MIN

struct font {
    FT_Face face;
    hb_font_t *hb_ft;       /* HarfBuzz over FreeType */
    hb_font_t *hb;          /* what shapes: hb_ft with advances remembered */
    int32_t *advances;      /* per glyph id, ADVANCE_UNKNOWN until asked */
    size_t nadvances;
    struct cpmap *gids;     /* code point -> glyph id, as asked */
    int strike;             /* the face has a bitmap strike at this size */
    char *matched;
    char *file;
    int index;
};

/* A second set of faces for one extra rasterizing thread: FreeType faces
 * must not be used from two threads at once, so each thread has its own. */
struct worker {
    FT_Library ft;
    FT_Face faces[MAX_FONTS];
};

struct strip_renderer {
    struct diag diag;
    int size, height;
    enum strip_mode mode;
    char *language;
    hb_language_t lang;
    FT_Library ft;
    struct font fonts[MAX_FONTS];
    size_t nfonts;
    int baseline, em_top;
    struct glyphcache *cache;
    struct cpmap *coverage;     /* code point -> font index, -1 for none */
    hb_buffer_t *buf;
    hb_unicode_funcs_t *ufuncs;
    hb_font_funcs_t *advance_funcs;
    int threads;
    struct worker *workers;     /* threads - 1 of them */
};

struct placed {
    int32_t x;              /* left column of the glyph's bitmap */
    int32_t y;              /* top row of the glyph's bitmap */
    uint32_t key;           /* glyph cache key */
    uint32_t slot;          /* cache slot, valid while generation matches */
};

struct strip_layout {
    int width, height;
    size_t count;
    uint64_t generation;
    struct placed *glyphs;
};

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

static void discard_diag(void *user, enum diag_level level, const char *file, int line,
                         const char *msg)
{
    (void)user, (void)level, (void)file, (void)line, (void)msg;
}

/* ---- fonts ------------------------------------------------------------ */

/* Picks the size on a face: the bitmap strike of exactly this ppem when
 * there is one (FreeType then loads strike bitmaps and metrics), else the
 * scaled outline. Returns 1 for a strike, 0 for outlines, -1 on failure. */
static int set_face_size(FT_Face face, int px)
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

/* Load flags for rasterizing. Mono hints for the pixel grid; gray uses light
 * (vertical-only) hinting so shapes keep their width. Neither disables
 * embedded bitmaps, so a strike wins in both modes; but FreeType answers
 * advances for light hinting from the outline's metrics even on a strike
 * size, so a strike in gray mode loads with the default flags. */
static FT_Int32 raster_flags(enum strip_mode mode, int strike)
{
    if (mode == STRIP_MONO)
        return FT_LOAD_TARGET_MONO;
    return strike ? FT_LOAD_DEFAULT : FT_LOAD_TARGET_LIGHT;
}

/* Load flags HarfBuzz uses for advances. A strike's own advances count
 * ("a bitmap strike uses its own metrics"); for outlines the unhinted ones,
 * which FreeType reads from hmtx without loading the glyph and which match
 * hb-shape's widths. */
static FT_Int32 shaping_flags(const struct font *f, enum strip_mode mode)
{
    return f->strike ? raster_flags(mode, 1) : FT_LOAD_NO_HINTING;
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
    int strike = set_face_size(f->face, r->size);
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

static int find_font(struct strip_renderer *r, uint32_t cp)
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
            if (glyph_ink(f->face, probe[i], raster_flags(r->mode, 1), &a, &b)) {
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

/* ---- rasterizing ------------------------------------------------------ */

/* Copies FreeType's bitmap into the cache's format: 1 bpp MSB-first rows
 * (mono) or 8-bit rows (gray). Strikes give mono, outlines whatever the
 * render mode gives, colour fonts BGRA: all are converted here. */
static int store_bitmap(FT_Library ft, const FT_Bitmap *src, int want_bpp, struct glyph_img *img)
{
    FT_Bitmap conv;
    const FT_Bitmap *b = src;
    int rc = 0;
    FT_Bitmap_Init(&conv);
    if (src->pixel_mode != FT_PIXEL_MODE_MONO && src->pixel_mode != FT_PIXEL_MODE_GRAY) {
        if (FT_Bitmap_Convert(ft, src, &conv, 1))
            return -1;
        /* Converted grey levels run 0..num_grays-1; spread them to 0..255. */
        for (unsigned y = 0; y < conv.rows; y++)
            for (unsigned x = 0; x < conv.width; x++) {
                unsigned char *p = conv.buffer + (size_t)y * (size_t)conv.pitch + x;
                *p = conv.num_grays > 1 ? (unsigned char)(*p * 255 / (conv.num_grays - 1)) : 0;
            }
        conv.pixel_mode = FT_PIXEL_MODE_GRAY;
        b = &conv;
    }
    img->w = (int)b->width;
    img->h = (int)b->rows;
    img->pitch = want_bpp == 1 ? (img->w + 7) / 8 : img->w;
    img->bits = NULL;
    if (img->w && img->h) {
        img->bits = calloc((size_t)img->h, (size_t)img->pitch);
        if (!img->bits) {
            rc = -1;
            goto out;
        }
    }
    for (int y = 0; y < img->h; y++) {
        const unsigned char *s = b->buffer + (ptrdiff_t)y * b->pitch;
        unsigned char *d = img->bits + (size_t)y * (size_t)img->pitch;
        if (b->pixel_mode == FT_PIXEL_MODE_MONO && want_bpp == 1) {
            memcpy(d, s, (size_t)img->pitch);
            if (img->w & 7)     /* keep the padding bits clear: blits OR whole bytes */
                d[img->pitch - 1] &= (unsigned char)(0xFF00 >> (img->w & 7));
        } else {
            for (int x = 0; x < img->w; x++) {
                int v = b->pixel_mode == FT_PIXEL_MODE_MONO
                            ? ((s[x >> 3] >> (7 - (x & 7))) & 1) * 255 : s[x];
                if (want_bpp == 8)
                    d[x] = (unsigned char)v;
                else if (v >= 128)
                    d[x >> 3] |= (unsigned char)(0x80 >> (x & 7));
            }
        }
    }
    /* FreeType gives a blank 1x1 bitmap for a space in mono: drop it, so
     * blits skip it. */
    int ink = 0;
    for (size_t i = 0; img->bits && !ink && i < (size_t)img->h * (size_t)img->pitch; i++)
        ink = img->bits[i] != 0;
    if (!ink) {
        free(img->bits);
        img->bits = NULL;
        img->w = img->h = 0;
    }
out:
    FT_Bitmap_Done(ft, &conv);
    return rc;
}

static int rasterize(FT_Library ft, FT_Face face, int strike, enum strip_mode mode,
                     unsigned gid, struct glyph_img *img)
{
    memset(img, 0, sizeof *img);
    if (FT_Load_Glyph(face, gid, raster_flags(mode, strike)))
        return 0;       /* a broken glyph draws as nothing */
    if (face->glyph->format != FT_GLYPH_FORMAT_BITMAP &&
        FT_Render_Glyph(face->glyph, mode == STRIP_MONO ? FT_RENDER_MODE_MONO
                                                        : FT_RENDER_MODE_NORMAL))
        return 0;
    img->left = face->glyph->bitmap_left;
    img->top = face->glyph->bitmap_top;
    return store_bitmap(ft, &face->glyph->bitmap, mode == STRIP_MONO ? 1 : 8, img);
}

/* Threads take the next glyph from a shared counter rather than a fixed
 * share: on a machine whose other cores are busy, a thread that gets no
 * CPU takes nothing, and the caller's thread does the work alone. */
struct raster_shared {
    struct strip_renderer *r;
    const uint32_t *keys;
    struct glyph_img *out;
    size_t count;
    atomic_size_t next;
};

struct raster_job {
    struct raster_shared *sh;
    FT_Library ft;
    FT_Face *faces;         /* indexed like r->fonts */
    int failed;
};

static void *raster_run(void *arg)
{
    struct raster_job *j = arg;
    struct raster_shared *sh = j->sh;
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->count)
            break;
        uint32_t key = sh->keys[i];
        unsigned font = GLYPHKEY_FONT(key);
        if (rasterize(j->ft, j->faces[font], sh->r->fonts[font].strike, sh->r->mode,
                      GLYPHKEY_GID(key), &sh->out[i]))
            j->failed = 1;
    }
    return NULL;
}

static int open_workers(struct strip_renderer *r)
{
    int extra = r->threads - 1;
    r->workers = calloc((size_t)extra, sizeof *r->workers);
    if (!r->workers)
        return -1;
    for (int w = 0; w < extra; w++) {
        struct worker *wk = &r->workers[w];
        if (FT_Init_FreeType(&wk->ft))
            return -1;
        for (size_t i = 0; i < r->nfonts; i++) {
            if (FT_New_Face(wk->ft, r->fonts[i].file, r->fonts[i].index, &wk->faces[i]) ||
                set_face_size(wk->faces[i], r->size) != r->fonts[i].strike)
                return -1;
        }
    }
    return 0;
}

static void close_workers(struct strip_renderer *r)
{
    if (!r->workers)
        return;
    for (int w = 0; w < r->threads - 1; w++)
        if (r->workers[w].ft)
            FT_Done_FreeType(r->workers[w].ft);     /* also frees its faces */
    free(r->workers);
    r->workers = NULL;
}

/* Rasterizes keys[0..n) into out[], on all threads when it is worth it. */
static int rasterize_all(struct strip_renderer *r, const uint32_t *keys, size_t n,
                         struct glyph_img *out)
{
    FT_Face main_faces[MAX_FONTS];
    for (size_t i = 0; i < r->nfonts; i++)
        main_faces[i] = r->fonts[i].face;
    int nthreads = (r->workers && n >= PARALLEL_MIN_GLYPHS) ? r->threads : 1;
    struct raster_shared sh = { .r = r, .keys = keys, .out = out, .count = n };
    atomic_init(&sh.next, 0);
    struct raster_job jobs[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS] = { 0 };
    for (int t = 0; t < nthreads; t++) {
        jobs[t] = (struct raster_job){ .sh = &sh };
        jobs[t].ft = t == 0 ? r->ft : r->workers[t - 1].ft;
        jobs[t].faces = t == 0 ? main_faces : r->workers[t - 1].faces;
    }
    for (int t = 1; t < nthreads; t++)
        started[t] = pthread_create(&tids[t], NULL, raster_run, &jobs[t]) == 0;
    raster_run(&jobs[0]);       /* a thread that could not start leaves all to this one */
    int failed = jobs[0].failed;
    for (int t = 1; t < nthreads; t++) {
        if (started[t])
            pthread_join(tids[t], NULL);
        failed |= jobs[t].failed;
    }
    return failed ? -1 : 0;
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
    if (r->threads > 1 && open_workers(r)) {
        diag_debug(d, "cannot open fonts for rasterizing threads; rasterizing on one");
        close_workers(r);
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
    close_workers(r);
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

/* ---- itemizing and shaping -------------------------------------------- */

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
        else if ((f = find_font(r, cps[i])) < 0) {
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
        int failed = rasterize_all(r, keys, nnew, imgs);
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

/* ---- blitting --------------------------------------------------------- */

/* Whole bytes: each source byte is split across two destination bytes. */
static void blit_mono_fast(const struct glyph_img *g, struct bitmap *dst, int x, int y0,
                           int ya, int yb)
{
    int shift = x & 7;
    size_t bx = (size_t)(x >> 3);
    size_t row_bytes = bitmap_min_stride(dst->width, 1);
    for (int y = ya; y < yb; y++) {
        const uint8_t *s = g->bits + (size_t)y * (size_t)g->pitch;
        uint8_t *d = dst->data + (size_t)(y0 + y) * dst->stride + bx;
        size_t room = row_bytes - bx;
        if (!shift) {
            for (int i = 0; i < g->pitch; i++)
                d[i] |= s[i];
            continue;
        }
        for (int i = 0; i < g->pitch; i++) {
            d[i] |= (uint8_t)(s[i] >> shift);
            if ((size_t)i + 1 < room)
                d[i + 1] |= (uint8_t)(s[i] << (8 - shift));
        }
    }
}

static int glyph_px(const struct glyph_img *g, int bpp, int x, int y)
{
    const uint8_t *row = g->bits + (size_t)y * (size_t)g->pitch;
    if (bpp == 1)
        return (row[x >> 3] >> (7 - (x & 7))) & 1 ? 255 : 0;
    return row[x];
}

/* Any depth to any depth, pixel by pixel, clipped on every side. */
static void blit_slow(const struct glyph_img *g, int gbpp, struct bitmap *dst, int x0, int y0)
{
    for (int y = 0; y < g->h; y++) {
        int dy = y0 + y;
        if (dy < 0 || dy >= dst->height)
            continue;
        uint8_t *row = dst->data + (size_t)dy * dst->stride;
        for (int x = 0; x < g->w; x++) {
            int dx = x0 + x;
            if (dx < 0 || dx >= dst->width)
                continue;
            int v = glyph_px(g, gbpp, x, y);
            if (dst->bpp == 8) {
                if (v > row[dx])
                    row[dx] = (uint8_t)v;
            } else if (v >= 128) {
                row[dx >> 3] |= (uint8_t)(0x80 >> (dx & 7));
            }
        }
    }
}

static void blit(const struct glyph_img *g, int gbpp, struct bitmap *dst, int x, int y)
{
    int inside_x = x >= 0 && x + g->w <= dst->width;
    if (!inside_x || gbpp != dst->bpp) {
        blit_slow(g, gbpp, dst, x, y);
        return;
    }
    int ya = y < 0 ? -y : 0;
    int yb = y + g->h > dst->height ? dst->height - y : g->h;
    if (gbpp == 1) {
        blit_mono_fast(g, dst, x, y, ya, yb);
        return;
    }
    for (int r = ya; r < yb; r++) {
        const uint8_t *s = g->bits + (size_t)r * (size_t)g->pitch;
        uint8_t *d = dst->data + (size_t)(y + r) * dst->stride + x;
        for (int i = 0; i < g->w; i++)
            if (s[i] > d[i])
                d[i] = s[i];
    }
}

int strip_render(struct strip_renderer *r, const struct strip_layout *lay,
                 struct bitmap *dst, int x)
{
    if (!r || !lay || !dst || (dst->bpp != 1 && dst->bpp != 8) || dst->width < 0 ||
        dst->height < 0 || (!dst->data && dst->width && dst->height) ||
        dst->stride < bitmap_min_stride(dst->width, dst->bpp))
        return STRIP_ERR_INVALID_PARAM;
    int gbpp = r->mode == STRIP_MONO ? 1 : 8;
    int fresh = lay->generation == glyphcache_generation(r->cache);
    for (size_t i = 0; i < lay->count; i++) {
        const struct placed *p = &lay->glyphs[i];
        int gx = x + p->x;
        const struct glyph_img *g;
        if (fresh) {
            g = glyphcache_get(r->cache, p->slot);
        } else {
            /* The cache was emptied since measuring: fetch the glyph again. */
            int created;
            long s = glyphcache_lookup_or_add(r->cache, p->key, &created);
            if (s < 0)
                return STRIP_ERR_NO_MEM;
            if (created) {
                struct glyph_img img;
                int rc = rasterize_all(r, &p->key, 1, &img);
                glyphcache_fill(r->cache, (uint32_t)s, &img);
                if (rc)
                    return STRIP_ERR_NO_MEM;
            }
            g = glyphcache_get(r->cache, (uint32_t)s);
        }
        if (gx >= dst->width || gx + g->w <= 0 || !g->bits)
            continue;
        blit(g, gbpp, dst, gx, p->y);
    }
    return STRIP_OK;
}

int strip_render_text(struct strip_renderer *r, const char *utf8, size_t len,
                      int bpp, struct bitmap *out)
{
    struct strip_layout *lay;
    if (!out || (bpp != 1 && bpp != 8))
        return STRIP_ERR_INVALID_PARAM;
    memset(out, 0, sizeof *out);
    int rc = strip_measure(r, utf8, len, &lay);
    if (rc)
        return rc;
    out->width = lay->width;
    out->height = r->height;
    out->bpp = bpp;
    out->stride = bitmap_min_stride(out->width, bpp);
    if (out->width) {
        out->data = calloc((size_t)out->height, out->stride ? out->stride : 1);
        if (!out->data) {
            strip_layout_free(lay);
            return STRIP_ERR_NO_MEM;
        }
        rc = strip_render(r, lay, out, 0);
    }
    strip_layout_free(lay);
    if (rc) {
        free(out->data);
        out->data = NULL;
    }
    return rc;
}

int strip_find_uncovered(struct strip_renderer *r, const char *utf8, size_t len,
                         uint32_t *cps, size_t max)
{
    uint32_t *text;
    size_t n;
    if (!r || (!utf8 && len) || (!cps && max))
        return STRIP_ERR_INVALID_PARAM;
    /* Repairs are not this query's business: decode without warnings. */
    struct diag silent = { .fn = discard_diag, .user = NULL };
    struct cpmap *seen = cpmap_new();
    if (!seen || utf8_decode_clean(utf8, len, &text, &n, &silent)) {
        cpmap_free(seen);
        return STRIP_ERR_NO_MEM;
    }
    size_t found = 0;
    int dummy;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = text[i];
        if (is_space(cp) || (i > 0 && rides_along(r->ufuncs, cp)) || find_font(r, cp) >= 0 ||
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
