/* USB device mode, from the RP2040 datasheet 4.1.2 (device controller,
 * DPRAM layout, buffer control) and the USB 2.0 specification chapter 9
 * (standard requests). */
#include "usb.h"

#include "clocks.h"
#include "ledproto.h"
#include "rp2040.h"

#define EP0_SIZE 64u
#define EP1_IN_BUF  0x180u      /* DPRAM offsets of the bulk buffers, 64-byte aligned */
#define EP1_OUT_BUF 0x1c0u
#define REBOOT_DELAY_US 20000u  /* from the request's status stage to leaving the bus */

/* Standard requests (USB 2.0 table 9-4) and descriptor types. */
enum {
    REQ_GET_STATUS = 0, REQ_CLEAR_FEATURE = 1, REQ_SET_ADDRESS = 5, REQ_GET_DESCRIPTOR = 6,
    REQ_GET_CONFIGURATION = 8, REQ_SET_CONFIGURATION = 9, REQ_GET_INTERFACE = 10,
    REQ_SET_INTERFACE = 11,
};
enum { DESC_DEVICE = 1, DESC_CONFIG = 2, DESC_STRING = 3 };

/* ---- buffers (SRAM: used by the interrupt handler) ------------------------ */

/* Writes a buffer control word: first without AVAILABLE, then with it, as
 * the datasheet asks (4.1.2.5.1), so the controller never sees a half-made
 * buffer. */
RAMFUNC static void buf_ctrl_arm(uint32_t reg, uint32_t value)
{
    REG(reg) = value;
    __asm__ volatile("nop\n nop\n nop");
    REG(reg) = value | USB_BUF_AVAILABLE;
}

RAMFUNC static uint32_t rx_room(const struct fw *fw)
{
    /* The core's queue is read by fw_task and written only here. */
    return FW_RX_BYTES - (fw->rx_in - fw->rx_out);
}

RAMFUNC static void out_arm(struct usb_dev *u)
{
    u->out_armed = true;
    buf_ctrl_arm(USB_BUF_CTRL(1, 1), LEDPROTO_USB_PACKET | (u->out_data1 ? USB_BUF_DATA1 : 0));
}

/* A bulk OUT packet arrived: into the core's queue, and the endpoint armed
 * again only when another whole packet fits. */
RAMFUNC static void out_done(struct usb_dev *u)
{
    uint32_t words[LEDPROTO_USB_PACKET / 4];
    uint32_t len = REG(USB_BUF_CTRL(1, 1)) & USB_BUF_LEN_MASK;
    if (len > LEDPROTO_USB_PACKET)
        len = LEDPROTO_USB_PACKET;
    for (uint32_t i = 0; i < (len + 3) / 4; i++)
        words[i] = REG(USBCTRL_DPRAM + EP1_OUT_BUF + 4 * i);
    fw_usb_rx(u->fw, (const uint8_t *)words, len);
    u->out_data1 = !u->out_data1;
    u->out_armed = false;
    if (u->configuration && rx_room(u->fw) >= LEDPROTO_USB_PACKET)
        out_arm(u);
}

RAMFUNC static void bus_reset(struct usb_dev *u)
{
    REG(USB_SIE_STATUS) = USB_SIE_BUS_RESET;
    REG(USB_ADDR_ENDP) = 0;
    REG(USB_BUF_CTRL(1, 0)) = 0;
    REG(USB_BUF_CTRL(1, 1)) = 0;
    u->configuration = 0;
    u->pending_address = 0;
    u->reboot_after_status = false;
    u->setup_pending = u->ep0_in_done = u->ep0_out_done = false;
    u->out_armed = u->in_busy = false;
    u->out_data1 = u->in_data1 = false;
    u->bus_resets++;
}

void usb_irq(struct usb_dev *u)
{
    uint32_t ints = REG(USB_INTS);
    if (ints & USB_INT_SETUP_REQ) {
        REG(USB_SIE_STATUS) = USB_SIE_SETUP_REC;
        uint32_t w0 = REG(USBCTRL_DPRAM), w1 = REG(USBCTRL_DPRAM + 4);
        for (unsigned i = 0; i < 4; i++) {
            u->setup[i] = (uint8_t)(w0 >> (8 * i));
            u->setup[4 + i] = (uint8_t)(w1 >> (8 * i));
        }
        u->ep0_in_done = u->ep0_out_done = false;
        u->setup_pending = true;
    }
    if (ints & USB_INT_BUFF_STATUS) {
        uint32_t done = REG(USB_BUFF_STATUS);
        REG(USB_BUFF_STATUS) = done;
        if (done & (1u << 0))
            u->ep0_in_done = true;
        if (done & (1u << 1))
            u->ep0_out_done = true;
        if (done & (1u << 2))
            u->in_busy = false;
        if (done & (1u << 3))
            out_done(u);
    }
    if (ints & USB_INT_BUS_RESET)
        bus_reset(u);
}
RAMFUNC void usb_irq(struct usb_dev *u);

/* ---- set-up ----------------------------------------------------------------- */

void usb_init(struct usb_dev *u, struct fw *fw, const char *serial, uint16_t vid, uint16_t pid)
{
    *u = (struct usb_dev){ .fw = fw, .serial = serial, .vid = vid, .pid = pid };
    resets_cycle(RESET_USBCTRL);
    for (uint32_t off = 0; off < 4096; off += 4)
        REG(USBCTRL_DPRAM + off) = 0;
    REG(USB_MUXING) = USB_MUXING_TO_PHY | USB_MUXING_SOFTCON;
    /* No VBUS sense pin on these boards: a bus-powered device is always on a live bus. */
    REG(USB_PWR) = USB_PWR_VBUS_DETECT | USB_PWR_VBUS_OVERRIDE_EN;
    REG(USB_MAIN_CTRL) = USB_MAIN_CTRL_EN;
    REG(USB_SIE_CTRL) = USB_SIE_EP0_INT_1BUF;
    REG(USB_INTE) = USB_INT_BUFF_STATUS | USB_INT_BUS_RESET | USB_INT_SETUP_REQ;
    REG(USB_EP_CTRL(1, 0)) = USB_EP_ENABLE | USB_EP_INT_PER_BUF | USB_EP_TYPE_BULK | EP1_IN_BUF;
    REG(USB_EP_CTRL(1, 1)) = USB_EP_ENABLE | USB_EP_INT_PER_BUF | USB_EP_TYPE_BULK | EP1_OUT_BUF;
    irq_enable(IRQ_USBCTRL);
    REG_SET(USB_SIE_CTRL) = USB_SIE_PULLUP_EN;
}

/* ---- EP0 ------------------------------------------------------------------------- */

static void copy_to_dpram(uint32_t off, const uint8_t *p, uint32_t len)
{
    for (uint32_t i = 0; i < len; i += 4) {
        uint32_t w = 0;
        for (uint32_t k = 0; k < 4 && i + k < len; k++)
            w |= (uint32_t)p[i + k] << (8 * k);
        REG(USBCTRL_DPRAM + off + i) = w;
    }
}

static void ep0_stall(void)
{
    REG(USB_EP_STALL_ARM) = 3u;
    REG(USB_BUF_CTRL(0, 0)) = USB_BUF_STALL;
    REG(USB_BUF_CTRL(0, 1)) = USB_BUF_STALL;
}

/* The data stage of a control IN (one packet: every answer fits 64
 * bytes), or with len 0 the status stage of a control OUT. */
static void ep0_send(struct usb_dev *u, const uint8_t *data, uint32_t len)
{
    copy_to_dpram(0x100u, data, len);
    u->ep0_len = (uint8_t)len;
    buf_ctrl_arm(USB_BUF_CTRL(0, 0), len | USB_BUF_FULL | USB_BUF_DATA1);
}

static void ep0_status_out(void)
{
    buf_ctrl_arm(USB_BUF_CTRL(0, 1), USB_BUF_DATA1);
}

static uint32_t descriptor(const struct usb_dev *u, uint16_t value, uint8_t *d)
{
    switch (value >> 8) {
    case DESC_DEVICE:
        return ledproto_usb_device_desc(d, u->vid, u->pid);
    case DESC_CONFIG:
        return (value & 0xff) == 0 ? ledproto_usb_config_desc(d) : 0;
    case DESC_STRING: {
        unsigned i = value & 0xff;
        const char *s = i == LEDPROTO_USB_STR_MANUFACTURER ? LEDPROTO_USB_MANUFACTURER
                      : i == LEDPROTO_USB_STR_PRODUCT      ? LEDPROTO_USB_PRODUCT
                      : i == LEDPROTO_USB_STR_SERIAL       ? u->serial
                                                           : 0;
        return i == 0 || s ? ledproto_usb_string_desc(d, 64, i, s) : 0;
    }
    default:
        return 0;
    }
}

static void configure(struct usb_dev *u, uint8_t value)
{
    u->configuration = value;
    u->out_data1 = u->in_data1 = false;
    u->in_busy = false;
    if (value && !u->out_armed)
        out_arm(u);
}

/* Answers one SETUP packet: data (IN), a status ZLP (OUT), or STALL. */
static void handle_setup(struct usb_dev *u)
{
    const uint8_t *s = u->setup;
    uint8_t type = s[0], req = s[1];
    uint16_t value = ledproto_get_u16(s + 2), index = ledproto_get_u16(s + 4);
    uint16_t want = ledproto_get_u16(s + 6);
    uint8_t *d = u->ep0_data;
    int32_t n = -1;                 /* bytes to send; -1 refuses the request */

    REG(USB_EP_STALL_ARM) = 0;
    u->ep0_in_data1 = true;
    if (type == 0x80 && req == REQ_GET_DESCRIPTOR) {
        uint32_t len = descriptor(u, value, d);
        n = len ? (int32_t)len : -1;
    } else if (type == 0x00 && req == REQ_SET_ADDRESS) {
        u->pending_address = (uint8_t)(value & 0x7f);
        n = 0;
    } else if (type == 0x00 && req == REQ_SET_CONFIGURATION && value <= 1) {
        configure(u, (uint8_t)value);
        n = 0;
    } else if (type == 0x80 && req == REQ_GET_CONFIGURATION) {
        d[0] = u->configuration;
        n = 1;
    } else if ((type & 0x9f) == 0x80 && req == REQ_GET_STATUS) {
        d[0] = d[1] = 0;            /* bus powered, no remote wake-up, never halted */
        n = 2;
    } else if (type == 0x02 && req == REQ_CLEAR_FEATURE && value == 0) {
        /* ENDPOINT_HALT: the host resets the data toggle (libusb_clear_halt). */
        if ((index & 0xff) == LEDPROTO_USB_EP_OUT) {
            u->out_data1 = false;
            if (u->configuration)
                out_arm(u);
        } else if ((index & 0xff) == LEDPROTO_USB_EP_IN) {
            u->in_data1 = false;
        }
        n = 0;
    } else if (type == 0x81 && req == REQ_GET_INTERFACE && index == LEDPROTO_USB_IFACE) {
        d[0] = 0;
        n = 1;
    } else if (type == 0x01 && req == REQ_SET_INTERFACE && value == 0 &&
               index == LEDPROTO_USB_IFACE) {
        n = 0;
    } else if (type == LEDPROTO_USB_REQTYPE_IN && req == LEDPROTO_REQ_GET_INFO) {
        n = (int32_t)fw_get_info(u->fw, d);
    } else if (type == LEDPROTO_USB_REQTYPE_IN && req == LEDPROTO_REQ_GET_STATUS) {
        n = (int32_t)fw_get_status(u->fw, d);
    } else if (type == LEDPROTO_USB_REQTYPE_OUT && req == LEDPROTO_REQ_REBOOT_BOOTLOADER &&
               u->fw->port.reboot_to_bootloader) {
        u->reboot_after_status = true;
        n = 0;
    }

    if (n < 0) {
        ep0_stall();
        return;
    }
    if ((uint32_t)n > want)
        n = want;
    ep0_send(u, d, (uint32_t)n);
}

bool usb_has_work(const struct usb_dev *u)
{
    return u->setup_pending || u->ep0_in_done || u->ep0_out_done ||
           (u->configuration && !u->out_armed && rx_room(u->fw) >= LEDPROTO_USB_PACKET);
}

bool usb_task(struct usb_dev *u)
{
    bool did = false;
    uint32_t irq = irq_save();
    bool setup = u->setup_pending, in_done = u->ep0_in_done, out_done_ = u->ep0_out_done;
    u->setup_pending = u->ep0_in_done = u->ep0_out_done = false;
    irq_restore(irq);

    if (setup) {
        handle_setup(u);
        did = true;
    } else if (in_done) {
        if (u->ep0_len > 0 || (u->setup[0] & 0x80)) {
            ep0_status_out();       /* control IN: the host's ZLP ends it */
        } else if (u->pending_address) {
            REG(USB_ADDR_ENDP) = u->pending_address;
            u->pending_address = 0;
        } else if (u->reboot_after_status) {
            /* Leave the host time to see the status stage complete. */
            u->reboot_after_status = false;
            u->reboot_at_us = timer_us() + REBOOT_DELAY_US;
            u->reboot_armed = true;
        }
        u->ep0_len = 0;
        did = true;
    }
    (void)out_done_;                /* the status stage of a control IN: nothing to do */
    if (u->reboot_armed && (int32_t)(timer_us() - u->reboot_at_us) >= 0) {
        u->reboot_armed = false;
        REG_CLR(USB_SIE_CTRL) = USB_SIE_PULLUP_EN;
        fw_reboot_to_bootloader(u->fw);
    }

    irq = irq_save();
    if (u->configuration && !u->out_armed && rx_room(u->fw) >= LEDPROTO_USB_PACKET) {
        out_arm(u);
        did = true;
    }
    irq_restore(irq);
    return did;
}

bool usb_send(struct usb_dev *u, const uint8_t *data, uint32_t len)
{
    if (!u->configuration || u->in_busy || len > LEDPROTO_USB_PACKET)
        return false;
    u->in_busy = true;
    copy_to_dpram(EP1_IN_BUF, data, len);
    uint32_t ctrl = len | USB_BUF_FULL | (u->in_data1 ? USB_BUF_DATA1 : 0);
    u->in_data1 = !u->in_data1;
    buf_ctrl_arm(USB_BUF_CTRL(1, 0), ctrl);
    return true;
}
