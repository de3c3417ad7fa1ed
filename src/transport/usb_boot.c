/* usb_boot — the reboot-to-bootloader request, for `ledticker firmware
 * update`: find one controller, send the vendor request, let it go. */
#include "transport/usb.h"

#include <libusb.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ledproto.h"

#define REBOOT_TIMEOUT_MS 2000

static bool id_wanted(const struct libusb_device_descriptor *dd, const uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (dd->idVendor == ids[2 * i] && dd->idProduct == ids[2 * i + 1])
            return true;
    return false;
}

/* Opens the one controller that matches; *h stays NULL when there is none. */
static int open_one(libusb_device **list, const char *serial, const uint16_t *ids, size_t n_ids,
                    libusb_device_handle **h, char *found, size_t cap, const struct diag *d)
{
    int matches = 0;
    for (size_t i = 0; list[i]; i++) {
        struct libusb_device_descriptor dd;
        libusb_device_handle *dh;
        if (libusb_get_device_descriptor(list[i], &dd) < 0 || !id_wanted(&dd, ids, n_ids))
            continue;
        int rc = libusb_open(list[i], &dh);
        if (rc == LIBUSB_ERROR_ACCESS) {
            diag_error(d, "usb: permission denied opening controller %04x:%04x (see packaging/60-ledticker.rules)",
                       dd.idVendor, dd.idProduct);
            return TRANSPORT_ERR_ACCESS;
        }
        if (rc < 0)
            continue;
        unsigned char s[64] = "";
        if (dd.iSerialNumber)
            libusb_get_string_descriptor_ascii(dh, dd.iSerialNumber, s, sizeof s);
        if (serial && strcmp(serial, (const char *)s) != 0) {
            libusb_close(dh);
            continue;
        }
        if (++matches > 1) {
            diag_error(d, "usb: several controllers are attached (%s, %s, ...); pick one with --device SERIAL",
                       found, (const char *)s);
            libusb_close(dh);
            libusb_close(*h);
            *h = NULL;
            return TRANSPORT_ERR_PROTOCOL;
        }
        snprintf(found, cap, "%s", (const char *)s);
        *h = dh;
    }
    return 0;
}

int usb_reboot_bootloader(const char *serial, const uint16_t *ids, size_t n_ids, char *found,
                          size_t cap, const struct diag *d)
{
    libusb_context *ctx;
    if (libusb_init(&ctx) < 0)
        return TRANSPORT_ERR_IO;
    libusb_set_option(ctx, LIBUSB_OPTION_LOG_LEVEL, LIBUSB_LOG_LEVEL_NONE);
    libusb_device **list;
    libusb_device_handle *h = NULL;
    found[0] = '\0';
    int rc = libusb_get_device_list(ctx, &list) < 0 ? TRANSPORT_ERR_IO : 0;
    if (rc == 0) {
        rc = open_one(list, serial, ids, n_ids, &h, found, cap, d);
        libusb_free_device_list(list, 1);
    }
    if (rc == 0 && !h) {
        diag_error(d, "usb: no controller %s%sattached", serial ? serial : "", serial ? " " : "");
        rc = TRANSPORT_ERR_NO_DEVICE;
    }
    if (rc == 0) {
        libusb_claim_interface(h, LEDPROTO_USB_IFACE);
        int r = libusb_control_transfer(h, LEDPROTO_USB_REQTYPE_OUT, LEDPROTO_REQ_REBOOT_BOOTLOADER,
                                        0, LEDPROTO_USB_IFACE, NULL, 0, REBOOT_TIMEOUT_MS);
        /* Gone already: it did what was asked. */
        if (r == LIBUSB_ERROR_PIPE) {
            diag_error(d, "usb: controller %s refused to reboot into its bootloader "
                          "(its firmware predates the request: hold BOOTSEL while plugging it in)", found);
            rc = TRANSPORT_ERR_PROTOCOL;
        } else if (r < 0 && r != LIBUSB_ERROR_NO_DEVICE && r != LIBUSB_ERROR_IO) {
            diag_error(d, "usb: controller %s: reboot request: %s", found, libusb_strerror(r));
            rc = TRANSPORT_ERR_IO;
        }
        libusb_release_interface(h, LEDPROTO_USB_IFACE);
        libusb_close(h);
    }
    libusb_exit(ctx);
    return rc;
}
