/* usb_link — the usb transport's bulk transfers: commands out on bulk OUT
 * (several transfers in flight, each with a timeout) under the protocol's
 * credit window, STATUS messages in on bulk IN returning credits, and the
 * host-side queue between the engine and the transfers. The callbacks only
 * note what happened (gone, resync, stalls); usb.c acts on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#include "ledproto.h"
#include "transport/usb_internal.h"
#include "util/monotime.h"

static void on_out_done(struct libusb_transfer *x)
{
    struct usb_slot *s = x->user_data;
    struct transport_usb *t = s->t;
    s->busy = false;
    switch (x->status) {
    case LIBUSB_TRANSFER_COMPLETED:
    case LIBUSB_TRANSFER_CANCELLED:
        break;
    case LIBUSB_TRANSFER_NO_DEVICE:
        t->gone = true;
        break;
    case LIBUSB_TRANSFER_STALL:
        t->out_stalled = true;
        t->resync_why = "the controller stalled bulk OUT";
        break;
    case LIBUSB_TRANSFER_TIMED_OUT:
        t->resync_why = "a bulk OUT transfer timed out";
        break;
    default:
        t->resync_why = "a bulk OUT transfer failed";
        break;
    }
}

/* One more link error; a run of USB_ERROR_RUN in a row asks for a resync. */
static void link_error(struct transport_usb *t, const char *why)
{
    if (++t->error_run >= USB_ERROR_RUN)
        t->resync_why = why;
}

/* STATUS.credits, the controller's free queue, within its window. More
 * cannot be true; taken as given it would make sent - consumed wrap and
 * the host write past the window. Clamped, and a link error. */
static uint32_t checked_credits(struct transport_usb *t, uint32_t credits)
{
    uint32_t window = t->info.max_in_flight;
    if (credits <= window)
        return credits;
    if (!t->credits_told)
        diag_warn(&t->base.diag, "usb: controller %s reports %u bytes of credit, more than its "
                  "%u-byte window; taking %u (a link error)", t->info.serial,
                  (unsigned)credits, (unsigned)window, (unsigned)window);
    t->credits_told = true;
    link_error(t, "the controller keeps reporting more credit than its window");
    return window;
}

/* The credit counters afresh from GET_STATUS: at open and after a resync. */
void usb_link_restart_credits(struct transport_usb *t, const struct ledproto_status *st)
{
    t->error_run = 0;
    uint32_t credits = checked_credits(t, st->credits);
    t->consumed = st->consumed;
    t->sent = st->consumed + (t->info.max_in_flight - credits);
    t->crc_seen = st->crc_errors;
    t->progress_ms = monotime_ms();
}

static void take_status(struct transport_usb *t, const uint8_t *msg, int len)
{
    struct ledproto_header hd;
    if (len < (int)USB_STATUS_MSG || !ledproto_header_unpack(msg, &hd) ||
        hd.opcode != LEDPROTO_OP_STATUS || hd.length != LEDPROTO_STATUS_SIZE ||
        hd.payload_crc != ledproto_crc16(msg + LEDPROTO_HEADER_SIZE, LEDPROTO_STATUS_SIZE))
        return;                     /* not a STATUS we can trust: wait for the next */
    struct ledproto_status st;
    ledproto_status_unpack(msg + LEDPROTO_HEADER_SIZE, &st);
    uint32_t owed = t->sent - t->consumed, back = st.consumed - t->consumed;
    if (back <= owed && back > 0) {
        t->consumed = st.consumed;
        t->progress_ms = monotime_ms();
    }
    bool fine = true;
    if (st.crc_errors != t->crc_seen) {
        t->crc_seen = st.crc_errors;
        link_error(t, "the controller keeps reporting CRC errors");
        fine = false;
    }
    if (checked_credits(t, st.credits) != st.credits)
        fine = false;
    if (fine)
        t->error_run = 0;
}

static void on_in_done(struct libusb_transfer *x)
{
    struct transport_usb *t = x->user_data;
    t->in_busy = false;
    switch (x->status) {
    case LIBUSB_TRANSFER_COMPLETED:
        take_status(t, x->buffer, x->actual_length);
        break;
    case LIBUSB_TRANSFER_TIMED_OUT:
        break;                      /* nothing to say; the starvation check judges */
    case LIBUSB_TRANSFER_CANCELLED:
        return;
    case LIBUSB_TRANSFER_NO_DEVICE:
        t->gone = true;
        return;
    case LIBUSB_TRANSFER_STALL:
        t->in_stalled = true;
        t->resync_why = "the controller stalled bulk IN";
        return;
    default:
        t->resync_why = "a bulk IN transfer failed";
        return;
    }
    if (t->state == USB_UP && !t->gone && !t->closing && libusb_submit_transfer(x) == 0)
        t->in_busy = true;
}

int usb_link_submit_in(struct transport_usb *t)
{
    if (t->in_busy)
        return 0;
    libusb_fill_bulk_transfer(t->in_xfer, t->h, LEDPROTO_USB_EP_IN, t->in_xfer->buffer,
                              (int)USB_STATUS_MSG, on_in_done, t, USB_IN_TIMEOUT_MS);
    int rc = libusb_submit_transfer(t->in_xfer);
    if (rc == 0)
        t->in_busy = true;
    return rc;
}

/* Cancels what is in flight (OUT only, or IN too) and waits a while for
 * the callbacks. What has not come back by then is still libusb's: it
 * stays busy (resync) or is orphaned (close_handle), never freed. */
void usb_link_cancel_all(struct transport_usb *t, bool with_in)
{
    for (int i = 0; i < USB_OUT_SLOTS; i++)
        if (t->out[i].busy)
            libusb_cancel_transfer(t->out[i].xfer);
    if (with_in && t->in_busy)
        libusb_cancel_transfer(t->in_xfer);
    uint64_t until = monotime_ms() + USB_CLOSE_DRAIN_MS;
    for (;;) {
        bool busy = with_in && t->in_busy;
        for (int i = 0; i < USB_OUT_SLOTS; i++)
            busy = busy || t->out[i].busy;
        if (!busy || monotime_ms() >= until)
            break;
        struct timeval tv = { 0, 20 * 1000 };
        libusb_handle_events_timeout_completed(t->ctx, &tv, NULL);
    }
}

void usb_link_queue_clear(struct transport_usb *t)
{
    t->q_head = t->q_len = 0;
}

int usb_link_queue_append(struct transport_usb *t, const void *bytes, size_t len)
{
    if (t->q_head > 0 && t->q_head + t->q_len + len > t->q_cap) {
        memmove(t->q, t->q + t->q_head, t->q_len);
        t->q_head = 0;
    }
    if (t->q_len + len > t->q_cap) {
        size_t cap = t->q_cap ? t->q_cap : 16384;
        while (cap < t->q_len + len)
            cap *= 2;
        uint8_t *q = realloc(t->q, cap);
        if (!q)
            return TRANSPORT_ERR_NO_MEM;
        t->q = q;
        t->q_cap = cap;
    }
    memcpy(t->q + t->q_head + t->q_len, bytes, len);
    t->q_len += len;
    return 0;
}

/* Hands queued bytes to free OUT slots as far as the credit window allows. */
void usb_link_kick(struct transport_usb *t)
{
    for (int i = 0; i < USB_OUT_SLOTS && t->q_len > 0; i++) {
        struct usb_slot *s = &t->out[i];
        if (s->busy)
            continue;
        if (t->state != USB_UP || t->gone || t->resync_why)
            return;
        uint32_t room = t->info.max_in_flight - (t->sent - t->consumed);
        size_t n = t->q_len < USB_CHUNK_MAX ? t->q_len : USB_CHUNK_MAX;
        if (n > room)
            n = room;
        if (n == 0 || (n < t->q_len && n < LEDPROTO_USB_PACKET))
            return;                 /* wait for credits rather than trickle */
        if (t->sent == t->consumed)
            t->progress_ms = monotime_ms();
        memcpy(s->xfer->buffer, t->q + t->q_head, n);
        libusb_fill_bulk_transfer(s->xfer, t->h, LEDPROTO_USB_EP_OUT, s->xfer->buffer, (int)n,
                                  on_out_done, s, USB_OUT_TIMEOUT_MS);
        int rc = libusb_submit_transfer(s->xfer);
        if (rc == LIBUSB_ERROR_NO_DEVICE) {
            t->gone = true;
            return;
        }
        if (rc < 0) {
            t->resync_why = "a bulk OUT transfer could not be submitted";
            return;
        }
        s->busy = true;
        t->sent += (uint32_t)n;
        t->q_head += n;
        t->q_len -= n;
    }
}

