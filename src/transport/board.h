/* board — a controller + panel description from boards/NAME.ini, for the
 * host parts that have no device to ask (the record and term transports,
 * previews). A real device reports its geometry itself (GET_INFO).
 *
 *   [board]       name, interface (hub75 | hub12), width, height, chain,
 *                 scan, colour_order, bit_depth, brightness
 *   [usb]         vid, pid
 *   [controller]  ram_kib, mcu
 *
 * Read with the config's INI reader (util/ini.h); every problem is reported
 * through the struct diag with file and line. */
#ifndef LEDTICKER_BOARD_H
#define LEDTICKER_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

struct transport_info;

enum board_error {
    BOARD_OK = 0,
    BOARD_ERR_NOT_FOUND = -1,   /* no such board file (or no boards directory) */
    BOARD_ERR_INVALID = -2,     /* the file is there but a field is wrong */
    BOARD_ERR_NO_MEM = -3,
};

struct board_desc {
    char name[32];
    bool single_colour;         /* interface = hub12 (P10) */
    int width, height;
    int chain, scan;
    char colour_order[4];
    int bit_depth, brightness;
    uint16_t usb_vid, usb_pid;
    int ram_kib;
};

/* Reads DIR/NAME.ini. `name` is a plain name (no '/'). */
int board_load(struct board_desc *out, const char *boards_dir, const char *name,
               const struct diag *d);

/* Whether `name` is a board of `boards_dir` (DIR/NAME.ini can be read),
 * as board_load will need it. Returns 0, or -1 with the reason in `why`. */
int board_check(const char *boards_dir, const char *name, char *why, size_t len);

/* What a device of this board would answer to GET_INFO, as far as a file
 * can say: geometry, every pixel format the firmware accepts, bit depth,
 * gamma applied by the controller. max_in_flight is left 0 for the caller. */
void board_to_info(const struct board_desc *b, struct transport_info *info);

/* The panel a device-less output assumes, as transport_info (max_in_flight
 * 0): the board file cfg->board in cfg->boards_dir, or, with no board,
 * cfg->width x cfg->height. A TRANSPORT_ERR_* code, after a message. */
struct transport_config;
int board_geometry(const struct transport_config *cfg, struct transport_info *info,
                   const struct diag *d);

const char *board_strerror(int err);

#endif
