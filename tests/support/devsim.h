/* devsim — a firmware core in a test, fed the way USB would feed it, with
 * a clock the test controls. Shared by the encoder and round-trip tests. */
#ifndef TESTS_DEVSIM_H
#define TESTS_DEVSIM_H

#include <stddef.h>
#include <stdint.h>

#include "fw.h"

struct devsim {
    struct fw fw;
    uint32_t now;
    uint32_t statuses;          /* STATUS messages the core sent */
    uint32_t presents_checked;  /* incremented by the caller's check */
};

/* Allocates a device for a built-in board; NULL when unknown. */
struct devsim *devsim_new(const char *board);
void devsim_free(struct devsim *d);

/* Hands the core `len` bytes in chunks of 1..max_chunk bytes (random when
 * seed != 0, else exactly max_chunk), running its main loop between them. */
void devsim_feed(struct devsim *d, const uint8_t *bytes, size_t len, size_t max_chunk,
                 unsigned *seed);

/* Sum of the decoder's error counters (0 for a clean stream). */
uint32_t devsim_errors(const struct devsim *d);

#endif
