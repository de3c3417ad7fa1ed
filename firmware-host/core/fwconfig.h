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

/* The receive ring indexes with free-running u32 counters modulo its size,
 * which stays continuous across the counters' wrap only for a power of two. */
#define FW_IS_POWER_OF_TWO(n) ((n) > 0 && ((n) & ((n) - 1)) == 0)

/* Orders memory accesses between the USB receive interrupt and the main
 * loop: every store before it is done before any store after it, as the
 * other side sees them. The default stops the compiler from reordering
 * (enough for a single-core Cortex-M0+/M3/M4, which does not reorder its
 * own stores as seen by its interrupts); a port whose core or bus can
 * reorder defines it first, e.g. with a DMB:
 *   #define FW_BARRIER() __asm__ __volatile__("dmb" ::: "memory")
 * GNU C asm, which both gcc and clang accept in C99 mode. */
#ifndef FW_BARRIER
#define FW_BARRIER() __asm__ __volatile__("" ::: "memory")
#endif

/* The largest bit depth panel.c handles (levels are kept in u16). */
#define FW_MAX_DEPTH 12

#endif
