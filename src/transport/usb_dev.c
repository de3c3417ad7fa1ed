/* usb_dev — the usb transport's talk with one controller by control
 * requests (serial, GET_INFO, GET_STATUS), libusb's errors in the
 * transport's terms, and the listing behind `ledticker devices`: what
 * needs a device handle but no transfer, split from usb.c, which keeps
 * the asynchronous transfers and the recoveries. */
#include "transport/usb.h"

#include <stdio.h>
#include <string.h>

#include <libusb.h>

#include "ledproto.h"
#include "transport/usb_internal.h"

int usb_dev_error(int rc)
{
    switch (rc) {
    case LIBUSB_ERROR_NO_DEVICE: case LIBUSB_ERROR_NOT_FOUND: return TRANSPORT_ERR_NO_DEVICE;
    case LIBUSB_ERROR_ACCESS: return TRANSPORT_ERR_ACCESS;
    case LIBUSB_ERROR_TIMEOUT: return TRANSPORT_ERR_TIMEOUT;
    case LIBUSB_ERROR_NO_MEM: return TRANSPORT_ERR_NO_MEM;
    case LIBUSB_ERROR_INVALID_PARAM: return TRANSPORT_ERR_INVALID;
    default: return TRANSPORT_ERR_IO;
    }
}

void usb_dev_tell_access_fix(const struct diag *d, uint16_t vid, uint16_t pid,
                            uint8_t bus, uint8_t addr)
{
    diag_error(d, "usb: permission denied opening controller %04x:%04x (bus %u, device %u). "
               "Fix: install the udev rule packaging/60-ledticker.rules as "
               "/etc/udev/rules.d/60-ledticker.rules ('sudo make install' does it), run "
               "'sudo udevadm control --reload && sudo udevadm trigger', and add the user "
               "running ledticker to the 'ledticker' group ('sudo usermod -aG ledticker USER', "
               "then log in again)", vid, pid, bus, addr);
}

/* ---- talking to one opened device --------------------------------------- */

int usb_dev_read_serial(libusb_device_handle *h, char *out, size_t cap)
{
    struct libusb_device_descriptor dd;
    out[0] = '\0';
    int rc = libusb_get_device_descriptor(libusb_get_device(h), &dd);
    if (rc < 0 || dd.iSerialNumber == 0)
        return rc < 0 ? rc : 0;
    unsigned char s[64];
    rc = libusb_get_string_descriptor_ascii(h, dd.iSerialNumber, s, sizeof s);
    if (rc < 0)
        return rc;
    snprintf(out, cap, "%.*s", rc, (const char *)s);
    return 0;
}

static int vendor_in(libusb_device_handle *h, uint8_t req, uint8_t *buf, uint16_t len)
{
    int rc = libusb_control_transfer(h, LEDPROTO_USB_REQTYPE_IN, req, 0, LEDPROTO_USB_IFACE,
                                     buf, len, USB_CTRL_TIMEOUT_MS);
    if (rc >= 0 && rc != len)
        return LIBUSB_ERROR_IO;     /* short answer: not our firmware */
    return rc < 0 ? rc : 0;
}

/* GET_INFO into info; TRANSPORT_ERR_PROTOCOL for an answer we cannot use. */
int usb_dev_read_info(libusb_device_handle *h, struct transport_info *info, const struct diag *d)
{
    uint8_t buf[LEDPROTO_INFO_SIZE];
    int rc = vendor_in(h, LEDPROTO_REQ_GET_INFO, buf, sizeof buf);
    if (rc < 0)
        return usb_dev_error(rc);
    struct ledproto_info in;
    ledproto_info_unpack(buf, &in);
    if ((in.proto_version >> 8) != (LEDPROTO_VERSION >> 8)) {
        diag_error(d, "usb: the controller speaks protocol %u.%u, this ledticker %u.%u",
                   in.proto_version >> 8, in.proto_version & 0xFFu,
                   LEDPROTO_VERSION >> 8, LEDPROTO_VERSION & 0xFFu);
        return TRANSPORT_ERR_PROTOCOL;
    }
    if (!ledproto_geometry_ok(in.width, in.height)) {
        diag_error(d, "usb: the controller reports a %ux%u panel; a panel is 1 to %u pixels "
                   "in each direction (docs/protocol.md), so it cannot be driven",
                   in.width, in.height, LEDPROTO_DIM_MAX);
        return TRANSPORT_ERR_PROTOCOL;
    }
    if (in.max_in_flight < LEDPROTO_FRAME_MAX) {
        diag_error(d, "usb: the controller's credit window of %u bytes is less than one "
                   "command (%u bytes)", (unsigned)in.max_in_flight, LEDPROTO_FRAME_MAX);
        return TRANSPORT_ERR_PROTOCOL;
    }
    info->proto_version = in.proto_version;
    info->width = in.width;
    info->height = in.height;
    info->pixel_formats = in.pixel_formats;
    info->bit_depth = in.bit_depth;
    info->applies_gamma = (in.flags & LEDPROTO_INFO_APPLIES_GAMMA) != 0;
    info->max_in_flight = in.max_in_flight;
    snprintf(info->firmware, sizeof info->firmware, "%.*s", (int)sizeof in.firmware, in.firmware);
    snprintf(info->board, sizeof info->board, "%.*s", (int)sizeof in.board, in.board);
    return 0;
}

int usb_dev_read_status(libusb_device_handle *h, struct ledproto_status *st)
{
    uint8_t buf[LEDPROTO_STATUS_SIZE];
    int rc = vendor_in(h, LEDPROTO_REQ_GET_STATUS, buf, sizeof buf);
    if (rc == 0)
        ledproto_status_unpack(buf, st);
    return rc;
}

bool usb_dev_ids_match(const struct libusb_device_descriptor *dd, const uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (dd->idVendor == ids[2 * i] && dd->idProduct == ids[2 * i + 1])
            return true;
    return false;
}

int usb_dev_init_context(libusb_context **ctx)
{
    int rc = libusb_init(ctx);
    if (rc < 0)
        return usb_dev_error(rc);
    libusb_set_option(*ctx, LIBUSB_OPTION_LOG_LEVEL, LIBUSB_LOG_LEVEL_NONE);
    return 0;
}

/* ---- listing ------------------------------------------------------------ */

int usb_list(struct usb_controller *out, size_t cap, size_t *count,
             const uint16_t *ids, size_t n_ids, const struct diag *d)
{
    *count = 0;
    libusb_context *ctx;
    int rc = usb_dev_init_context(&ctx);
    if (rc != 0)
        return rc;
    libusb_device **list;
    ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        libusb_exit(ctx);
        return usb_dev_error((int)n);
    }
    bool told = false;
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) < 0 || !usb_dev_ids_match(&dd, ids, n_ids))
            continue;
        struct usb_controller c = {
            .bus = libusb_get_bus_number(list[i]),
            .address = libusb_get_device_address(list[i]),
            .vid = dd.idVendor,
            .pid = dd.idProduct,
        };
        libusb_device_handle *h;
        rc = libusb_open(list[i], &h);
        if (rc < 0) {
            c.error = usb_dev_error(rc);
            if (rc == LIBUSB_ERROR_ACCESS && !told) {
                usb_dev_tell_access_fix(d, c.vid, c.pid, c.bus, c.address);
                told = true;
            }
        } else {
            rc = usb_dev_read_serial(h, c.info.serial, sizeof c.info.serial);
            if (rc == 0)
                rc = libusb_claim_interface(h, LEDPROTO_USB_IFACE);
            if (rc == 0) {
                char serial[sizeof c.info.serial];
                memcpy(serial, c.info.serial, sizeof serial);
                c.error = usb_dev_read_info(h, &c.info, d);
                memcpy(c.info.serial, serial, sizeof serial);
                libusb_release_interface(h, LEDPROTO_USB_IFACE);
            } else {
                c.error = usb_dev_error(rc);
            }
            libusb_close(h);
        }
        if (*count < cap)
            out[*count] = c;
        (*count)++;
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    return 0;
}
