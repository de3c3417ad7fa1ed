/* strip_internal.h — what the renderer's files (strip.c: fonts and caches,
 * strip_shape.c: itemizing, shaping and placing, strip_raster.c: rasterizing
 * and its threads, strip_blit.c: blitting) share. Not for use outside
 * src/text/. */
#ifndef LEDTICKER_STRIP_INTERNAL_H
#define LEDTICKER_STRIP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include "text/strip.h"
#include "text/glyphcache.h"

#define MAX_FONTS 32
#define MAX_THREADS 8

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

/* strip.c: fonts and their caches. */
int strip_set_face_size(FT_Face face, int px);
int strip_find_font(struct strip_renderer *r, uint32_t cp);

/* strip_raster.c: rasterizing, on extra threads when it is worth it. */
FT_Int32 strip_raster_flags(enum strip_mode mode, int strike);
int strip_raster_open_workers(struct strip_renderer *r);
void strip_raster_close_workers(struct strip_renderer *r);
int strip_raster_all(struct strip_renderer *r, const uint32_t *keys, size_t n,
                     struct glyph_img *out);

#endif
