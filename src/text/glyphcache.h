/* glyphcache — rasterized glyphs of one renderer, each made once.
 *
 * Keyed by (font index, glyph id); size and mode are fixed per renderer, so
 * the key as a whole is (face, glyph id, size, mode). Entries live in one
 * array, addressed by slot numbers that stay valid until glyphcache_clear,
 * which bumps the generation so that holders of slots can tell. */
#ifndef LEDTICKER_GLYPHCACHE_H
#define LEDTICKER_GLYPHCACHE_H

#include <stddef.h>
#include <stdint.h>

#define GLYPHKEY(font, gid) (((uint32_t)(font) << 24) | ((uint32_t)(gid) & 0xFFFFFFu))
#define GLYPHKEY_FONT(key) ((key) >> 24)
#define GLYPHKEY_GID(key) ((key) & 0xFFFFFFu)

/* One glyph image: 1 bpp MSB-first rows (padding bits clear) or 8-bit rows,
 * `pitch` bytes apart. left/top place it relative to the pen on the
 * baseline: columns to the right, rows up (FreeType's convention). */
struct glyph_img {
    int left, top;
    int w, h, pitch;
    uint8_t *bits;          /* NULL when empty */
};

struct glyphcache;

struct glyphcache *glyphcache_new(void);
void glyphcache_free(struct glyphcache *c);
void glyphcache_clear(struct glyphcache *c);
uint64_t glyphcache_generation(const struct glyphcache *c);

/* The slot for `key`; a new empty one (created = 1) when absent, which the
 * caller fills with glyphcache_fill. Returns -1 when out of memory. */
long glyphcache_lookup_or_add(struct glyphcache *c, uint32_t key, int *created);

/* Stores img into slot (taking ownership of img->bits). */
void glyphcache_fill(struct glyphcache *c, uint32_t slot, const struct glyph_img *img);

const struct glyph_img *glyphcache_get(const struct glyphcache *c, uint32_t slot);

void glyphcache_stats(const struct glyphcache *c, size_t *glyphs, size_t *bytes);

#endif
