/* The microcontroller "board file" that make firmware-size links: startup,
 * the port for the core, and a HUB75 refresh routine, for one board chosen
 * at compile time (-DFW_BOARD_ONLY=FW_BOARD_<ID>).
 *
 * It is a measuring stick, not a product port: USB is a placeholder (a real
 * board adds its USB device stack, e.g. tinyusb's vendor class, which calls
 * fw_usb_rx from its OUT callback and fw_get_info / fw_get_status from its
 * control callback), and the registers are RP2040's SIO GPIO block with the
 * HUB75 pins on GPIO 0..12. What it does show is the core's real cost:
 * every entry point is called, so nothing is dropped by --gc-sections. */
#include <stdint.h>

#include "fw.h"

#define SIO_GPIO_OUT_SET (*(volatile uint32_t *)0xd0000014u)
#define SIO_GPIO_OUT_CLR (*(volatile uint32_t *)0xd0000018u)
#define TIMER_TIMERAWL   (*(volatile uint32_t *)0x40054028u)  /* 1 MHz */

/* GPIO 0..5 R1 G1 B1 R2 G2 B2, 6..9 row address A..D, 10 CLK, 11 LAT, 12 OE. */
#define PIN_ADDR_SHIFT 6
#define PIN_CLK (1u << 10)
#define PIN_LAT (1u << 11)
#define PIN_OE  (1u << 12)

/* The firmware's one instance: the only global mutable state, as the
 * style allows in a board file. */
static struct fw controller;
static const struct panel_out *volatile showing;

static uint32_t board_now_ms(void *user)
{
    (void)user;
    return TIMER_TIMERAWL / 1000u;
}

static volatile uint8_t usb_in_buf[64];
static bool board_usb_send(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    for (size_t i = 0; i < len && i < sizeof usb_in_buf; i++)
        usb_in_buf[i] = data[i];
    return true;
}

static void board_panel_show(void *user, const struct panel_out *out)
{
    (void)user;
    showing = out;
}

static void delay_cycles(uint32_t n)
{
    while (n--)
        __asm__ volatile("nop");
}

/* One full refresh: every plane of every row address, each plane shown
 * for 2^p time units (binary-coded modulation). */
static void hub75_refresh(const struct panel_out *o)
{
    for (unsigned p = 0; p < o->planes; p++) {
        for (unsigned r = 0; r < o->rows; r++) {
            const uint8_t *row = o->data + ((uint32_t)p * o->rows + r) * o->row_bytes;
            for (unsigned x = 0; x < o->row_bytes; x++) {
                SIO_GPIO_OUT_CLR = 0x3Fu | PIN_CLK;
                SIO_GPIO_OUT_SET = row[x];
                SIO_GPIO_OUT_SET = PIN_CLK;
            }
            SIO_GPIO_OUT_SET = PIN_OE;                  /* off while latching */
            SIO_GPIO_OUT_CLR = 0xFu << PIN_ADDR_SHIFT;
            SIO_GPIO_OUT_SET = (uint32_t)r << PIN_ADDR_SHIFT;
            SIO_GPIO_OUT_SET = PIN_LAT;
            SIO_GPIO_OUT_CLR = PIN_LAT;
            if (!o->dark)
                SIO_GPIO_OUT_CLR = PIN_OE;
            delay_cycles(8u << p);
        }
    }
}

/* Where a USB stack would deliver OUT packets and control requests. */
static volatile uint8_t usb_out_packet[64];
static volatile uint32_t usb_out_len;
static volatile uint8_t ep0_buf[64];
static volatile uint32_t ep0_request;

static void usb_service(void)
{
    uint32_t n = usb_out_len;
    if (n) {
        uint8_t pkt[64];
        for (uint32_t i = 0; i < n && i < 64; i++)
            pkt[i] = usb_out_packet[i];
        fw_usb_rx(&controller, pkt, n > 64 ? 64 : n);
        usb_out_len = 0;
    }
    if (ep0_request) {
        uint8_t buf[64];
        size_t len = ep0_request == LEDPROTO_REQ_GET_INFO ? fw_get_info(&controller, buf)
                                                           : fw_get_status(&controller, buf);
        for (size_t i = 0; i < len; i++)
            ep0_buf[i] = buf[i];
        ep0_request = 0;
    }
}

int main(void)
{
    struct fw_port port = { .now_ms = board_now_ms, .usb_send = board_usb_send,
                            .panel_show = board_panel_show };
    fw_init(&controller, &board_table[0], &port);
    for (;;) {
        usb_service();
        fw_task(&controller);
        if (showing)
            hub75_refresh(showing);
    }
}

/* ---- startup ------------------------------------------------------------ */

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

void reset_handler(void);
void reset_handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata)
        *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss; dst++)
        *dst = 0;
    main();
    for (;;)
        ;
}

static void default_handler(void)
{
    for (;;)
        ;
}

__attribute__((section(".vectors"), used))
static void (*const vectors[16])(void) = {
    (void (*)(void))&_estack, reset_handler, default_handler, default_handler,
};
