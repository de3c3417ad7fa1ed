/* cpmap — a small hash map from a code point to an int (which font covers
 * it; or just "seen"). Open addressing, grows by doubling. */
#ifndef LEDTICKER_CPMAP_H
#define LEDTICKER_CPMAP_H

#include <stdint.h>

struct cpmap;

struct cpmap *cpmap_new(void);
void cpmap_free(struct cpmap *m);
/* Returns 1 and sets *value when cp is present, else 0. */
int cpmap_get(const struct cpmap *m, uint32_t cp, int *value);
/* Inserts or replaces; returns 0, or -1 when out of memory. */
int cpmap_put(struct cpmap *m, uint32_t cp, int value);

#endif
