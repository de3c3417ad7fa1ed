/* panel_hw — the panel output behind the port's panel_show: PIO programs
 * and DMA that clock the core's bit planes out (HUB75) or its shift stream
 * (HUB12). main.c calls these three; the implementation owns its state
 * in one struct (struct panel_hw) that main.c instantiates. */
#ifndef RP2040_PANEL_HW_H
#define RP2040_PANEL_HW_H

#include <stdbool.h>

#include "fw.h"

struct panel_hw;

/* Pins and state machines for board b; the panel stays dark until the
 * first panel_hw_show. */
void panel_hw_init(struct panel_hw *p, const struct fw_board *b);

/* The port's panel_show: out is shown from the next refresh on (swapped
 * between refreshes, never mid-refresh). */
void panel_hw_show(struct panel_hw *p, const struct panel_out *out);

/* Main-loop work, if any (returns true when it did something). */
bool panel_hw_task(struct panel_hw *p);

#endif
