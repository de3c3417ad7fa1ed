#include "transport/usbxfer.h"

#include <stdlib.h>

struct usbxfer_orphan {
    struct usbxfer_orphan *next;
    struct usbxfer_orphans *owner;
    struct libusb_transfer *x;
    libusb_device_handle *h;
};

struct usbxfer_parked {
    struct usbxfer_parked *next;
    libusb_device_handle *h;
};

struct libusb_transfer *usbxfer_alloc(size_t bytes)
{
    struct libusb_transfer *x = libusb_alloc_transfer(0);
    if (!x)
        return NULL;
    x->buffer = malloc(bytes);
    if (!x->buffer) {
        libusb_free_transfer(x);
        return NULL;
    }
    x->flags = LIBUSB_TRANSFER_FREE_BUFFER;
    return x;
}

static void unlink_orphan(struct usbxfer_orphans *o, struct usbxfer_orphan *dead)
{
    for (struct usbxfer_orphan **p = &o->list; *p; p = &(*p)->next)
        if (*p == dead) {
            *p = dead->next;
            return;
        }
}

/* The orphan's callback: libusb is done with it at last. */
static void on_orphan_done(struct libusb_transfer *x)
{
    struct usbxfer_orphan *n = x->user_data;
    unlink_orphan(n->owner, n);
    libusb_free_transfer(x);
    free(n);
}

int usbxfer_orphan(struct usbxfer_orphans *o, struct libusb_transfer *x,
                   libusb_device_handle *h)
{
    struct usbxfer_orphan *n = malloc(sizeof *n);
    if (!n)
        return -1;
    *n = (struct usbxfer_orphan){ o->list, o, x, h };
    o->list = n;
    /* Safe while in flight: callbacks run only inside this thread's
     * libusb_handle_events calls. */
    x->callback = on_orphan_done;
    x->user_data = n;
    return 0;
}

bool usbxfer_holds(const struct usbxfer_orphans *o, const libusb_device_handle *h)
{
    for (const struct usbxfer_orphan *n = o->list; n; n = n->next)
        if (n->h == h)
            return true;
    return false;
}

static void close_now(libusb_device_handle *h, int iface)
{
    libusb_release_interface(h, iface);
    libusb_close(h);
}

void usbxfer_close(struct usbxfer_orphans *o, libusb_device_handle *h, int iface)
{
    struct usbxfer_parked *p = usbxfer_holds(o, h) ? malloc(sizeof *p) : NULL;
    if (!p) {
        /* Nothing in flight, or no memory to wait: close it now. */
        close_now(h, iface);
        for (struct usbxfer_orphan **q = &o->list; *q;) {
            struct usbxfer_orphan *n = *q;
            if (n->h != h) {
                q = &n->next;
                continue;
            }
            *q = n->next;       /* libusb has dropped it with the handle */
            libusb_free_transfer(n->x);
            free(n);
        }
        return;
    }
    *p = (struct usbxfer_parked){ o->parked, h };
    o->parked = p;
}

void usbxfer_close_idle(struct usbxfer_orphans *o, int iface)
{
    for (struct usbxfer_parked **q = &o->parked; *q;) {
        struct usbxfer_parked *p = *q;
        if (usbxfer_holds(o, p->h)) {
            q = &p->next;
            continue;
        }
        *q = p->next;
        close_now(p->h, iface);
        free(p);
    }
}

bool usbxfer_pending(const struct usbxfer_orphans *o)
{
    return o->list != NULL;
}

void usbxfer_abandon(struct usbxfer_orphans *o, int iface)
{
    while (o->parked) {
        struct usbxfer_parked *p = o->parked;
        o->parked = p->next;
        close_now(p->h, iface);
        free(p);
    }
    while (o->list) {
        struct usbxfer_orphan *n = o->list;
        o->list = n->next;
        libusb_free_transfer(n->x);
        free(n);
    }
}
