/* strip_blit — a measured layout's glyph images into the caller's bitmap,
 * clipped, at any depth. */
#include <stdlib.h>
#include <string.h>

#include "text/strip_internal.h"

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

/* out = max(d, s) over 16 bytes: a fixed count the compiler turns into one
 * vector max. */
static inline void max16(uint8_t *out, const uint8_t *d, const uint8_t *s)
{
    uint8_t a[16], b[16];
    memcpy(a, d, 16);
    memcpy(b, s, 16);
    for (int k = 0; k < 16; k++)
        a[k] = b[k] > a[k] ? b[k] : a[k];
    memcpy(out, a, 16);
}

/* Rows [ya, yb) of an 8-bit glyph drawn over 8-bit coverage at column x:
 * each byte keeps the larger. A row of 16 or more ends with a chunk that
 * overlaps the one before it, which max allows; the common glyph of 16 to
 * 32 columns takes two chunks a row. That last chunk is read before the
 * others are written: a load that straddles a store just made would wait
 * for it to reach the cache. Each of the rows is a stream of its own (a
 * 32 px strip is 32 streams far apart), so the next glyphs' bytes of it
 * are asked for ahead. */
static void blit_gray(const struct glyph_img *g, struct bitmap *dst, int x, int y0, int ya,
                      int yb)
{
    int w = g->w;
    const uint8_t *s = g->bits + (size_t)ya * (size_t)g->pitch;
    uint8_t *d = dst->data + (size_t)(y0 + ya) * dst->stride + x;
    int ahead = x + 128 < dst->width;
    for (int r = ya; r < yb; r++, s += g->pitch, d += dst->stride) {
        if (ahead)
            __builtin_prefetch(d + 128, 1);
        if (w < 16) {
            for (int i = 0; i < w; i++)
                d[i] = s[i] > d[i] ? s[i] : d[i];
            continue;
        }
        uint8_t last[16];
        max16(last, d + w - 16, s + w - 16);
        for (int i = 0; i + 16 < w; i += 16)
            max16(d + i, d + i, s + i);
        memcpy(d + w - 16, last, 16);
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
    blit_gray(g, dst, x, y, ya, yb);
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
                int rc = strip_raster_all(r, &p->key, 1, &img);
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
