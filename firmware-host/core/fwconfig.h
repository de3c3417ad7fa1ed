/* fwconfig — buffer sizes, fixed at compile time from the boards built in.
 *
 * The simulator and the tests build every board, so each buffer is as large
 * as the largest board needs; a microcontroller image is built with
 * -DFW_BOARD_ONLY=FW_BOARD_<ID> and its buffers fit that board exactly.
 * The unions below are never instantiated: sizeof picks the maximum. */
#ifndef FW_CONFIG_H
#define FW_CONFIG_H

#include "ledproto.h"
#include "../boards/board_list.h"

#ifdef FW_BOARD_ONLY
#define FW_BOARDS(X) FW_BOARD_ONLY(X)
#else
#define FW_BOARDS(X) FW_BOARDS_ALL(X)
#endif

#define FW_VERSION "0.1.0"

/* One RGB888 framebuffer. */
#define FW_SIZE_FB_(id, name, kind, w, h, chain, scan, order, depth, bright, vid, pid, ram) \
    unsigned char id[(w) * (h) * 3];
/* One set of panel output data: HUB75 bit planes (depth x scan x width
 * bytes), or the HUB12 shift stream (width x height / 8 bytes). */
#define FW_SIZE_PLANES_(id, name, kind, w, h, chain, scan, order, depth, bright, vid, pid, ram) \
    unsigned char id[(kind) == FW_PANEL_HUB75 ? (depth) * (scan) * (w) : (w) * (h) / 8];

enum fw_panel_kind { FW_PANEL_HUB75 = 1, FW_PANEL_HUB12 = 2 };

union fw_size_fb { FW_BOARDS(FW_SIZE_FB_) };
union fw_size_planes { FW_BOARDS(FW_SIZE_PLANES_) };

#define FW_FB_BYTES     sizeof(union fw_size_fb)
#define FW_PLANE_BYTES  sizeof(union fw_size_planes)

/* The receive queue, which is also the credit window (GET_INFO
 * max_in_flight). Two largest frames, so the host can send the next command
 * while the controller applies the previous one. */
#ifndef FW_RX_BYTES
#define FW_RX_BYTES 8192u
#endif

/* The largest bit depth panel.c handles (levels are kept in u16). */
#define FW_MAX_DEPTH 12

#endif
