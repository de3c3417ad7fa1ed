#include "text/cpmap.h"

#include <stdlib.h>

/* Keys are stored plus one so that 0 marks an empty slot. */
struct cpmap {
    uint32_t *keys;
    int *values;
    size_t cap, count;      /* cap is a power of two */
};

static size_t slot_of(uint32_t cp, size_t cap)
{
    return (size_t)(cp * 2654435761u) & (cap - 1);
}

struct cpmap *cpmap_new(void)
{
    struct cpmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 256;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->values = calloc(m->cap, sizeof *m->values);
    if (!m->keys || !m->values) {
        cpmap_free(m);
        return NULL;
    }
    return m;
}

void cpmap_free(struct cpmap *m)
{
    if (!m)
        return;
    free(m->keys);
    free(m->values);
    free(m);
}

int cpmap_get(const struct cpmap *m, uint32_t cp, int *value)
{
    for (size_t i = slot_of(cp, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return 0;
        if (m->keys[i] == cp + 1) {
            *value = m->values[i];
            return 1;
        }
    }
}

static int grow(struct cpmap *m)
{
    size_t cap = m->cap * 2;
    uint32_t *keys = calloc(cap, sizeof *keys);
    int *values = calloc(cap, sizeof *values);
    if (!keys || !values) {
        free(keys);
        free(values);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(m->keys[i] - 1, cap);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        values[j] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
    return 0;
}

int cpmap_put(struct cpmap *m, uint32_t cp, int value)
{
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m))
        return -1;
    size_t i = slot_of(cp, m->cap);
    while (m->keys[i] && m->keys[i] != cp + 1)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i])
        m->count++;
    m->keys[i] = cp + 1;
    m->values[i] = value;
    return 0;
}
