/* strip_raster — glyphs into cache images with FreeType, on extra threads
 * (each with its own faces) when there are many new glyphs at once. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "text/strip_internal.h"

#include FT_BITMAP_H

/* Below this many new glyphs, starting threads costs more than it saves. */
#define PARALLEL_MIN_GLYPHS 48

/* Load flags for rasterizing. Mono hints for the pixel grid; gray uses light
 * (vertical-only) hinting so shapes keep their width. Neither disables
 * embedded bitmaps, so a strike wins in both modes; but FreeType answers
 * advances for light hinting from the outline's metrics even on a strike
 * size, so a strike in gray mode loads with the default flags. */
FT_Int32 strip_raster_flags(enum strip_mode mode, int strike)
{
    if (mode == STRIP_MONO)
        return FT_LOAD_TARGET_MONO;
    return strike ? FT_LOAD_DEFAULT : FT_LOAD_TARGET_LIGHT;
}
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
    if (FT_Load_Glyph(face, gid, strip_raster_flags(mode, strike)))
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

int strip_raster_open_workers(struct strip_renderer *r)
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
                strip_set_face_size(wk->faces[i], r->size) != r->fonts[i].strike)
                return -1;
        }
    }
    return 0;
}

void strip_raster_close_workers(struct strip_renderer *r)
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
int strip_raster_all(struct strip_renderer *r, const uint32_t *keys, size_t n,
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
