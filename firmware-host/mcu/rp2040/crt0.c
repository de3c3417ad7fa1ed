/* crt0 — the application's vector table and reset handler.
 *
 * boot2 sets VTOR to this table (at 0x10000100, right after boot2) and
 * jumps to reset_handler, which copies initialised data and the code that
 * must run from SRAM (.ramfunc: interrupt handlers, the USB receive path,
 * the bit-plane builder) out of flash, clears .bss and calls main.
 *
 * Every interrupt handler is a weak alias of default_handler; a file that
 * defines isr_NAME takes that vector. An unexpected exception parks the
 * core, and the watchdog then resets the chip. */
#include <stdint.h>

#include "rp2040.h"

extern uint32_t __data_load, __data_start, __data_end;
extern uint32_t __ramfunc_load, __ramfunc_start, __ramfunc_end;
extern uint32_t __bss_start, __bss_end, __stack_top;

int main(void);
void reset_handler(void);

RAMFUNC void default_handler(void);
void default_handler(void)
{
    for (;;)
        __asm__ volatile("wfi");
}

#define WEAK_ISR(name) void name(void) __attribute__((weak, alias("default_handler")))
WEAK_ISR(isr_nmi);
WEAK_ISR(isr_hardfault);
WEAK_ISR(isr_svcall);
WEAK_ISR(isr_pendsv);
WEAK_ISR(isr_systick);
WEAK_ISR(isr_timer0);
WEAK_ISR(isr_timer1);
WEAK_ISR(isr_timer2);
WEAK_ISR(isr_timer3);
WEAK_ISR(isr_pwm);
WEAK_ISR(isr_usbctrl);
WEAK_ISR(isr_xip);
WEAK_ISR(isr_pio0_0);
WEAK_ISR(isr_pio0_1);
WEAK_ISR(isr_pio1_0);
WEAK_ISR(isr_pio1_1);
WEAK_ISR(isr_dma0);
WEAK_ISR(isr_dma1);
WEAK_ISR(isr_io_bank0);

__attribute__((section(".vectors"), used))
static void (*const vectors[48])(void) = {
    (void (*)(void))&__stack_top, reset_handler, isr_nmi, isr_hardfault,
    0, 0, 0, 0, 0, 0, 0, isr_svcall, 0, 0, isr_pendsv, isr_systick,
    /* external interrupts 0..31 (datasheet 2.3.2) */
    isr_timer0, isr_timer1, isr_timer2, isr_timer3, isr_pwm, isr_usbctrl, isr_xip,
    isr_pio0_0, isr_pio0_1, isr_pio1_0, isr_pio1_1, isr_dma0, isr_dma1, isr_io_bank0,
    default_handler, default_handler, default_handler, default_handler, default_handler,
    default_handler, default_handler, default_handler, default_handler, default_handler,
    default_handler, default_handler, default_handler, default_handler, default_handler,
    default_handler, default_handler, default_handler,
};

static void copy_words(uint32_t *dst, const uint32_t *src, const uint32_t *end)
{
    while (dst < end)
        *dst++ = *src++;
}

void reset_handler(void)
{
    copy_words(&__data_start, &__data_load, &__data_end);
    copy_words(&__ramfunc_start, &__ramfunc_load, &__ramfunc_end);
    for (uint32_t *p = &__bss_start; p < &__bss_end; p++)
        *p = 0;
    main();
    for (;;)
        ;
}
