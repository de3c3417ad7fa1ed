/* usb_internal — what usb.c (transfers, recoveries) and usb_dev.c (control
 * requests, listing) share. Included only inside the usb transport. */
#ifndef LEDTICKER_USB_INTERNAL_H
#define LEDTICKER_USB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libusb.h>

#include "ledproto.h"
#include "transport/transport.h"
#include "util/diag.h"

enum { USB_CTRL_TIMEOUT_MS = 500 };

/* A libusb error as a TRANSPORT_ERR_*. */
int  usb_dev_error(int rc);
/* Says how to fix a "permission denied" (the udev rule and the group). */
void usb_dev_tell_access_fix(const struct diag *d, uint16_t vid, uint16_t pid,
                             uint8_t bus, uint8_t addr);
/* The serial number string into out ("" when the device has none): 0 or
 * a libusb error. */
int  usb_dev_read_serial(libusb_device_handle *h, char *out, size_t cap);
/* GET_INFO into info: 0, or a TRANSPORT_ERR_* (PROTOCOL for an answer we
 * cannot use, reported through d). */
int  usb_dev_read_info(libusb_device_handle *h, struct transport_info *info, const struct diag *d);
/* GET_STATUS: 0 or a libusb error. */
int  usb_dev_read_status(libusb_device_handle *h, struct ledproto_status *st);
/* Whether the descriptor's VID:PID is one of the n pairs in ids. */
bool usb_dev_ids_match(const struct libusb_device_descriptor *dd, const uint16_t *ids, size_t n);
/* libusb_init with its logging off: 0 or a TRANSPORT_ERR_*. */
int  usb_dev_init_context(libusb_context **ctx);

#endif
