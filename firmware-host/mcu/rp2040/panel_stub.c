/* Placeholder panel output until the PIO/DMA driver lands: remembers what
 * it was asked to show and drives nothing. */
#include "panel_hw.h"
#include "panel_hw_state.h"

void panel_hw_init(struct panel_hw *p, const struct fw_board *b)
{
    p->board = b;
    p->showing = 0;
}

void panel_hw_show(struct panel_hw *p, const struct panel_out *out)
{
    p->showing = out;
}

bool panel_hw_task(struct panel_hw *p)
{
    (void)p;
    return false;
}
