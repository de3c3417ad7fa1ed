/* usbxfer — libusb transfers and device handles that libusb may still own.
 *
 * libusb forbids freeing a transfer that has been submitted and has not
 * completed, and closing a handle makes libusb forget its transfers in
 * flight, so that their callbacks never come. So a transfer that does not
 * come back in time after a cancel is not freed: it becomes an orphan, kept
 * here with its handle, and its callback frees it whenever it completes.
 * A handle with orphans is parked, still open, and closed once the last
 * one has come back. Everything here happens in the thread that runs
 * libusb's events (the transport's). */
#ifndef LEDTICKER_USBXFER_H
#define LEDTICKER_USBXFER_H

#include <stdbool.h>
#include <stddef.h>

#include <libusb.h>

struct usbxfer_orphan;
struct usbxfer_parked;

struct usbxfer_orphans {
    struct usbxfer_orphan *list;    /* transfers libusb still owns */
    struct usbxfer_parked *parked;  /* open handles they belong to */
};

/* A transfer with its own buffer of `bytes`, freed along with it
 * (LIBUSB_TRANSFER_FREE_BUFFER). NULL when out of memory. */
struct libusb_transfer *usbxfer_alloc(size_t bytes);

/* Takes over `x`, still in flight on handle h (already cancelled): its
 * callback becomes ours and frees it when it completes. -1 when out of
 * memory (then nothing changed). */
int usbxfer_orphan(struct usbxfer_orphans *o, struct libusb_transfer *x,
                   libusb_device_handle *h);

/* True when some orphan belongs to h. */
bool usbxfer_holds(const struct usbxfer_orphans *o, const libusb_device_handle *h);

/* Closes h (releasing interface `iface`) now when it has no orphans, else
 * keeps it open until usbxfer_close_idle finds them all back. */
void usbxfer_close(struct usbxfer_orphans *o, libusb_device_handle *h, int iface);

/* Closes the parked handles whose orphans have all come back. */
void usbxfer_close_idle(struct usbxfer_orphans *o, int iface);

bool usbxfer_pending(const struct usbxfer_orphans *o);

/* At exit, for what never came back: closes every parked handle, which
 * takes its transfers out of libusb's hands (libusb drops them from its
 * in-flight list and leaves them to the caller; the kernel discards their
 * URBs with the file), and only then frees them. */
void usbxfer_abandon(struct usbxfer_orphans *o, int iface);

#endif
