#include "board.h"

#define FW_BOARD_ENTRY_(id, name, kind, w, h, chain, scan, order, depth, bright, vid, pid, ram) \
    { name, kind, w, h, chain, scan, order, depth, bright, vid, pid, ram },

const struct fw_board board_table[] = { FW_BOARDS(FW_BOARD_ENTRY_) };
const unsigned board_count = sizeof board_table / sizeof board_table[0];

static bool names_equal(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

const struct fw_board *board_find(const char *name)
{
    for (unsigned i = 0; name && i < board_count; i++)
        if (names_equal(board_table[i].name, name))
            return &board_table[i];
    return 0;
}

static bool order_valid(const char *order, unsigned pins)
{
    unsigned seen = 0;
    for (unsigned i = 0; i < pins; i++) {
        unsigned bit;
        switch (order[i]) {
        case 'R': bit = 1; break;
        case 'G': bit = 2; break;
        case 'B': bit = 4; break;
        default: return false;
        }
        if (seen & bit)
            return false;
        seen |= bit;
    }
    return order[pins] == '\0';
}

bool board_supported(const struct fw_board *b)
{
    if (!b || !b->order || b->width == 0 || b->height == 0 || b->scan == 0)
        return false;
    if ((uint32_t)b->width * b->height * 3 > FW_FB_BYTES)
        return false;
    if (b->kind == FW_PANEL_HUB75)
        return b->height == 2u * b->scan && b->bit_depth >= 1 && b->bit_depth <= FW_MAX_DEPTH &&
               (uint32_t)b->bit_depth * b->scan * b->width <= FW_PLANE_BYTES &&
               order_valid(b->order, 3);
    if (b->kind == FW_PANEL_HUB12)
        return b->height == 16 && b->scan == 4 && b->width % 8 == 0 && b->bit_depth == 1 &&
               (uint32_t)b->width * b->height / 8 <= FW_PLANE_BYTES && order_valid(b->order, 1);
    return false;
}
