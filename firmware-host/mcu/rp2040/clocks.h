/* clocks — the RP2040's clock tree, timer tick and watchdog. */
#ifndef RP2040_CLOCKS_H
#define RP2040_CLOCKS_H

#include <stdint.h>

#define CLK_SYS_HZ 125000000u
#define CLK_USB_HZ 48000000u

/* XOSC (12 MHz) -> clk_ref; PLL_SYS 125 MHz -> clk_sys and clk_peri;
 * PLL_USB 48 MHz -> clk_usb and clk_adc; the 1 MHz tick for the timer
 * and watchdog from clk_ref. */
void clocks_init(void);

/* Microseconds since boot (the 64-bit timer's low word). */
uint32_t timer_us(void);

/* A 1 ms periodic interrupt on timer alarm 0, which wakes the main loop
 * from WFI so that time-based work (host silence, idle STATUS) goes on. */
void tick_start(void);

/* The watchdog resets the whole chip (all but the oscillators) unless
 * watchdog_feed comes within timeout_ms (the same value each time). */
void watchdog_start(uint32_t timeout_ms);
void watchdog_feed(uint32_t timeout_ms);

#endif
