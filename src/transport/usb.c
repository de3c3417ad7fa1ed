/* usb — the "usb" transport: a controller over libusb-1.0.
 *
 * Commands go out on bulk OUT with asynchronous transfers, several in
 * flight, each with a timeout, under the protocol's credit window
 * (ledproto.h: the host may have max_in_flight bytes unconsumed). STATUS
 * messages come back on bulk IN and return credits. send() takes the
 * engine's bytes while they fit the window (anything when nothing is owed),
 * and a host-side queue feeds them to the transfers as credits return.
 *
 * In a public hall the cable gets pulled and the controller reboots, so
 * every fault ends in one of two recoveries, done here rather than in the
 * engine:
 *   - gone (NO_DEVICE from a call or a transfer, or hotplug LEFT): close,
 *     report DISCONNECTED, then sleep until hotplug says ARRIVED (or a slow
 *     rescan where hotplug is missing), reopen, read GET_INFO again, report
 *     CONNECTED;
 *   - confused (a STALL, a timeout, a run of CRC errors in STATUS, a
 *     controller that stops taking bytes): cancel, clear halts, re-read the
 *     credit counters, send filler and RESET, report RESYNC.
 * In both cases the engine answers with a full frame. */
#include "transport/usb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libusb.h>

#include "ledproto.h"
#include "transport/backend.h"
#include "transport/board.h"
#include "transport/usb_internal.h"
#include "transport/usbxfer.h"
#include "util/monotime.h"

static void push_event(struct transport_usb *t, enum transport_event e)
{
    if (t->n_events < USB_EVENTS)
        t->events[t->n_events++] = e;
}

static enum transport_event pop_event(struct transport_usb *t)
{
    if (t->n_events == 0)
        return TRANSPORT_EVENT_NONE;
    enum transport_event e = t->events[0];
    memmove(t->events, t->events + 1, --t->n_events * sizeof t->events[0]);
    return e;
}

/* ---- open, lose, find again --------------------------------------------- */

/* Gives the orphan list a transfer libusb still owns, and its owner a
 * fresh one. -1 (nothing changed) when out of memory. */
static int replace_transfer(struct transport_usb *t, struct libusb_transfer **x, size_t bytes)
{
    struct libusb_transfer *fresh = usbxfer_alloc(bytes);
    if (!fresh || usbxfer_orphan(&t->orphans, *x, t->h) != 0) {
        libusb_free_transfer(fresh);
        return -1;
    }
    *x = fresh;
    return 0;
}

/* Cancels everything; the handle is closed at once when all came back,
 * else when the orphans have (usbxfer.h). */
static void close_handle(struct transport_usb *t)
{
    if (!t->h)
        return;
    t->closing = true;
    usb_link_cancel_all(t, true);
    t->closing = false;
    for (int i = 0; i < USB_OUT_SLOTS; i++)
        if (t->out[i].busy && replace_transfer(t, &t->out[i].xfer, USB_CHUNK_MAX) == 0)
            t->out[i].busy = false;
    if (t->in_busy && replace_transfer(t, &t->in_xfer, USB_STATUS_MSG) == 0)
        t->in_busy = false;
    usbxfer_close(&t->orphans, t->h, LEDPROTO_USB_IFACE);
    t->h = NULL;
}

/* The device wins over the config; say so once per differing geometry. */
static void check_geometry(struct transport_usb *t)
{
    if (t->cfg_width <= 0 || t->cfg_height <= 0)
        return;
    if (t->info.width == t->cfg_width && t->info.height == t->cfg_height)
        return;
    if (t->warned_width == t->info.width && t->warned_height == t->info.height)
        return;
    t->warned_width = t->info.width;
    t->warned_height = t->info.height;
    diag_warn(&t->base.diag, "usb: controller %s (%s) is %ux%u, the config's board %dx%d; "
              "using the controller's geometry", t->info.serial, t->info.board,
              t->info.width, t->info.height, t->cfg_width, t->cfg_height);
}

/* Sets up an opened handle: interface, GET_INFO, credits, STATUS reader. */
static int start(struct transport_usb *t, libusb_device_handle *h, const char *serial)
{
    int rc = libusb_claim_interface(h, LEDPROTO_USB_IFACE);
    if (rc < 0)
        return usb_dev_error(rc);
    /* A controller we cannot use is explained once, not at every rescan. */
    struct transport_info info = { 0 };
    rc = usb_dev_read_info(h, &info, t->problem_told ? &diag_silent : &t->base.diag);
    if (rc == TRANSPORT_ERR_PROTOCOL)
        t->problem_told = true;
    struct ledproto_status st;
    int src = rc == 0 ? usb_dev_read_status(h, &st) : 0;
    if (rc != 0 || src < 0) {
        libusb_release_interface(h, LEDPROTO_USB_IFACE);
        return rc != 0 ? rc : usb_dev_error(src);
    }
    snprintf(info.serial, sizeof info.serial, "%s", serial);
    t->h = h;
    t->info = info;
    t->credits_told = false;
    usb_link_restart_credits(t, &st);
    t->gone = t->arrived = false;
    t->resync_why = NULL;
    t->out_stalled = t->in_stalled = false;
    t->state = USB_UP;
    usb_link_queue_clear(t);
    rc = usb_link_submit_in(t);
    if (rc < 0) {
        libusb_release_interface(h, LEDPROTO_USB_IFACE);
        t->h = NULL;                /* the caller closes h */
        t->state = USB_AWAY;
        return usb_dev_error(rc);
    }
    check_geometry(t);
    t->problem_told = false;
    return 0;
}

/* Finds and starts the wanted controller. TRANSPORT_ERR_NO_DEVICE when none
 * is there; the first other error otherwise. */
static int find_and_start(struct transport_usb *t)
{
    libusb_device **list;
    ssize_t n = libusb_get_device_list(t->ctx, &list);
    if (n < 0)
        return usb_dev_error((int)n);
    uint16_t ids[2] = { t->vid, t->pid };
    int result = TRANSPORT_ERR_NO_DEVICE;
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) < 0 || !usb_dev_ids_match(&dd, ids, 1))
            continue;
        libusb_device_handle *h;
        int rc = libusb_open(list[i], &h);
        if (rc < 0) {
            if (rc == LIBUSB_ERROR_ACCESS && !t->access_told) {
                usb_dev_tell_access_fix(&t->base.diag, t->vid, t->pid, libusb_get_bus_number(list[i]),
                                libusb_get_device_address(list[i]));
                t->access_told = true;
            }
            if (result == TRANSPORT_ERR_NO_DEVICE)
                result = usb_dev_error(rc);
            continue;
        }
        char serial[32];
        rc = usb_dev_read_serial(h, serial, sizeof serial);
        if (rc < 0 || (t->want_serial[0] && strcmp(serial, t->want_serial) != 0)) {
            libusb_close(h);
            continue;
        }
        rc = start(t, h, serial);
        if (rc == 0) {
            result = 0;
            break;
        }
        libusb_close(h);
        if (result == TRANSPORT_ERR_NO_DEVICE)
            result = rc;
    }
    libusb_free_device_list(list, 1);
    return result;
}

static void lose(struct transport_usb *t, const char *what)
{
    close_handle(t);
    t->state = USB_AWAY;
    t->gone = t->arrived = false;
    t->resync_why = NULL;
    usb_link_queue_clear(t);
    t->next_scan_ms = monotime_ms() + USB_RESCAN_MS;
    push_event(t, TRANSPORT_EVENT_DISCONNECTED);
    diag_warn(&t->base.diag, "usb: controller %s %s", t->info.serial, what);
}

#define LOST "disconnected; waiting for it to come back"


static void try_reopen(struct transport_usb *t)
{
    t->arrived = false;
    t->next_scan_ms = monotime_ms() + USB_RESCAN_MS;
    if (find_and_start(t) != 0)
        return;
    t->access_told = false;
    push_event(t, TRANSPORT_EVENT_CONNECTED);
    diag_warn(&t->base.diag, "usb: controller %s is back (%s, %ux%u)", t->info.serial,
              t->info.board, t->info.width, t->info.height);
}

/* RESET preceded by enough filler to finish any command the controller was
 * in the middle of: zeros never start a frame, so its decoder skips them
 * and then finds the RESET. */
static void resync(struct transport_usb *t)
{
    /* A controller that needs resync after resync is wedged beyond what
     * RESET mends: close it and open it afresh, as after a replug. */
    uint64_t now = monotime_ms();
    bool burst = t->resync_ms[0] && now - t->resync_ms[0] < USB_RESYNC_WINDOW_MS;
    memmove(t->resync_ms, t->resync_ms + 1, (USB_RESYNC_BURST - 1) * sizeof t->resync_ms[0]);
    t->resync_ms[USB_RESYNC_BURST - 1] = now;
    if (burst) {
        diag_warn(&t->base.diag, "usb: %s again, too often for RESET to mend", t->resync_why);
        memset(t->resync_ms, 0, sizeof t->resync_ms);
        lose(t, "closed; opening it again");
        t->next_scan_ms = monotime_ms();     /* no need to wait for a replug */
        return;
    }
    diag_warn(&t->base.diag, "usb: %s; resynchronising (RESET, then a full frame)",
              t->resync_why);
    usb_link_cancel_all(t, false);
    t->resync_why = NULL;           /* whatever the cancelled transfers said, too */
    if (t->gone) {
        lose(t, LOST);
        return;
    }
    if (t->out_stalled)
        libusb_clear_halt(t->h, LEDPROTO_USB_EP_OUT);
    if (t->in_stalled)
        libusb_clear_halt(t->h, LEDPROTO_USB_EP_IN);
    t->out_stalled = t->in_stalled = false;
    struct ledproto_status st;
    int rc = usb_dev_read_status(t->h, &st);
    if (rc < 0) {
        lose(t, LOST);                    /* reopening is the stronger reset */
        return;
    }
    usb_link_restart_credits(t, &st);
    usb_link_queue_clear(t);
    static const uint8_t zeros[256];
    for (size_t n = 0; n < LEDPROTO_FRAME_MAX; n += sizeof zeros)
        usb_link_queue_append(t, zeros, sizeof zeros);
    uint8_t reset[LEDPROTO_HEADER_SIZE];
    ledproto_frame_pack(reset, LEDPROTO_OP_RESET, 0, NULL, 0);
    usb_link_queue_append(t, reset, sizeof reset);
    if (usb_link_submit_in(t) == LIBUSB_ERROR_NO_DEVICE) {
        lose(t, LOST);
        return;
    }
    push_event(t, TRANSPORT_EVENT_RESYNC);
    usb_link_kick(t);
}

/* A controller that owes us credits and has said nothing for a while gets
 * asked directly; if it still has not moved, it is confused. */
static void check_starved(struct transport_usb *t)
{
    if (t->sent == t->consumed || monotime_ms() - t->progress_ms < USB_STARVED_MS)
        return;
    for (int i = 0; i < USB_OUT_SLOTS; i++)
        if (t->out[i].busy)
            return;                 /* the transfer's own timeout judges */
    struct ledproto_status st;
    int rc = usb_dev_read_status(t->h, &st);
    if (rc == LIBUSB_ERROR_NO_DEVICE) {
        t->gone = true;
        return;
    }
    uint32_t owed = t->sent - t->consumed, back = st.consumed - t->consumed;
    if (rc == 0 && back > 0 && back <= owed) {
        t->consumed = st.consumed;
        t->progress_ms = monotime_ms();
        return;
    }
    t->resync_why = "the controller stopped taking data";
}

/* Acts on what the callbacks noticed, then sends what the window allows. */
static void service(struct transport_usb *t)
{
    usbxfer_close_idle(&t->orphans, LEDPROTO_USB_IFACE);
    if (t->state != USB_UP)
        return;
    if (!t->gone && !t->resync_why)
        check_starved(t);
    if (t->gone)
        lose(t, LOST);
    else if (t->resync_why)
        resync(t);
    if (t->state == USB_UP && !t->in_busy && !t->gone && usb_link_submit_in(t) == LIBUSB_ERROR_NO_DEVICE)
        t->gone = true;
    if (t->gone)
        lose(t, LOST);
    else
        usb_link_kick(t);
}

static int on_hotplug(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev,
                      void *user)
{
    struct transport_usb *t = user;
    (void)ctx;
    if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
        t->arrived = true;
    else if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && t->h && libusb_get_device(t->h) == dev)
        t->gone = true;
    return 0;
}

/* ---- the back end ------------------------------------------------------- */

static int usb_info(struct transport *base, struct transport_info *info)
{
    struct transport_usb *t = (struct transport_usb *)base;
    if (t->state != USB_UP)
        return TRANSPORT_ERR_NO_DEVICE;
    *info = t->info;
    return 0;
}

/* The engine's bytes are taken only while they fit the credit window with
 * what is owed and queued, so a slow link makes the engine drop frames
 * instead of building a backlog here. With nothing owed or queued anything
 * is taken (it then goes out as credits allow), so every send can succeed. */
static bool window_takes(const struct transport_usb *t, size_t len)
{
    uint64_t busy = (uint64_t)(t->sent - t->consumed) + t->q_len;
    return busy == 0 || busy + len <= t->info.max_in_flight;
}

static int usb_send(struct transport *base, const void *bytes, size_t len)
{
    struct transport_usb *t = (struct transport_usb *)base;
    if (t->state != USB_UP)
        return TRANSPORT_ERR_NO_DEVICE;
    if (len == 0)
        return 0;
    if (!window_takes(t, len)) {
        struct timeval zero = { 0, 0 };
        libusb_handle_events_timeout_completed(t->ctx, &zero, NULL);
        service(t);
        if (t->state != USB_UP)
            return TRANSPORT_ERR_NO_DEVICE;
        if (!window_takes(t, len))
            return TRANSPORT_ERR_BUSY;
    }
    int rc = usb_link_queue_append(t, bytes, len);
    if (rc == 0)
        usb_link_kick(t);
    return rc;
}

static void sleep_ms(uint64_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int usb_poll(struct transport *base, int timeout_ms, enum transport_event *event)
{
    struct transport_usb *t = (struct transport_usb *)base;
    uint64_t deadline = monotime_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    *event = pop_event(t);
    while (*event == TRANSPORT_EVENT_NONE) {
        uint64_t now = monotime_ms();
        uint64_t left = deadline > now ? deadline - now : 0;
        if (t->state == USB_UP) {
            struct timeval tv = { (time_t)(left / 1000), (suseconds_t)(left % 1000) * 1000 };
            libusb_handle_events_timeout_completed(t->ctx, &tv, NULL);
            service(t);
        } else {
            /* Away: nothing is open, so this sleeps until hotplug news,
             * the next rescan or the caller's deadline. */
            uint64_t until_scan = t->next_scan_ms > now ? t->next_scan_ms - now : 0;
            uint64_t nap = left < until_scan ? left : until_scan;
            if (t->has_hotplug || usbxfer_pending(&t->orphans)) {
                struct timeval tv = { (time_t)(nap / 1000), (suseconds_t)(nap % 1000) * 1000 };
                libusb_handle_events_timeout_completed(t->ctx, &tv, NULL);
                usbxfer_close_idle(&t->orphans, LEDPROTO_USB_IFACE);
            } else {
                sleep_ms(nap);
            }
            if (t->arrived || monotime_ms() >= t->next_scan_ms)
                try_reopen(t);
        }
        *event = pop_event(t);
        if (monotime_ms() >= deadline)
            break;
    }
    return 0;
}

static void usb_close(struct transport *base)
{
    struct transport_usb *t = (struct transport_usb *)base;
    if (!t)
        return;
    close_handle(t);
    /* Orphans may still come back; give them a while longer. */
    uint64_t until = monotime_ms() + USB_EXIT_DRAIN_MS;
    while (usbxfer_pending(&t->orphans) && monotime_ms() < until) {
        struct timeval tv = { 0, 20 * 1000 };
        libusb_handle_events_timeout_completed(t->ctx, &tv, NULL);
    }
    usbxfer_close_idle(&t->orphans, LEDPROTO_USB_IFACE);
    usbxfer_abandon(&t->orphans, LEDPROTO_USB_IFACE);
    if (t->has_hotplug)
        libusb_hotplug_deregister_callback(t->ctx, t->hotplug);
    /* Not in flight: their callbacks came, or close_handle orphaned them. */
    for (int i = 0; i < USB_OUT_SLOTS; i++)
        libusb_free_transfer(t->out[i].xfer);
    libusb_free_transfer(t->in_xfer);
    if (t->ctx)
        libusb_exit(t->ctx);
    free(t->q);
    free(t);
}

static const struct transport_ops usb_ops = {
    .name = "usb",
    .info = usb_info,
    .send = usb_send,
    .show_frame = NULL,
    .poll = usb_poll,
    .close = usb_close,
};

/* Which device to look for, and what the config expects of it: the board
 * file's [usb] ids and geometry when the config names a board (explicit
 * vid/pid win), else the test VID:PID and the width and height given. */
static int from_config(struct transport_usb *t, const struct transport_config *cfg,
                       const struct diag *d)
{
    t->vid = LEDPROTO_USB_VID_TEST;
    t->pid = LEDPROTO_USB_PID_TEST;
    if (!cfg)
        return 0;
    t->cfg_width = cfg->width;
    t->cfg_height = cfg->height;
    if (cfg->board) {
        struct board_desc b;
        int rc = board_load(&b, cfg->boards_dir, cfg->board, d);
        if (rc != BOARD_OK)
            return rc == BOARD_ERR_NO_MEM ? TRANSPORT_ERR_NO_MEM : TRANSPORT_ERR_INVALID;
        t->cfg_width = b.width;
        t->cfg_height = b.height;
        if (b.usb_vid || b.usb_pid) {
            t->vid = b.usb_vid;
            t->pid = b.usb_pid;
        }
    }
    if (cfg->vid || cfg->pid) {
        t->vid = cfg->vid;
        t->pid = cfg->pid;
    }
    if (cfg->serial)
        snprintf(t->want_serial, sizeof t->want_serial, "%s", cfg->serial);
    return 0;
}

int usb_open(struct transport **out, const char *arg, const struct transport_config *cfg,
             const struct diag *d)
{
    (void)arg;
    *out = NULL;
    struct transport_usb *t = calloc(1, sizeof *t);
    if (!t)
        return TRANSPORT_ERR_NO_MEM;
    t->base.ops = &usb_ops;
    if (d)
        t->base.diag = *d;
    int rc = from_config(t, cfg, d);
    if (rc == 0)
        rc = usb_dev_init_context(&t->ctx);
    for (int i = 0; rc == 0 && i < USB_OUT_SLOTS; i++) {
        t->out[i].t = t;
        if (!(t->out[i].xfer = usbxfer_alloc(USB_CHUNK_MAX)))
            rc = TRANSPORT_ERR_NO_MEM;
    }
    if (rc == 0 && !(t->in_xfer = usbxfer_alloc(USB_STATUS_MSG)))
        rc = TRANSPORT_ERR_NO_MEM;
    if (rc == 0 && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
        t->has_hotplug = libusb_hotplug_register_callback(
                             t->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
                             0, t->vid, t->pid, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, t,
                             &t->hotplug) == LIBUSB_SUCCESS;
    if (rc == 0)
        rc = find_and_start(t);
    if (rc != 0) {
        /* Not an error yet: `auto` falls back to sim, and `run` waits
         * (asking again twice a second, so this is debug detail). */
        if (rc == TRANSPORT_ERR_NO_DEVICE)
            diag_debug(d, "usb: no controller %04x:%04x%s%s is attached", t->vid, t->pid,
                       t->want_serial[0] ? " with serial " : "", t->want_serial);
        usb_close(&t->base);
        return rc;
    }
    diag_info(d, "usb: controller %s (%s, %ux%u, firmware %s)", t->info.serial, t->info.board,
              t->info.width, t->info.height, t->info.firmware);
    *out = &t->base;
    return 0;
}
