/* board_list — generated from boards/NAME.ini by firmware-host/tools/boardgen.awk
 * (make regenerates it; do not edit). Every controller + panel combination
 * the firmware knows, as X-macros, so one list gives both the run-time table
 * (board.c) and the compile-time buffer sizes (fwconfig.h).
 *
 * X(ID, name, kind, width, height, chain, scan, order, bit_depth,
 *   brightness, usb_vid, usb_pid, ram_kib)
 *
 * 1209:0001 is the pid.codes *test* PID: development only. A microcontroller
 * image is built for one board: -DFW_BOARD_ONLY=FW_BOARD_<ID>. */
#ifndef FW_BOARD_LIST_H
#define FW_BOARD_LIST_H

#define FW_BOARD_HUB75_128X32(X) X(HUB75_128X32, "hub75-128x32", FW_PANEL_HUB75, 128, 32, 2, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_HUB75_256X32(X) X(HUB75_256X32, "hub75-256x32", FW_PANEL_HUB75, 256, 32, 4, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_HUB75_64X32(X) X(HUB75_64X32, "hub75-64x32", FW_PANEL_HUB75, 64, 32, 1, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_INTERSTATE75_128X32(X) X(INTERSTATE75_128X32, "interstate75-128x32", FW_PANEL_HUB75, 128, 32, 2, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_INTERSTATE75_64X32_FM6126A(X) X(INTERSTATE75_64X32_FM6126A, "interstate75-64x32-fm6126a", FW_PANEL_HUB75, 64, 32, 1, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_INTERSTATE75_64X32(X) X(INTERSTATE75_64X32, "interstate75-64x32", FW_PANEL_HUB75, 64, 32, 1, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_P10_128X16(X) X(P10_128X16, "p10-128x16", FW_PANEL_HUB12, 128, 16, 4, 4, "R", 1, 255, 0x1209, 0x0001, 264)
#define FW_BOARD_PICO_P10_128X16(X) X(PICO_P10_128X16, "pico-p10-128x16", FW_PANEL_HUB12, 128, 16, 4, 4, "R", 1, 255, 0x1209, 0x0001, 264)

#define FW_BOARDS_ALL(X) FW_BOARD_HUB75_128X32(X) FW_BOARD_HUB75_256X32(X) FW_BOARD_HUB75_64X32(X) FW_BOARD_INTERSTATE75_128X32(X) FW_BOARD_INTERSTATE75_64X32_FM6126A(X) FW_BOARD_INTERSTATE75_64X32(X) FW_BOARD_P10_128X16(X) FW_BOARD_PICO_P10_128X16(X)

#endif
