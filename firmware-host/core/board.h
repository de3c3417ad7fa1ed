/* board — what the firmware knows about one controller + panel combination.
 * The built-in table comes from firmware-host/boards/board_list.h; tests
 * may describe their own small panels with the same struct. */
#ifndef FW_BOARD_H
#define FW_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "fwconfig.h"

struct fw_board {
    const char *name;
    uint8_t kind;           /* enum fw_panel_kind */
    uint16_t width, height; /* the whole display */
    uint8_t chain;          /* panels side by side */
    uint8_t scan;           /* row addresses (1/scan) */
    const char *order;      /* colour on data pins R, G, B: "RGB", "RBG", ...; "R" for one colour */
    uint8_t bit_depth;
    uint8_t brightness;     /* power-up default */
    uint16_t usb_vid, usb_pid;
    uint16_t ram_kib;
};

/* The built-in boards, in board_list.h order. */
extern const struct fw_board board_table[];
extern const unsigned board_count;

/* The built-in board called `name`, or NULL. */
const struct fw_board *board_find(const char *name);

/* True when the core can drive b with its compiled-in buffer sizes:
 * HUB75 needs height == 2 * scan (rows r and r + scan are lit together)
 * and a depth of 1..FW_MAX_DEPTH; HUB12 needs 16 rows, 1/4 scan and a width
 * in whole 8-pixel columns. */
bool board_supported(const struct fw_board *b);

#endif
