/* The panel output's state, one instance in main.c. */
#ifndef RP2040_PANEL_HW_STATE_H
#define RP2040_PANEL_HW_STATE_H

#include "fw.h"

struct panel_hw {
    const struct fw_board *board;
    const struct panel_out *volatile showing;
};

#endif
