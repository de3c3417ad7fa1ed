/* fwtest — a firmware core instance on a fake board port for tests: a
 * clock the test moves by hand, every STATUS the core sends kept, every
 * panel output counted. */
#ifndef TEST_FWTEST_H
#define TEST_FWTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw.h"

#define FWTEST_MAX_STATUS 64

struct fwtest {
    struct fw fw;
    uint32_t now_ms;
    bool usb_busy;                      /* usb_send refuses while set */
    unsigned panel_shows;
    const struct panel_out *last_out;
    unsigned n_status;                  /* STATUS frames sent (all counted) */
    struct ledproto_status status[FWTEST_MAX_STATUS];   /* the first ones */
    struct ledproto_status last_status;
};

/* Allocates and starts a core for the built-in board `name` (or `board`
 * when name is NULL), the clock at start_ms. Aborts on failure. */
struct fwtest *fwtest_new(const char *name, const struct fw_board *board, uint32_t start_ms);
void fwtest_free(struct fwtest *t);

/* Moves the clock on and runs fw_task once. */
void fwtest_advance(struct fwtest *t, uint32_t ms);

/* RGB of the front / back buffer at (x, y). */
const uint8_t *fwtest_front(const struct fwtest *t, unsigned x, unsigned y);
const uint8_t *fwtest_back(const struct fwtest *t, unsigned x, unsigned y);

#endif
