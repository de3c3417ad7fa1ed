/* usb — the RP2040's USB controller in device mode, as the ledticker
 * vendor-class device of docs/protocol.md: control requests on EP0, bulk
 * OUT 0x01 into the core's receive queue, bulk IN 0x81 for STATUS.
 *
 * Single-buffered endpoints. Bulk OUT is flow-controlled by the hardware:
 * the endpoint is only armed while the core's receive queue has room for a
 * whole packet, so the host sees NAK (and waits) instead of lost bytes.
 *
 * The interrupt handler (SRAM) takes OUT packets, finished IN packets, bus
 * resets and SETUP packets; the SETUP itself is answered from the main
 * loop (usb_task), where the core's state is consistent. */
#ifndef RP2040_USB_H
#define RP2040_USB_H

#include <stdbool.h>
#include <stdint.h>

#include "fw.h"

struct usb_dev {
    struct fw *fw;
    const char *serial;
    uint16_t vid, pid;

    /* Set by the interrupt handler, taken by usb_task. */
    volatile bool setup_pending;
    volatile bool ep0_in_done, ep0_out_done;
    volatile bool out_armed;        /* bulk OUT waits for a packet */
    volatile bool in_busy;          /* a STATUS packet waits for the host */
    volatile uint32_t bus_resets;
    uint8_t setup[8];

    /* EP0 control transfer in progress. */
    uint8_t ep0_data[64];
    uint8_t ep0_len;
    bool ep0_in_data1;
    uint8_t pending_address;        /* applied once SET_ADDRESS's status stage is done */
    bool reboot_after_status;
    bool reboot_armed;              /* reboot into the ROM at reboot_at_us */
    uint32_t reboot_at_us;
    uint8_t configuration;

    bool out_data1, in_data1;       /* bulk data toggles */
};

/* Brings the controller up and connects to the bus (pull-up on D+). */
void usb_init(struct usb_dev *u, struct fw *fw, const char *serial, uint16_t vid, uint16_t pid);

/* The interrupt handler's body; call it from isr_usbctrl. */
void usb_irq(struct usb_dev *u);

/* Main-loop work: answers a SETUP, re-arms bulk OUT once the receive
 * queue has room again. Returns true when it did something. */
bool usb_task(struct usb_dev *u);

/* The port's usb_send: queues one packet (<= 64 bytes) on bulk IN.
 * False while the previous one has not gone out. */
bool usb_send(struct usb_dev *u, const uint8_t *data, uint32_t len);

/* True when usb_task has work (checked with interrupts off before WFI). */
bool usb_has_work(const struct usb_dev *u);

#endif
