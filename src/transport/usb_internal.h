/* usb_internal — what the usb transport's files share: usb.c (open, lose,
 * find again, resync; the back end), usb_link.c (bulk transfers under the
 * credit window) and usb_dev.c (control requests, listing). Included only
 * inside the usb transport. */
#ifndef LEDTICKER_USB_INTERNAL_H
#define LEDTICKER_USB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libusb.h>

#include "ledproto.h"
#include "transport/backend.h"
#include "transport/transport.h"
#include "transport/usbxfer.h"
#include "util/diag.h"

enum { USB_CTRL_TIMEOUT_MS = 500 };

/* ---- the transport's state (usb.c and usb_link.c) ----------------------- */

enum {
    USB_OUT_SLOTS = 4,          /* bulk OUT transfers in flight at most */
    USB_CHUNK_MAX = 4096,       /* bytes per bulk OUT transfer */
    USB_OUT_TIMEOUT_MS = 1000,  /* a full-speed link moves 4 KiB in ~5 ms */
    USB_IN_TIMEOUT_MS = 1000,   /* STATUS wait; a timeout here is only a tick */
    USB_STARVED_MS = 2000,      /* no credits back for this long: resync */
    USB_RESCAN_MS = 1000,       /* look for the device while it is away */
    USB_CLOSE_DRAIN_MS = 2000,  /* wait for cancelled transfers, then orphan them */
    USB_EXIT_DRAIN_MS = 5000,   /* at exit, wait this much longer for orphans */
    USB_ERROR_RUN = 3,          /* STATUS messages in a row with a link error */
    USB_RESYNC_BURST = 3,       /* resyncs within USB_RESYNC_WINDOW_MS: reopen instead */
    USB_RESYNC_WINDOW_MS = 10000,
    USB_EVENTS = 8,
};

#define USB_STATUS_MSG (LEDPROTO_HEADER_SIZE + LEDPROTO_STATUS_SIZE)

enum usb_state { USB_AWAY, USB_UP };

struct usb_slot {
    struct transport_usb *t;
    struct libusb_transfer *xfer;   /* with its own USB_CHUNK_MAX buffer */
    bool busy;
};

struct transport_usb {
    struct transport base;
    libusb_context *ctx;
    libusb_device_handle *h;
    libusb_hotplug_callback_handle hotplug;
    bool has_hotplug;
    uint16_t vid, pid;
    char want_serial[32];
    int cfg_width, cfg_height;

    enum usb_state state;
    struct transport_info info;
    bool arrived, gone;         /* set by callbacks, handled by service() */
    bool closing;               /* cancelling everything: the STATUS reader must not resubmit */
    const char *resync_why;     /* set by callbacks, handled by service() */
    bool out_stalled, in_stalled;
    bool access_told, problem_told;
    int warned_width, warned_height;
    uint64_t next_scan_ms;

    /* Credits (u32, wrapping): bytes handed to bulk OUT, and the newest
     * STATUS.consumed. sent - consumed is what the controller still owes. */
    uint32_t sent, consumed;
    uint64_t progress_ms;       /* when credits last came back or nothing was owed */
    uint32_t crc_seen;
    /* Link errors: STATUS messages reporting new CRC errors, or credits
     * beyond the window (which cannot be true). A run of them in a row
     * means resync. */
    int error_run;
    bool credits_told;          /* the bad credits were reported on this connection */
    uint64_t resync_ms[USB_RESYNC_BURST];   /* when the last resyncs happened */

    uint8_t *q;                 /* bytes accepted from the engine, not yet sent */
    size_t q_head, q_len, q_cap;

    struct usb_slot out[USB_OUT_SLOTS];
    struct libusb_transfer *in_xfer;    /* with its own USB_STATUS_MSG buffer */
    bool in_busy;
    struct usbxfer_orphans orphans;     /* cancelled, not back yet: libusb's still */

    enum transport_event events[USB_EVENTS];
    unsigned n_events;
};

/* ---- usb_link.c: transfers under the credit window ---------------------- */

/* The credit counters afresh from GET_STATUS: at open and after a resync. */
void usb_link_restart_credits(struct transport_usb *t, const struct ledproto_status *st);
/* (Re)submits the STATUS reader on bulk IN: 0 or a libusb error. */
int  usb_link_submit_in(struct transport_usb *t);
/* Cancels what is in flight (OUT only, or IN too) and waits a while for
 * it to come back. */
void usb_link_cancel_all(struct transport_usb *t, bool with_in);
/* Forgets the bytes queued and not yet handed to a transfer. */
void usb_link_queue_clear(struct transport_usb *t);
/* Queues the engine's bytes: 0 or TRANSPORT_ERR_NO_MEM. */
int  usb_link_queue_append(struct transport_usb *t, const void *bytes, size_t len);
/* Hands queued bytes to free OUT slots as far as the credit window allows. */
void usb_link_kick(struct transport_usb *t);

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
