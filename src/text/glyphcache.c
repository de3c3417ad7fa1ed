#include "text/glyphcache.h"

#include <stdlib.h>
#include <string.h>

struct glyphcache {
    struct glyph_img *imgs;
    uint32_t *keys;             /* per slot */
    size_t count, cap;
    uint32_t *index;            /* hash: slot + 1, 0 = empty */
    size_t index_cap;           /* power of two */
    size_t bytes;
    uint64_t generation;
};

static size_t hash_of(uint32_t key, size_t cap)
{
    return (size_t)((key * 0x9E3779B1u) ^ (key >> 16)) & (cap - 1);
}

struct glyphcache *glyphcache_new(void)
{
    struct glyphcache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->index_cap = 1024;
    c->index = calloc(c->index_cap, sizeof *c->index);
    if (!c->index) {
        free(c);
        return NULL;
    }
    return c;
}

void glyphcache_clear(struct glyphcache *c)
{
    for (size_t i = 0; i < c->count; i++)
        free(c->imgs[i].bits);
    c->count = 0;
    c->bytes = 0;
    memset(c->index, 0, c->index_cap * sizeof *c->index);
    c->generation++;
}

void glyphcache_free(struct glyphcache *c)
{
    if (!c)
        return;
    glyphcache_clear(c);
    free(c->imgs);
    free(c->keys);
    free(c->index);
    free(c);
}

uint64_t glyphcache_generation(const struct glyphcache *c)
{
    return c->generation;
}

static int grow_index(struct glyphcache *c)
{
    size_t cap = c->index_cap * 2;
    uint32_t *index = calloc(cap, sizeof *index);
    if (!index)
        return -1;
    for (size_t s = 0; s < c->count; s++) {
        size_t i = hash_of(c->keys[s], cap);
        while (index[i])
            i = (i + 1) & (cap - 1);
        index[i] = (uint32_t)s + 1;
    }
    free(c->index);
    c->index = index;
    c->index_cap = cap;
    return 0;
}

long glyphcache_lookup_or_add(struct glyphcache *c, uint32_t key, int *created)
{
    *created = 0;
    size_t i = hash_of(key, c->index_cap);
    for (; c->index[i]; i = (i + 1) & (c->index_cap - 1))
        if (c->keys[c->index[i] - 1] == key)
            return (long)c->index[i] - 1;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct glyph_img *imgs = realloc(c->imgs, cap * sizeof *imgs);
        if (!imgs)
            return -1;
        c->imgs = imgs;
        uint32_t *keys = realloc(c->keys, cap * sizeof *keys);
        if (!keys)
            return -1;
        c->keys = keys;
        c->cap = cap;
    }
    size_t slot = c->count++;
    c->keys[slot] = key;
    memset(&c->imgs[slot], 0, sizeof c->imgs[slot]);
    c->index[i] = (uint32_t)slot + 1;
    if (c->count * 2 > c->index_cap && grow_index(c)) {
        c->count--;             /* undo: the index may hold it, so clear that too */
        c->index[i] = 0;
        return -1;
    }
    *created = 1;
    return (long)slot;
}

void glyphcache_fill(struct glyphcache *c, uint32_t slot, const struct glyph_img *img)
{
    c->imgs[slot] = *img;
    c->bytes += (size_t)img->h * (size_t)img->pitch;
}

const struct glyph_img *glyphcache_get(const struct glyphcache *c, uint32_t slot)
{
    return &c->imgs[slot];
}

void glyphcache_stats(const struct glyphcache *c, size_t *glyphs, size_t *bytes)
{
    *glyphs = c->count;
    *bytes = c->bytes;
}
