/* panel_prog — the PIO programs and timing that clock the core's panel
 * output (core/panel.h) onto HUB75 and HUB12 connectors. Pure computation,
 * no registers: panel_pio.c loads the result into PIO0, and the host
 * compiles this file too (tests/unit, tests/tools/panellevels).
 *
 * Two state machines share the work, so that shifting the next row overlaps
 * showing the current one:
 *
 *   data SM (out pins = the data pins, side-set = CLK)
 *     0: mov x, y            side 0           ; x = clocks per row - 1
 *     1: out pins, N         side 0 [low-1]   ; N = 8 bits a pixel (HUB75), 1 (HUB12)
 *     2: jmp x-- 1           side 1 [high-1]  ; rising CLK edge
 *     3: irq wait 0          side 0           ; row shifted: wait until latched
 *
 *   row SM (out pins = the address pins, side-set = LAT, OE)
 *     0: pull block          side OFF         ; the row's control word
 *     1: wait 1 irq 0        side OFF         ; its data is in the shift registers
 *     2: out pins, 5         side OFF LAT [lat-1]  ; address, latch
 *     3: out x, 27           side OFF         ; x = cycles to light the row
 *     4: jmp x-- 6           side OFF         ; none: go round (via 5)
 *     5: jmp 0               side OFF
 *     6: jmp x-- 6           side ON          ; lit for exactly x cycles
 *
 * The row SM clears IRQ 0 as it latches, which lets the data SM shift the
 * next row while this one is lit. A control word is address | cycles << 5;
 * panel_prog_control builds one per row address and bit plane, in the order
 * of the core's plane data (plane-major): plane p of HUB75 is lit for
 * t0 << p cycles (binary-coded modulation), a HUB12 row for its brightness's
 * share of the row time.
 *
 * OE is active low in the program (OFF = 1); a board whose OE is active
 * high inverts the pin in the GPIO block, not here. */
#ifndef PANEL_PROG_H
#define PANEL_PROG_H

#include <stdbool.h>
#include <stdint.h>

#include "panel.h"

#define PANEL_PROG_DATA_LEN 4
#define PANEL_PROG_ROW_LEN  7
/* Side-set bits: data SM 1 (CLK), row SM 2 (LAT, OE). */
#define PANEL_PROG_DATA_SIDE 1
#define PANEL_PROG_ROW_SIDE  2
/* The largest control table: 12 planes x 32 row addresses. */
#define PANEL_PROG_MAX_CONTROL (FW_MAX_DEPTH * 32)

/* A panel's physical limits, from its board file. */
struct panel_limits {
    uint32_t sys_hz;        /* PIO clock (clk_sys) */
    uint32_t max_shift_hz;  /* fastest shift clock the panel takes */
    uint32_t min_oe_ns;     /* shortest OE pulse it shows faithfully */
};

struct panel_timing {
    uint16_t clkdiv;        /* data SM clock divider (integer) */
    uint8_t clk_low, clk_high;  /* data SM cycles per shift-clock phase */
    uint8_t lat;            /* row SM cycles LAT is held high */
    uint32_t t0;            /* row SM cycles of the shortest OE pulse */
    uint32_t row_clocks;    /* shift clocks per row address */
    uint8_t out_bits;       /* data bits per shift clock: 8 (HUB75 byte), 1 */
    uint8_t addr_bits;      /* address pins the scan needs */
};

/* Works out the timing for a board within its limits. Returns false when the
 * board or the limits cannot be met (a zero limit, a scan that is not a
 * power of two, a shift clock above half the PIO clock). */
bool panel_prog_timing(struct panel_timing *t, const struct fw_board *b,
                       const struct panel_limits *lim);

/* The two programs, for instruction memory at offset `base` (jump targets
 * are absolute). */
void panel_prog_data(uint16_t out[PANEL_PROG_DATA_LEN], const struct panel_timing *t,
                     unsigned base);
void panel_prog_row(uint16_t out[PANEL_PROG_ROW_LEN], const struct panel_timing *t,
                    unsigned base);

/* Fills one control word per row address and plane of `o` (o->rows *
 * o->planes words, at most PANEL_PROG_MAX_CONTROL). Returns the count. */
unsigned panel_prog_control(uint32_t *words, const struct panel_timing *t,
                            const struct panel_out *o);

/* Predicted PIO cycles of one full refresh (every plane of every row), and
 * of the same refresh if only the shift clock or only the OE pulses took
 * time: what each limit allows. */
struct panel_prog_cost {
    uint64_t refresh, shift_only, oe_only;
};
void panel_prog_cost(struct panel_prog_cost *c, const struct panel_timing *t,
                     const struct panel_out *o);

#endif
