/* The ledctl image for one board (built with -DFW_BOARD_ONLY=...): clocks,
 * the firmware core behind struct fw_port, USB, the panel output and the
 * watchdog. The instances below are the image's only mutable globals.
 *
 * Main loop: feed the watchdog, answer USB, run the core, drive the panel;
 * when none of them has work, sleep in WFI until an interrupt (USB, the
 * 1 ms tick, the panel's DMA) brings some. If the loop stalls for
 * WATCHDOG_MS, the chip resets and comes back dark; the host sees the
 * controller leave the bus and return. */
#include <stdint.h>

#include "clocks.h"
#include "flashid.h"
#include "fw.h"
#include "panel_hw.h"
#include "panel_hw_state.h"
#include "rp2040.h"
#include "usb.h"

#define WATCHDOG_MS 250u

/* What `ledticker firmware update` reads out of a .uf2 file before it
 * flashes it: "ledctl-image VERSION BOARD", kept by the linker script. */
#define IMAGE_TAG_NAME_(id, name, ...) name
__attribute__((section(".image_tag"), used))
static const char image_tag[] = "ledctl-image " FW_VERSION " " FW_BOARD_ONLY(IMAGE_TAG_NAME_);

static struct fw controller;
static struct usb_dev usb;
static struct panel_hw panel;
static char serial[LEDPROTO_SERIAL_DIGITS + 1];
static uint32_t ms_base, us_base;

/* ---- the port ---------------------------------------------------------------- */

static uint32_t port_now_ms(void *user)
{
    (void)user;
    uint32_t elapsed = (timer_us() - us_base) / 1000u;
    ms_base += elapsed;
    us_base += elapsed * 1000u;
    return ms_base;
}

static bool port_usb_send(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    return usb_send(&usb, data, (uint32_t)len);
}

static void port_panel_show(void *user, const struct panel_out *out)
{
    (void)user;
    panel_hw_show(&panel, out);
}

static const char *port_serial(void *user)
{
    (void)user;
    return serial;
}

/* The ROM's reset_usb_boot, found the documented way (datasheet 2.8.3):
 * the 16-bit pointers at 0x14 (function table) and 0x18 (lookup
 * function), code 'U' 'B'. The only call this image makes into the ROM. */
typedef void *(*rom_lookup_fn)(uint16_t *table, uint32_t code);
typedef void (*rom_reset_usb_boot_fn)(uint32_t gpio_activity_mask, uint32_t disable_interfaces);

/* A 16-bit ROM word. Through asm: the compiler takes a pointer this close
 * to 0 for a null pointer's neighbour. */
static uint32_t rom_hword(uint32_t addr)
{
    uint32_t v;
    __asm__ volatile("ldrh %0, [%1]" : "=l"(v) : "l"(addr));
    return v;
}

static void port_reboot_to_bootloader(void *user)
{
    (void)user;
    uint32_t func_table = rom_hword(0x14u);
    uint32_t lookup_addr = rom_hword(0x18u);
    rom_lookup_fn lookup = (rom_lookup_fn)(uintptr_t)lookup_addr;
    rom_reset_usb_boot_fn reset_usb_boot =
        (rom_reset_usb_boot_fn)(uintptr_t)lookup((uint16_t *)(uintptr_t)func_table, 'U' | ('B' << 8));
    irq_save();
    reset_usb_boot(0, 0);
}

/* ---- interrupts ------------------------------------------------------------ */

RAMFUNC void isr_usbctrl(void);
void isr_usbctrl(void)
{
    usb_irq(&usb);
}

/* ---- main loop ---------------------------------------------------------------- */

static bool core_has_work(const struct fw *fw)
{
    return fw->rx_in != fw->rx_out || fw->status_pending;
}

int main(void)
{
    clocks_init();
    resets_cycle(RESET_IO_BANK0 | RESET_PADS_BANK0);
    flashid_serial(serial);
    us_base = timer_us();

    const struct fw_board *board = &board_table[0];
    struct fw_port port = {
        .now_ms = port_now_ms, .usb_send = port_usb_send,
        .panel_show = port_panel_show, .serial = port_serial,
        .reboot_to_bootloader = port_reboot_to_bootloader,
    };
    panel_hw_init(&panel, board);
    fw_init(&controller, board, &port);
    usb_init(&usb, &controller, serial, board->usb_vid, board->usb_pid);
    tick_start();
    watchdog_start(WATCHDOG_MS);

    for (;;) {
        watchdog_feed(WATCHDOG_MS);
        usb_task(&usb);
        fw_task(&controller);
        panel_hw_task(&panel);

        uint32_t irq = irq_save();
        if (!usb_has_work(&usb) && !core_has_work(&controller))
            __asm__ volatile("wfi");
        irq_restore(irq);
    }
}
