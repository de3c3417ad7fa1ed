/* mockusb — see mockusb.h. The usbdevfs side follows what the kernel does
 * for a full-speed device: URBs are submitted, completed once, reaped once;
 * a discarded URB is reaped with -ENOENT; an unplug completes everything in
 * flight with -ESHUTDOWN and fails what comes after with ENODEV. */
#include "mockusb.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <umockdev.h>

#include "fw.h"
#include "ledproto.h"
#include "mockusb_emu.h"

#define DEVPATH "/devices/pci0000:00/0000:00:14.0/usb1/1-1"
#define SYSPATH "/sys" DEVPATH
#define DEVNODE "/dev/bus/usb/001/002"
#define STATUS_MSG (LEDPROTO_HEADER_SIZE + LEDPROTO_STATUS_SIZE)
#define STATUS_QUEUE 4

/* One submitted URB, from SUBMITURB until its REAP. */
struct rec {
    struct rec *next;
    UMockdevIoctlClient *client;
    UMockdevIoctlData *urb;     /* the resolved struct usbdevfs_urb; owns `buf` */
    uint8_t *buf;               /* local copy of the URB's buffer */
    int buflen;
    bool done;
    unsigned slow_cancel_ms;    /* MOCKUSB_FAULT_SLOW_CANCEL: a discard takes this long */
    gint64 discard_at;          /* when a slow discard takes effect (us), 0 for none */
    bool forwarded;             /* sent to the emulated controller, answer pending */
    uint32_t tag;               /* names it to the emulated controller */
};

struct mockusb {
    pthread_mutex_t mu;
    UMockdevTestbed *tb;
    UMockdevIoctlBase *handler;
    char serial[32];
    uint16_t vid, pid;
    uint16_t info_width, info_height;   /* GET_INFO's lie, 0 for none */
    bool plugged, out_halted;
    bool reboot_requested;
    enum mockusb_fault fault;
    unsigned fault_count;

    struct fw *fw;
    const struct fw_board *board;
    uint8_t status_q[STATUS_QUEUE][STATUS_MSG];
    unsigned status_n;

    struct rec *recs;           /* in submission order */
    unsigned long out_pending;  /* bulk OUT URBs submitted and not yet reaped */
    GPtrArray *clients;         /* every UMockdevIoctlClient that opened the node */
    uint32_t last_tick;         /* ms of the last main-loop turn */
    struct mockusb_stats st;
    FILE *log;

    /* The real image on an emulated RP2040 instead of the in-process core
     * (mockusb_config.emulate): URBs go to it, STATUS comes from it. */
    struct mockusb_emu *emu;
    struct ledproto_status emu_status;
    uint32_t next_tag;
};

/* ---- the firmware core's port ------------------------------------------ */

static uint32_t port_now(void *user)
{
    (void)user;
    return (uint32_t)(g_get_monotonic_time() / 1000);
}

static struct rec *first_in_urb(struct mockusb *m)
{
    for (struct rec *r = m->recs; r; r = r->next) {
        struct usbdevfs_urb *u = (void *)r->urb->data;
        if (!r->done && u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == LEDPROTO_USB_EP_IN)
            return r;
    }
    return NULL;
}

static void finish(struct rec *r, int status, int actual)
{
    struct usbdevfs_urb *u = (void *)r->urb->data;
    u->status = status;
    u->actual_length = actual;
    r->done = true;
}

static void fill_in_urb(struct rec *r, const uint8_t *msg, size_t len)
{
    size_t n = len < (size_t)r->buflen ? len : (size_t)r->buflen;
    memcpy(r->buf, msg, n);
    finish(r, 0, (int)n);
}

/* MOCKUSB_FAULT_CREDITS: a STATUS payload claims more free bytes than the
 * controller's window holds. */
static void falsify_credits(struct mockusb *m, uint8_t *status)
{
    if (m->fault != MOCKUSB_FAULT_CREDITS || m->fault_count == 0)
        return;
    ledproto_put_u32(status + 16, ledproto_get_u32(status + 16) + 65536u);
    if (--m->fault_count == 0)
        m->fault = MOCKUSB_FAULT_NONE;
}

/* Called by fw_task with the mutex held: a STATUS for bulk IN. */
static bool port_usb_send(void *user, const uint8_t *data, size_t len)
{
    struct mockusb *m = user;
    uint8_t msg[STATUS_MSG];
    if (m->fault == MOCKUSB_FAULT_CREDITS && len == STATUS_MSG) {
        memcpy(msg, data, len);
        falsify_credits(m, msg + LEDPROTO_HEADER_SIZE);
        ledproto_header_pack(msg, LEDPROTO_OP_STATUS, ledproto_get_u16(msg + 4),
                             msg + LEDPROTO_HEADER_SIZE, LEDPROTO_STATUS_SIZE);
        data = msg;
    }
    struct rec *r = first_in_urb(m);
    if (r && m->status_n == 0) {
        fill_in_urb(r, data, len);
        return true;
    }
    if (m->status_n == STATUS_QUEUE || len > STATUS_MSG)
        return false;               /* the endpoint buffer is full: NAK */
    memcpy(m->status_q[m->status_n++], data, len);
    return true;
}

static void serve_in_urbs(struct mockusb *m)
{
    struct rec *r;
    while (m->status_n > 0 && (r = first_in_urb(m))) {
        fill_in_urb(r, m->status_q[0], STATUS_MSG);
        memmove(m->status_q[0], m->status_q[1], (size_t)--m->status_n * STATUS_MSG);
    }
}

/* A STATUS from the emulated controller: its counters, and a log line
 * per newly presented frame (no front buffer to hash: 0). */
static void note_emu_status(struct mockusb *m, const uint8_t *msg, size_t len)
{
    if (len < STATUS_MSG || msg[0] != LEDPROTO_MAGIC0 || msg[2] != LEDPROTO_OP_STATUS)
        return;
    struct ledproto_status st;
    ledproto_status_unpack(msg + LEDPROTO_HEADER_SIZE, &st);
    m->emu_status = st;
    if (!(st.state & LEDPROTO_STATE_PRESENTED) || (st.presented_seq == m->st.presented_seq &&
                                                   st.presented_host_ms == m->st.presented_host_ms &&
                                                   m->st.presents))
        return;
    m->st.presents++;
    m->st.presented_seq = st.presented_seq;
    m->st.presented_host_ms = st.presented_host_ms;
    if (m->log) {
        fprintf(m->log, "present %u %u 0 %llu\n", (unsigned)st.presented_seq,
                (unsigned)st.presented_host_ms, (unsigned long long)(g_get_monotonic_time() / 1000));
        fflush(m->log);
    }
}

static void note_present(struct mockusb *m)
{
    struct fw *fw = m->fw;
    if (!fw->presented || (fw->presented_seq == m->st.presented_seq &&
                           fw->presented_host_ms == m->st.presented_host_ms &&
                           m->st.presented_hash != 0))
        return;
    m->st.presents++;
    m->st.presented_seq = fw->presented_seq;
    m->st.presented_host_ms = fw->presented_host_ms;
    m->st.presented_hash = mockusb_hash(fw_front(fw), (size_t)m->board->width * m->board->height * 3);
    if (m->log) {
        fprintf(m->log, "present %u %u %016llx %llu\n", (unsigned)fw->presented_seq,
                (unsigned)fw->presented_host_ms, (unsigned long long)m->st.presented_hash,
                (unsigned long long)(g_get_monotonic_time() / 1000));
        fflush(m->log);
    }
}

static void run_core(struct mockusb *m)
{
    if (!m->emu) {
        fw_task(m->fw);
        note_present(m);
    }
    serve_in_urbs(m);
}

/* Bulk OUT data as the controller's USB peripheral receives it: 64-byte
 * packets, each queued and then worked off by the main loop. */
static void feed_out(struct mockusb *m, uint8_t *data, int len)
{
    for (int off = 0; off < len; off += LEDPROTO_USB_PACKET) {
        int n = len - off < (int)LEDPROTO_USB_PACKET ? len - off : (int)LEDPROTO_USB_PACKET;
        uint8_t pkt[LEDPROTO_USB_PACKET];
        memcpy(pkt, data + off, (size_t)n);
        if (m->fault == MOCKUSB_FAULT_CORRUPT && m->fault_count > 0) {
            pkt[n / 2] ^= 0x10;
            if (--m->fault_count == 0)
                m->fault = MOCKUSB_FAULT_NONE;
        }
        fw_usb_rx(m->fw, pkt, (size_t)n);
        run_core(m);
        m->st.out_bytes += (unsigned long)n;
    }
}

/* ---- descriptors -------------------------------------------------------- */

static size_t device_descriptor(const struct mockusb *m, uint8_t *d)
{
    return ledproto_usb_device_desc(d, m->vid, m->pid);
}

static size_t config_descriptor(uint8_t *d)
{
    return ledproto_usb_config_desc(d);
}

static size_t string_descriptor(const struct mockusb *m, unsigned index, uint8_t *d, size_t cap)
{
    const char *s = index == 1 ? "ledticker test" : index == 2 ? "LED matrix controller (emulated)"
                  : index == 3 ? m->serial : NULL;
    if (index == 0) {
        const uint8_t langs[4] = { 4, 3, 0x09, 0x04 };
        memcpy(d, langs, cap < 4 ? cap : 4);
        return cap < 4 ? cap : 4;
    }
    if (!s)
        return 0;
    size_t n = 2 + 2 * strlen(s);
    uint8_t tmp[2 + 2 * 64];
    tmp[0] = (uint8_t)n;
    tmp[1] = 3;
    for (size_t i = 0; s[i] && i < 64; i++) {
        tmp[2 + 2 * i] = (uint8_t)s[i];
        tmp[3 + 2 * i] = 0;
    }
    n = n < cap ? n : cap;
    memcpy(d, tmp, n);
    return n;
}

/* What the testbed needs for a /dev/bus/usb node libusb enumerates: sysfs
 * attributes, the binary descriptors (upper-case hex) and udev properties. */
static char *device_text(const struct mockusb *m)
{
    uint8_t d[64];
    size_t n = device_descriptor(m, d);
    n += config_descriptor(d + n);
    char hex[2 * sizeof d + 1];
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02X", d[i]);
    return g_strdup_printf("P: %s\n"
                           "N: bus/usb/001/002\n"
                           "E: SUBSYSTEM=usb\n"
                           "E: DEVNAME=" DEVNODE "\n"
                           "E: DEVTYPE=usb_device\n"
                           "E: DRIVER=usb\n"
                           "E: BUSNUM=001\n"
                           "E: DEVNUM=002\n"
                           "E: PRODUCT=%x/%x/100\n"
                           "A: busnum=1\\n\n"
                           "A: devnum=2\\n\n"
                           "A: speed=12\\n\n"
                           "A: idVendor=%04X\\n\n"
                           "A: idProduct=%04X\\n\n"
                           "A: bConfigurationValue=1\\n\n"
                           "A: serial=%s\\n\n"
                           "H: descriptors=%s\n",
                           DEVPATH, m->vid, m->pid, m->vid, m->pid, m->serial, hex);
}

/* ---- usbdevfs ----------------------------------------------------------- */

static void control(struct mockusb *m, struct rec *r)
{
    uint8_t *s = r->buf, *data = r->buf + 8;
    if (r->buflen < 8) {
        finish(r, -EINVAL, 0);
        return;
    }
    unsigned type = s[0], req = s[1], value = ledproto_get_u16(s + 2);
    size_t want = ledproto_get_u16(s + 6), cap = (size_t)r->buflen - 8, n = 0;
    if (m->emu) {
        size_t out = (type & 0x80) ? 0 : (want < cap ? want : cap);
        r->forwarded = mockusb_emu_send(m->emu, 'C', r->tag, r->buf, 8 + out);
        if (!r->forwarded)
            finish(r, -ESHUTDOWN, 0);
        return;
    }
    if (want > cap)
        want = cap;
    uint8_t tmp[LEDPROTO_INFO_SIZE > 64 ? LEDPROTO_INFO_SIZE : 64];
    if (type == LEDPROTO_USB_REQTYPE_IN && req == LEDPROTO_REQ_GET_INFO) {
        n = fw_get_info(m->fw, tmp);
        if (m->info_width)
            ledproto_put_u16(tmp + 2, m->info_width);
        if (m->info_height)
            ledproto_put_u16(tmp + 4, m->info_height);
    } else if (type == LEDPROTO_USB_REQTYPE_IN && req == LEDPROTO_REQ_GET_STATUS) {
        run_core(m);
        n = fw_get_status(m->fw, tmp);
        falsify_credits(m, tmp);
    } else if (type == 0x80 && req == 6 && (value >> 8) == 1) {
        n = device_descriptor(m, tmp);
    } else if (type == 0x80 && req == 6 && (value >> 8) == 2) {
        n = config_descriptor(tmp);
    } else if (type == 0x80 && req == 6 && (value >> 8) == 3) {
        n = string_descriptor(m, value & 0xFF, tmp, sizeof tmp);
    } else if (type == LEDPROTO_USB_REQTYPE_OUT && req == LEDPROTO_REQ_REBOOT_BOOTLOADER) {
        m->reboot_requested = true;
        finish(r, 0, 0);
        return;
    } else if ((type & 0x80) == 0) {
        finish(r, 0, 0);            /* SET_CONFIGURATION and the like */
        return;
    } else {
        finish(r, -EPIPE, 0);       /* request error: the device stalls EP0 */
        return;
    }
    n = n < want ? n : want;
    memcpy(data, tmp, n);
    finish(r, 0, (int)n);
}

static bool is_bulk_out(const struct rec *r)
{
    const struct usbdevfs_urb *u = (const void *)r->urb->data;
    return u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == LEDPROTO_USB_EP_OUT;
}

/* An endpoint is a queue: while an earlier OUT URB of the same client is
 * still in flight (the device is not taking data), later ones wait. */
static bool out_blocked(const struct mockusb *m, const struct rec *r)
{
    for (const struct rec *e = m->recs; e && e != r; e = e->next)
        if (e->client == r->client && !e->done && is_bulk_out(e))
            return true;
    return false;
}

static void bulk_out(struct mockusb *m, struct rec *r)
{
    if (out_blocked(m, r))
        return;
    if (m->fault == MOCKUSB_FAULT_STALL && !m->out_halted) {
        m->out_halted = true;
        if (m->fault_count <= 1)
            m->fault = MOCKUSB_FAULT_NONE;
        else
            m->fault_count--;
    }
    if (m->out_halted) {
        finish(r, -EPIPE, 0);
        return;
    }
    if (m->fault == MOCKUSB_FAULT_HANG) {
        m->fault = MOCKUSB_FAULT_NONE;
        return;                     /* stays in flight until discarded */
    }
    if (m->fault == MOCKUSB_FAULT_SLOW_CANCEL) {
        r->slow_cancel_ms = m->fault_count;
        m->fault = MOCKUSB_FAULT_NONE;
        return;                     /* in flight until a discard, and then some */
    }
    if (m->emu) {                   /* done when the emulated controller took it all */
        if (!r->forwarded && !mockusb_emu_send(m->emu, 'O', r->tag, r->buf, (size_t)r->buflen))
            finish(r, -ESHUTDOWN, 0);
        r->forwarded = true;
        return;
    }
    feed_out(m, r->buf, r->buflen);
    finish(r, 0, r->buflen);
}

/* After a discard, the OUT URBs queued behind it move on, in order. */
static void resume_out(struct mockusb *m, UMockdevIoctlClient *c)
{
    for (struct rec *r = m->recs; r; r = r->next) {
        if (r->client != c || r->done || !is_bulk_out(r))
            continue;
        if (r->slow_cancel_ms)
            return;                 /* held until its own discard takes effect */
        bulk_out(m, r);
        if (!r->done)
            return;                 /* hung again: the rest keep waiting */
    }
}

static int submit(struct mockusb *m, UMockdevIoctlClient *c, UMockdevIoctlData *arg)
{
    UMockdevIoctlData *u = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
    if (!u)
        return EFAULT;
    struct usbdevfs_urb *urb = (void *)u->data;
    UMockdevIoctlData *b = NULL;
    if (urb->buffer_length > 0)
        b = umockdev_ioctl_data_resolve(u, offsetof(struct usbdevfs_urb, buffer),
                                        (gsize)urb->buffer_length, NULL);
    if (!b) {
        g_object_unref(u);
        return EFAULT;
    }
    struct rec *r = g_new0(struct rec, 1);
    r->tag = ++m->next_tag;
    r->client = g_object_ref(c);
    r->urb = u;                     /* keeps b alive as its child */
    r->buf = b->data;
    r->buflen = urb->buffer_length;
    g_object_unref(b);
    struct rec **tail = &m->recs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    m->st.submits++;
    if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == LEDPROTO_USB_EP_OUT &&
        ++m->out_pending > m->st.max_out_in_flight)
        m->st.max_out_in_flight = m->out_pending;

    if (urb->type == USBDEVFS_URB_TYPE_CONTROL)
        control(m, r);
    else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == LEDPROTO_USB_EP_OUT)
        bulk_out(m, r);
    else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == LEDPROTO_USB_EP_IN)
        run_core(m);                /* a STATUS may be waiting for it */
    else
        finish(r, -EINVAL, 0);
    return 0;
}

static void rec_free(struct rec *r)
{
    g_object_unref(r->urb);
    g_object_unref(r->client);
    g_free(r);
}

/* Forgets the URBs of clients that closed the device node. */
static void drop_vanished(struct mockusb *m)
{
    for (struct rec **p = &m->recs; *p;) {
        struct rec *r = *p;
        if (!umockdev_ioctl_client_get_connected(r->client)) {
            m->st.abandoned++;      /* closed with the URB in flight or unreaped */
            struct usbdevfs_urb *u = (void *)r->urb->data;
            if (u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == LEDPROTO_USB_EP_OUT)
                m->out_pending--;
            *p = r->next;
            rec_free(r);
        } else {
            p = &r->next;
        }
    }
}

/* Slow discards whose time has come complete like any other. */
static void finish_slow_discards(struct mockusb *m)
{
    gint64 now = g_get_monotonic_time();
    for (struct rec *r = m->recs; r; r = r->next)
        if (!r->done && r->discard_at && now >= r->discard_at) {
            finish(r, -ENOENT, 0);
            resume_out(m, r->client);
        }
}

static void reap(struct mockusb *m, UMockdevIoctlClient *c, UMockdevIoctlData *arg)
{
    m->st.reaps++;
    finish_slow_discards(m);
    /* The controller's main loop runs on its own, not only when data
     * arrives (host silence, the idle STATUS): here, whenever the host
     * looks for completions, at most once a millisecond. */
    uint32_t now = port_now(m);
    if (m->plugged && !m->emu && now != m->last_tick) {
        m->last_tick = now;
        run_core(m);
    }
    for (struct rec **p = &m->recs; *p; p = &(*p)->next) {
        struct rec *r = *p;
        if (!r->done || r->client != c)
            continue;
        UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
        if (!ptr) {
            umockdev_ioctl_client_complete(c, -1, EFAULT);
            return;
        }
        umockdev_ioctl_data_set_ptr(ptr, 0, r->urb);
        g_object_unref(ptr);
        struct usbdevfs_urb *u = (void *)r->urb->data;
        if (u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == LEDPROTO_USB_EP_OUT)
            m->out_pending--;
        *p = r->next;
        umockdev_ioctl_client_complete(c, 0, 0);
        rec_free(r);
        return;
    }
    m->st.reaps_empty++;
    umockdev_ioctl_client_complete(c, -1, m->plugged ? EAGAIN : ENODEV);
}

static void discard(struct mockusb *m, UMockdevIoctlClient *c, UMockdevIoctlData *arg)
{
    gulong addr = *(gulong *)arg->data;
    for (struct rec *r = m->recs; r; r = r->next) {
        if (r->client == c && !r->done && r->urb->client_addr == addr) {
            if (r->slow_cancel_ms) {
                if (!r->discard_at)
                    r->discard_at = g_get_monotonic_time() + (gint64)r->slow_cancel_ms * 1000;
                umockdev_ioctl_client_complete(c, 0, 0);
                return;
            }
            finish(r, -ENOENT, 0);
            resume_out(m, c);
            umockdev_ioctl_client_complete(c, 0, 0);
            return;
        }
    }
    umockdev_ioctl_client_complete(c, -1, EINVAL);
}

static bool reply_u32(UMockdevIoctlClient *c, UMockdevIoctlData *arg, uint32_t v)
{
    UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof v, NULL);
    if (!d)
        return false;
    memcpy(d->data, &v, sizeof v);
    g_object_unref(d);
    umockdev_ioctl_client_complete(c, 0, 0);
    return true;
}

static uint32_t arg_u32(UMockdevIoctlData *arg)
{
    uint32_t v = 0;
    UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof v, NULL);
    if (d) {
        memcpy(&v, d->data, sizeof v);
        g_object_unref(d);
    }
    return v;
}

static void on_client(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer user)
{
    struct mockusb *m = user;
    (void)h;
    pthread_mutex_lock(&m->mu);
    g_ptr_array_add(m->clients, g_object_ref(c));
    pthread_mutex_unlock(&m->mu);
}

/* Runs on umockdev's worker thread. Completes every request exactly once. */
static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer user)
{
    struct mockusb *m = user;
    (void)h;
    unsigned long req = umockdev_ioctl_client_get_request(c);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);
    pthread_mutex_lock(&m->mu);
    drop_vanished(m);
    if (req == USBDEVFS_REAPURBNDELAY || req == USBDEVFS_REAPURB) {
        reap(m, c, arg);
    } else if (!m->plugged) {
        umockdev_ioctl_client_complete(c, -1, ENODEV);
    } else if (req == USBDEVFS_SUBMITURB) {
        int e = submit(m, c, arg);
        umockdev_ioctl_client_complete(c, e ? -1 : 0, e);
    } else if (req == USBDEVFS_DISCARDURB) {
        discard(m, c, arg);
    } else if (req == USBDEVFS_GET_CAPABILITIES) {
        /* Without BULK_SCATTER_GATHER libusb cuts bulk transfers into 16 KiB URBs. */
        if (!reply_u32(c, arg, USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION |
                                   USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT |
                                   USBDEVFS_CAP_ZERO_PACKET))
            umockdev_ioctl_client_complete(c, -1, EFAULT);
    } else if (req == USBDEVFS_CLAIMINTERFACE || req == USBDEVFS_RELEASEINTERFACE) {
        if (req == USBDEVFS_CLAIMINTERFACE)
            m->st.opens++;
        umockdev_ioctl_client_complete(c, arg_u32(arg) == LEDPROTO_USB_IFACE ? 0 : -1,
                                       arg_u32(arg) == LEDPROTO_USB_IFACE ? 0 : EINVAL);
    } else if (req == USBDEVFS_CLEAR_HALT) {
        if ((arg_u32(arg) & 0xFF) == LEDPROTO_USB_EP_OUT)
            m->out_halted = false;
        m->st.clear_halts++;
        umockdev_ioctl_client_complete(c, 0, 0);
    } else if (req == USBDEVFS_RESET || req == USBDEVFS_RESETEP || req == USBDEVFS_SETCONFIGURATION) {
        umockdev_ioctl_client_complete(c, 0, 0);
    } else if (req == USBDEVFS_GETDRIVER) {
        umockdev_ioctl_client_complete(c, -1, ENODATA);     /* no kernel driver bound */
    } else {
        umockdev_ioctl_client_complete(c, -1, ENOTTY);
    }
    pthread_mutex_unlock(&m->mu);
    return TRUE;
}

/* ---- the testbed -------------------------------------------------------- */

static int boot_core(struct mockusb *m, const char *board)
{
    const struct fw_board *b = board_find(board);
    if (!b) {
        fprintf(stderr, "mockusb: no firmware board '%s'\n", board);
        return -1;
    }
    struct fw_port port = { .user = m, .now_ms = port_now, .usb_send = port_usb_send };
    m->board = b;
    m->status_n = 0;
    m->out_halted = false;
    m->st.presented_seq = m->st.presented_host_ms = 0;  /* a rebooted controller shows nothing */
    m->st.presented_hash = 0;
    return fw_init(m->fw, b, &port);
}

static int plug(struct mockusb *m)
{
    char *text = device_text(m);
    GError *err = NULL;
    bool ok = umockdev_testbed_add_from_string(m->tb, text, &err);
    g_free(text);
    if (!ok) {
        fprintf(stderr, "mockusb: cannot add the device: %s\n", err ? err->message : "?");
        g_clear_error(&err);
        return -1;
    }
    return 0;
}

static struct rec *rec_by_tag(struct mockusb *m, uint32_t tag)
{
    for (struct rec *r = m->recs; r; r = r->next)
        if (r->tag == tag)
            return r;
    return NULL;
}

/* The emulated controller answered (on mockusb_emu's reader thread). */
static void emu_reply(void *user, char kind, uint32_t tag, const uint8_t *data, size_t len)
{
    struct mockusb *m = user;
    pthread_mutex_lock(&m->mu);
    struct rec *r = kind == 'i' ? NULL : rec_by_tag(m, tag);
    if (kind == 'i') {
        note_emu_status(m, data, len);
        port_usb_send(m, data, len);
        serve_in_urbs(m);
    } else if (r && !r->done && kind == 'c' && len >= 1) {
        size_t n = len - 1 < (size_t)r->buflen - 8 ? len - 1 : (size_t)r->buflen - 8;
        memcpy(r->buf + 8, data + 1, n);
        finish(r, data[0] == 0 ? 0 : data[0] == 1 ? -EPIPE : -ESHUTDOWN, data[0] == 0 ? (int)n : 0);
    } else if (r && !r->done && kind == 'o') {
        m->st.out_bytes += (unsigned long)r->buflen;
        finish(r, 0, r->buflen);
        resume_out(m, r->client);
    }
    pthread_mutex_unlock(&m->mu);
}

struct mockusb *mockusb_new(const struct mockusb_config *cfg)
{
    struct mockusb *m = g_new0(struct mockusb, 1);
    pthread_mutex_init(&m->mu, NULL);
    m->fw = g_new0(struct fw, 1);
    snprintf(m->serial, sizeof m->serial, "%s", cfg && cfg->serial ? cfg->serial : "LT0001");
    m->vid = cfg && cfg->vid ? cfg->vid : LEDPROTO_USB_VID_TEST;
    m->pid = cfg && cfg->pid ? cfg->pid : LEDPROTO_USB_PID_TEST;
    m->info_width = cfg ? cfg->info_width : 0;
    m->info_height = cfg ? cfg->info_height : 0;
    if (boot_core(m, cfg && cfg->board ? cfg->board : "hub75-256x32") != 0) {
        mockusb_free(m);
        return NULL;
    }
    if (cfg && cfg->emulate) {
        m->emu = mockusb_emu_start(m->board->name, m->serial, sizeof m->serial, emu_reply, m);
        if (!m->emu) {
            mockusb_free(m);
            return NULL;
        }
    }
    m->tb = umockdev_testbed_new();
    m->handler = umockdev_ioctl_base_new();
    m->clients = g_ptr_array_new_with_free_func(g_object_unref);
    g_signal_connect(m->handler, "handle-ioctl", G_CALLBACK(on_ioctl), m);
    g_signal_connect(m->handler, "client-connected", G_CALLBACK(on_client), m);
    GError *err = NULL;
    /* The handler first, so that libusb can open the node as soon as it sees it. */
    if (!umockdev_testbed_attach_ioctl(m->tb, DEVNODE, m->handler, &err)) {
        fprintf(stderr, "mockusb: cannot attach the ioctl handler: %s\n", err ? err->message : "?");
        g_clear_error(&err);
        mockusb_free(m);
        return NULL;
    }
    if (plug(m) != 0) {
        mockusb_free(m);
        return NULL;
    }
    m->plugged = true;
    return m;
}

void mockusb_free(struct mockusb *m)
{
    if (!m)
        return;
    mockusb_emu_stop(m->emu);
    if (m->tb) {
        umockdev_testbed_detach_ioctl(m->tb, DEVNODE, NULL);
        g_object_unref(m->tb);
    }
    if (m->handler)
        g_object_unref(m->handler);
    while (m->recs) {
        struct rec *r = m->recs;
        m->recs = r->next;
        rec_free(r);
    }
    if (m->log)
        fclose(m->log);
    if (m->clients)
        g_ptr_array_unref(m->clients);
    g_free(m->fw);
    pthread_mutex_destroy(&m->mu);
    g_free(m);
}

void mockusb_unplug(struct mockusb *m)
{
    pthread_mutex_lock(&m->mu);
    bool was = m->plugged;
    m->plugged = false;
    for (struct rec *r = m->recs; r; r = r->next)
        if (!r->done)
            finish(r, -ESHUTDOWN, 0);
    pthread_mutex_unlock(&m->mu);
    if (!was)
        return;
    umockdev_testbed_uevent(m->tb, SYSPATH, "remove");
    umockdev_testbed_remove_device(m->tb, SYSPATH);
}

int mockusb_replug(struct mockusb *m, const char *board)
{
    pthread_mutex_lock(&m->mu);
    int rc = m->plugged ? -1 : boot_core(m, board ? board : m->board->name);
    pthread_mutex_unlock(&m->mu);
    if (rc != 0 || plug(m) != 0)
        return -1;
    pthread_mutex_lock(&m->mu);
    m->plugged = true;
    pthread_mutex_unlock(&m->mu);
    return 0;
}

bool mockusb_plugged(struct mockusb *m)
{
    pthread_mutex_lock(&m->mu);
    bool p = m->plugged;
    pthread_mutex_unlock(&m->mu);
    return p;
}

void mockusb_inject(struct mockusb *m, enum mockusb_fault fault, unsigned count)
{
    pthread_mutex_lock(&m->mu);
    m->fault = fault;
    m->fault_count = count;
    pthread_mutex_unlock(&m->mu);
}

bool mockusb_take_reboot(struct mockusb *m)
{
    pthread_mutex_lock(&m->mu);
    bool r = m->reboot_requested;
    m->reboot_requested = false;
    pthread_mutex_unlock(&m->mu);
    return r;
}

void mockusb_get_stats(struct mockusb *m, struct mockusb_stats *s)
{
    pthread_mutex_lock(&m->mu);
    drop_vanished(m);
    m->st.open_clients = 0;
    for (guint i = 0; i < m->clients->len; i++)
        m->st.open_clients += umockdev_ioctl_client_get_connected(m->clients->pdata[i]) != 0;
    struct ledproto_status st;
    if (m->emu)
        st = m->emu_status;
    else
        fw_status(m->fw, &st);
    m->st.crc_errors = st.crc_errors;
    m->st.seq_gaps = st.seq_gaps;
    m->st.overflows = st.overflows;
    m->st.fault_left = m->fault == MOCKUSB_FAULT_NONE ? 0 : m->fault_count ? m->fault_count : 1;
    *s = m->st;
    pthread_mutex_unlock(&m->mu);
}

void mockusb_front(struct mockusb *m, uint8_t *rgb, size_t cap, int *width, int *height)
{
    pthread_mutex_lock(&m->mu);
    size_t n = (size_t)m->board->width * m->board->height * 3;
    if (rgb && cap >= n)
        memcpy(rgb, fw_front(m->fw), n);
    *width = m->board->width;
    *height = m->board->height;
    pthread_mutex_unlock(&m->mu);
}

int mockusb_log_presents(struct mockusb *m, const char *path)
{
    FILE *f = path ? fopen(path, "a") : NULL;
    if (path && !f)
        return -1;
    pthread_mutex_lock(&m->mu);
    if (m->log)
        fclose(m->log);
    m->log = f;
    pthread_mutex_unlock(&m->mu);
    return 0;
}

void mockusb_log_note(struct mockusb *m, const char *what, long value)
{
    pthread_mutex_lock(&m->mu);
    if (m->log) {
        fprintf(m->log, "%s %llu %ld\n", what, (unsigned long long)(g_get_monotonic_time() / 1000),
                value);
        fflush(m->log);
    }
    pthread_mutex_unlock(&m->mu);
}

uint64_t mockusb_hash(const uint8_t *rgb, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ rgb[i]) * 0x100000001b3ull;
    return h;
}

/* ---- running under the preload library ---------------------------------- */

#define PRELOAD_LIB "libumockdev-preload.so.0"

static void append_env(const char *name, const char *sep, const char *value)
{
    const char *old = getenv(name);
    char *v = old && *old ? g_strconcat(old, sep, value, NULL) : g_strdup(value);
    setenv(name, v, 1);
    g_free(v);
}

void mockusb_reexec_preloaded(char **argv)
{
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, PRELOAD_LIB))
        return;
    append_env("LD_PRELOAD", ":", PRELOAD_LIB);
    /* The preload library is loaded before the ASan runtime, which ASan
     * refuses unless told that the order is intended. */
    append_env("ASAN_OPTIONS", ":", "verify_asan_link_order=0");
    /* ASan crashes at start-up under the preload library when it writes its
     * reports to a file (tests/runner-env.sh sets log_path): report to
     * stderr here; a report still exits 99. */
    if (getenv("SAN_LOG_DIR")) {
        append_env("ASAN_OPTIONS", ":", "log_path=stderr");
        append_env("LSAN_OPTIONS", ":", "log_path=stderr");
    }
    execv("/proc/self/exe", argv);
    perror("mockusb: re-exec under " PRELOAD_LIB);
    exit(1);
}
