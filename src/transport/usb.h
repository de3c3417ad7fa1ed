/* usb — the controllers attached over USB, for `ledticker devices`.
 *
 * Streaming to a controller goes through transport.h ("usb" spec); this
 * header only lists what is plugged in. */
#ifndef LEDTICKER_USB_H
#define LEDTICKER_USB_H

#include <stddef.h>
#include <stdint.h>

#include "transport/transport.h"
#include "util/diag.h"

struct usb_controller {
    uint8_t bus, address;
    uint16_t vid, pid;
    int error;                  /* 0, or the TRANSPORT_ERR_* that kept us from asking it */
    struct transport_info info; /* serial always; the rest when error is 0 */
};

/* Fills up to `cap` entries with the controllers whose VID:PID is one of
 * the `n_ids` pairs in ids[] (ids[2i] = VID, ids[2i+1] = PID), opening each
 * to read its serial number and GET_INFO. Sets *count to how many were
 * found (may exceed cap). Returns 0 or a TRANSPORT_ERR_*; a device that
 * cannot be opened is listed with its error, and permission problems are
 * explained once through `d`. */
int usb_list(struct usb_controller *out, size_t cap, size_t *count,
             const uint16_t *ids, size_t n_ids, const struct diag *d);

/* Sends LEDPROTO_REQ_REBOOT_BOOTLOADER to the controller with serial
 * number `serial` (NULL: the only one attached) among the ids[] pairs, for
 * a firmware update; its serial goes to found (cap bytes). Returns 0, or
 * a TRANSPORT_ERR_* with the reason explained through `d` (none, several
 * without a serial, refused: TRANSPORT_ERR_PROTOCOL). */
int usb_reboot_bootloader(const char *serial, const uint16_t *ids, size_t n_ids, char *found,
                          size_t cap, const struct diag *d);

#endif
