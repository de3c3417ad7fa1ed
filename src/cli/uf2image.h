/* uf2image — a firmware file for the RP2040 controller, checked before it
 * is flashed: whole UF2 blocks (magic numbers, RP2040 family, block
 * numbering, addresses in flash) and the image's tag
 * "ledctl-image VERSION BOARD" (firmware-host/mcu/rp2040/main.c). */
#ifndef LEDTICKER_UF2IMAGE_H
#define LEDTICKER_UF2IMAGE_H

#include <stddef.h>

#include "util/diag.h"

struct uf2image {
    size_t blocks;
    char version[16];       /* "" when the image has no tag */
    char board[32];
};

/* Reads and checks `path`. 0, or -1 after an error naming the file and
 * the block. */
int uf2image_load(struct uf2image *img, const char *path, const struct diag *d);

#endif
