/* The panel output's state, one instance in main.c (see panel_hw.h). */
#ifndef RP2040_PANEL_HW_STATE_H
#define RP2040_PANEL_HW_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "fw.h"
#include "panel_prog.h"

/* Where the panel is wired and what it takes: from the board file. */
struct panel_pins {
    uint8_t data;           /* first data pin: R0 G0 B0 R1 G1 B1 (HUB12: the one) */
    uint8_t addr;           /* first address pin: A B C D E, as many as the scan needs */
    uint8_t clk, lat;       /* OE is lat + 1: LAT and OE are one PIO side-set pair */
    bool oe_active_high;    /* HUB12 (P10) modules light on OE high */
    bool fm6126a;           /* send the FM6126A register set-up first */
};

struct panel_hw {
    const struct fw_board *board;
    struct panel_pins pins;
    struct panel_timing timing;
    uint32_t control[2][PANEL_PROG_MAX_CONTROL];
    uint32_t control_words, data_words;
    uint8_t control_at;             /* control[control_at] was handed over last */
    /* Read by the reload DMA channels at the start of every refresh: the
     * buffers the next refresh shows. */
    volatile uint32_t data_next, control_next;
    uint32_t refresh_us;            /* one refresh, predicted, rounded up */
    bool running;
};

#endif
