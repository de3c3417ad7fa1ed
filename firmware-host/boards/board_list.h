/* board_list — every controller + panel combination the firmware knows, as
 * X-macros, so one list gives both the run-time table (board.c) and the
 * compile-time buffer sizes (fwconfig.h). boards/NAME.ini describes the same
 * boards for the host; tests/unit/test_board.c checks that the two agree.
 *
 * X(ID, name, kind, width, height, chain, scan, order, bit_depth,
 *   brightness, usb_vid, usb_pid, ram_kib)
 *
 *   kind        FW_PANEL_HUB75 (RGB, binary-coded modulation) or
 *               FW_PANEL_HUB12 (single-colour P10, 1/4 scan)
 *   width       the whole display, all chained panels side by side
 *   scan        row addresses: 1/scan of the rows are lit at a time
 *   order       which colour each data pin carries, pins R G B in order
 *   brightness  power-up default, 0..255
 *   usb ids     1209:0001 is the pid.codes *test* PID: development only
 *   ram_kib     the controller's RAM (RP2040: 264 KiB)
 *
 * A microcontroller image is built for one board: compile with
 * -DFW_BOARD_ONLY=FW_BOARD_HUB75_128X32 and the buffers shrink to it. */
#ifndef FW_BOARD_LIST_H
#define FW_BOARD_LIST_H

#define FW_BOARD_HUB75_64X32(X)  X(HUB75_64X32,  "hub75-64x32",  FW_PANEL_HUB75,  64, 32, 1, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_HUB75_128X32(X) X(HUB75_128X32, "hub75-128x32", FW_PANEL_HUB75, 128, 32, 2, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_HUB75_256X32(X) X(HUB75_256X32, "hub75-256x32", FW_PANEL_HUB75, 256, 32, 4, 16, "RGB", 8, 192, 0x1209, 0x0001, 264)
#define FW_BOARD_P10_128X16(X)   X(P10_128X16,   "p10-128x16",   FW_PANEL_HUB12, 128, 16, 4,  4, "R",   1, 255, 0x1209, 0x0001, 264)

#define FW_BOARDS_ALL(X) \
    FW_BOARD_HUB75_64X32(X) FW_BOARD_HUB75_128X32(X) FW_BOARD_HUB75_256X32(X) FW_BOARD_P10_128X16(X)

#endif
