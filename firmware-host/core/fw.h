/* fw — one controller: decoder, framebuffer, panel output, host-silence
 * watch and STATUS replies, all in one struct with fixed buffers (no
 * malloc anywhere). A board (firmware-host/mcu/, ledsim, the host's `sim`
 * transport) owns a `struct fw`, implements struct fw_port (port.h) and
 * calls the entry points below.
 *
 * Host silence: with no PRESENT for silence_ms (default 10 s) the
 * controller reports SILENT and keeps showing the last frame; after
 * notice_ms (default 60 s) it shows a built-in notice until the next
 * PRESENT. In STANDBY the panel stays dark whatever happens. */
#ifndef FW_FW_H
#define FW_FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "fb.h"
#include "ledproto.h"
#include "panel.h"
#include "port.h"
#include "proto.h"

/* The built-in notice, in the 3x5 font of font.h. */
#define FW_NOTICE_TEXT "NO SIGNAL"

struct fw {
    const struct fw_board *board;
    struct fw_port port;
    struct proto_decoder dec;
    struct fb fb;
    struct panel panel;

    /* Receive queue: fw_usb_rx writes (possibly from an interrupt), fw_task
     * reads. Free-running byte counters; rx_out is STATUS.consumed. */
    uint8_t rx[FW_RX_BYTES];
    volatile uint32_t rx_in, rx_out;
    volatile uint32_t overflows;

    uint32_t now;                   /* ms, read at the top of fw_task */
    uint32_t boot_ms, last_present_ms;
    uint32_t silence_ms, notice_ms;
    uint32_t presented_seq, presented_host_ms;
    bool presented, silent, notice, standby;
    bool dirty;                     /* the panel output must be redone */
    bool status_pending;
    uint32_t status_consumed;       /* rx_out when the last STATUS went out */
    uint32_t seen_rx_in, last_rx_ms;    /* when bytes last arrived */
    uint16_t status_seq;
};

/* Sets up fw for board b (built in, or any board_supported one). Returns 0,
 * or -1 when the board does not fit the compiled-in buffers. Shows a dark
 * panel through the port. */
int fw_init(struct fw *fw, const struct fw_board *b, const struct fw_port *port);

/* Queues bytes from a USB OUT packet. Returns how many fit; the rest are
 * refused and counted as overflows (the host broke the credit rule). Safe
 * to call from an interrupt while fw_task runs in the main loop. */
size_t fw_usb_rx(struct fw *fw, const uint8_t *data, size_t len);

/* Applies the queued bytes, watches host silence, redraws the panel output
 * when it changed and sends a pending STATUS. Call it from the main loop. */
void fw_task(struct fw *fw);

/* Host convenience (ledsim, the `sim` transport): queues and applies all
 * `len` bytes, running fw_task as often as the queue needs. */
void fw_feed(struct fw *fw, const uint8_t *data, size_t len);

/* Answers to the vendor control requests: 64 and 52 bytes. */
size_t fw_get_info(const struct fw *fw, uint8_t out[LEDPROTO_INFO_SIZE]);
size_t fw_get_status(const struct fw *fw, uint8_t out[LEDPROTO_STATUS_SIZE]);
void fw_status(const struct fw *fw, struct ledproto_status *s);

/* The port's serial number, or "" when the board has none. */
const char *fw_serial(const struct fw *fw);

/* Hands over to the ROM's USB boot mode through the port (a firmware
 * update). Returns false when the board cannot; on hardware it does not
 * return otherwise. */
bool fw_reboot_to_bootloader(struct fw *fw);

/* The front buffer: what the panel is driven from (the last PRESENT, or
 * the notice), RGB888, board width x height, 3 * width bytes per row. */
static inline const uint8_t *fw_front(const struct fw *fw)
{
    return fw->fb.front;
}

/* What an onlooker sees at (x, y), before gamma: black in standby; on a
 * single-colour panel the LED colour or black; else the front buffer. */
void fw_visible_rgb(const struct fw *fw, unsigned x, unsigned y, uint8_t rgb[3]);

#endif
