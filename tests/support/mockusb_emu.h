/* mockusb_emu — the device behind mockusb when it is the real firmware
 * image on an emulated RP2040 (tests/rp2040/usbbridge.mjs, a node process)
 * instead of the in-process core. Every URB is forwarded over a pipe and
 * completed when the emulated controller has answered it (in emulated
 * time, paced to the wall clock).
 *
 * Messages, both ways: kind (1 byte), tag (u32 LE), length (u16 LE), data.
 *   to the bridge   'C' control: setup (8) + OUT data    'O' bulk OUT data
 *   from it         'R' ready: the serial number          'c' control done:
 *                   status (0 ok, 1 STALL, 2 gone) + IN data
 *                   'o' bulk OUT done                      'i' a bulk IN packet */
#ifndef MOCKUSB_EMU_H
#define MOCKUSB_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mockusb_emu;

/* Called on the reader thread for every 'c', 'o' and 'i' message. */
typedef void mockusb_emu_reply_fn(void *user, char kind, uint32_t tag, const uint8_t *data,
                                  size_t len);

/* Starts the bridge for `board` (node tests/rp2040/usbbridge.mjs) and waits
 * until its controller has enumerated; its serial number goes to serial.
 * NULL (with a message) on failure. */
struct mockusb_emu *mockusb_emu_start(const char *board, char *serial, size_t cap,
                                      mockusb_emu_reply_fn *reply, void *user);

/* Sends one message; false when the bridge has gone. */
bool mockusb_emu_send(struct mockusb_emu *e, char kind, uint32_t tag, const uint8_t *data,
                      size_t len);

/* Stops the bridge and waits for it. */
void mockusb_emu_stop(struct mockusb_emu *e);

#endif
