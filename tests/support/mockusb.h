/* mockusb — an emulated ledticker controller on an emulated USB bus, for
 * tests that drive the real libusb code path on machines without USB.
 *
 * A UMockdevTestbed gets a usb_device with the controller's descriptors
 * (vendor interface 0, bulk OUT 0x01, bulk IN 0x81) and an ioctl handler
 * that answers the usbdevfs ioctls libusb sends. The device side is the real
 * firmware core (firmware-host/core/fw.h): bulk OUT bytes go into it in
 * 64-byte packets as a full-speed controller receives them, its STATUS
 * messages complete bulk IN URBs, and GET_INFO / GET_STATUS control requests
 * are answered by fw_get_info / fw_get_status.
 *
 * The handler runs on umockdev's worker thread; every entry point here takes
 * the model's mutex, so tests may call them from their own thread.
 *
 * Every process that touches the emulated bus (the test itself, and any
 * program it starts) must run with LD_PRELOAD=libumockdev-preload.so.0 and
 * the testbed's UMOCKDEV_DIR; mockusb_reexec_preloaded() arranges that. */
#ifndef LEDTICKER_MOCKUSB_H
#define LEDTICKER_MOCKUSB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mockusb;

struct mockusb_config {
    const char *board;      /* firmware board name; NULL = "hub75-256x32" */
    const char *serial;     /* iSerialNumber; NULL = "LT0001" */
    uint16_t vid, pid;      /* 0 = the test VID:PID of ledproto.h */
    /* GET_INFO reports this geometry instead of the board's (0 = the
     * board's), as a controller with broken firmware might. */
    uint16_t info_width, info_height;
    /* The device is the real firmware image (build/firmware/ledctl-BOARD.uf2)
     * on an emulated RP2040 (tests/rp2040/usbbridge.mjs) instead of the
     * core in this process; its serial is the emulated flash's unique ID.
     * Unplug/replug and fault injection are not available then. */
    bool emulate;
};

/* Faults the next bulk OUT transfers (or STATUS answers) meet. */
enum mockusb_fault {
    MOCKUSB_FAULT_NONE = 0,
    MOCKUSB_FAULT_STALL,    /* the OUT endpoint halts (-EPIPE) until CLEAR_HALT, `count` times */
    MOCKUSB_FAULT_HANG,     /* the next OUT URB is never completed (only discarded) */
    MOCKUSB_FAULT_CORRUPT,  /* flip a bit in each of the next `count` OUT packets */
    MOCKUSB_FAULT_SLOW_CANCEL, /* the next OUT URB is never completed, and a discard takes
                                  `count` ms to complete it (an endpoint slow to abort) */
    MOCKUSB_FAULT_CREDITS,  /* the next `count` STATUS answers (GET_STATUS or bulk IN)
                               report 65536 more credits than there are */
};

struct mockusb_stats {
    unsigned long submits, reaps, reaps_empty;  /* SUBMITURB / REAPURB* ioctls seen */
    unsigned long out_bytes;                    /* bulk OUT bytes fed to the core */
    unsigned long presents;                     /* presented frames seen */
    unsigned long clear_halts, opens;
    unsigned long max_out_in_flight;            /* bulk OUT URBs submitted, not reaped */
    unsigned fault_left;                        /* packets the injected fault still hits */
    unsigned long open_clients;                 /* processes/handles with the node open */
    unsigned long abandoned;                    /* URBs whose client closed before reaping them */
    uint32_t presented_seq, presented_host_ms;  /* the last PRESENT */
    uint64_t presented_hash;                    /* mockusb_hash of its front buffer */
    uint32_t crc_errors, seq_gaps, overflows, resets;
};

/* Re-executes the running program under libumockdev-preload.so.0 unless it
 * already is, adding ASAN_OPTIONS=verify_asan_link_order=0 (the preload
 * library comes before the ASan runtime). Returns only when already
 * preloaded. */
void mockusb_reexec_preloaded(char **argv);

/* Creates the testbed and plugs the controller in. NULL on failure (the
 * reason goes to stderr). Call before libusb_init. */
struct mockusb *mockusb_new(const struct mockusb_config *cfg);
void mockusb_free(struct mockusb *m);

/* Pulls the cable: every URB in flight completes with -ESHUTDOWN, later
 * ioctls fail with ENODEV, then the "remove" uevent. */
void mockusb_unplug(struct mockusb *m);
/* Plugs it back in as a freshly booted controller; `board` NULL keeps it. */
int mockusb_replug(struct mockusb *m, const char *board);
bool mockusb_plugged(struct mockusb *m);

void mockusb_inject(struct mockusb *m, enum mockusb_fault fault, unsigned count);

/* True once after the host sent LEDPROTO_REQ_REBOOT_BOOTLOADER (answered
 * with success); the caller then unplugs and replugs, as a controller
 * leaves for its ROM's boot mode and comes back flashed. */
bool mockusb_take_reboot(struct mockusb *m);

void mockusb_get_stats(struct mockusb *m, struct mockusb_stats *s);

/* Copies the controller's front buffer (RGB888, width x height) into rgb
 * when it holds width * height * 3 bytes; returns the board geometry. */
void mockusb_front(struct mockusb *m, uint8_t *rgb, size_t cap, int *width, int *height);

/* Appends one line per presented frame to `path` (NULL stops):
 *   present SEQ HOST_MS FNV1A64-OF-FRONT MONOTONIC_MS
 * For the end-to-end helper (tests/tools/mockusbd.c). */
int mockusb_log_presents(struct mockusb *m, const char *path);
/* Appends "WHAT MONOTONIC_MS VALUE" to the same log, e.g. "unplug 12345 80". */
void mockusb_log_note(struct mockusb *m, const char *what, long value);

/* FNV-1a 64 of RGB888 pixels, as written by mockusb_log_presents. */
uint64_t mockusb_hash(const uint8_t *rgb, size_t len);

#endif
