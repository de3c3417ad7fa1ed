/* port — the thin layer between the firmware core and one board's hardware.
 * A board implements these callbacks and calls the core's entry points:
 *
 *   USB OUT packet arrived    fw_usb_rx(fw, packet, len)   (may be an ISR)
 *   main loop, forever        fw_task(fw)
 *   control request GET_INFO  fw_get_info(fw, buf)
 *   control request GET_STATUS fw_get_status(fw, buf)
 *
 * The core calls back only from fw_init and fw_task, never from fw_usb_rx. */
#ifndef FW_PORT_H
#define FW_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct panel_out;

struct fw_port {
    void *user;
    /* Milliseconds since any fixed point; wraps at 2^32. */
    uint32_t (*now_ms)(void *user);
    /* Queues one bulk IN transfer (a STATUS frame, 64 bytes). Returns false
     * when the endpoint is busy; the core tries again on a later fw_task. */
    bool (*usb_send)(void *user, const uint8_t *data, size_t len);
    /* Shows `out` from the next refresh on. The data stays valid and
     * unchanged until the call after next (output is double-buffered). */
    void (*panel_show)(void *user, const struct panel_out *out);
    /* The controller's serial number (USB iSerialNumber), NUL-terminated,
     * valid as long as the port. NULL: the board has none. */
    const char *(*serial)(void *user);
    /* Restarts the controller in its ROM's USB boot mode, for a firmware
     * update (LEDPROTO_REQ_REBOOT_BOOTLOADER). On hardware it does not
     * return. NULL: the board cannot, and the request is refused. */
    void (*reboot_to_bootloader)(void *user);
};

#endif
