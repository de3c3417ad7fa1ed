/* Clock set-up as the datasheet describes it (2.15, 2.16, 2.18): the
 * crystal first, the system clock parked on clk_ref while the PLLs are
 * reset and locked, then every generator switched to its final source. */
#include "clocks.h"

#include "rp2040.h"

#define XOSC_MHZ 12u
/* XOSC start-up delay in units of 256 cycles: ~1 ms at 12 MHz. */
#define XOSC_STARTUP_DELAY ((XOSC_MHZ * 1000u + 128u) / 256u)

static void pll_start(uint32_t base, uint32_t reset_bit, uint32_t fbdiv, uint32_t postdiv1,
                      uint32_t postdiv2)
{
    resets_cycle(reset_bit);
    REG(base + PLL_CS) = 1;                 /* REFDIV 1: 12 MHz reference */
    REG(base + PLL_FBDIV_INT) = fbdiv;
    REG_CLR(base + PLL_PWR) = PLL_PWR_PD | PLL_PWR_VCOPD;
    while (!(REG(base + PLL_CS) & PLL_CS_LOCK))
        ;
    REG(base + PLL_PRIM) = (postdiv1 << 16) | (postdiv2 << 12);
    REG_CLR(base + PLL_PWR) = PLL_PWR_POSTDIVPD;
}

/* An auxiliary-only generator (clk_usb, clk_adc, clk_peri): stop it, set
 * the divider and source, start it. */
static void aux_clock(uint32_t ctrl, uint32_t div, uint32_t auxsrc)
{
    REG(ctrl) = 0;
    if (div)
        REG(div) = CLK_DIV_1;
    REG(ctrl) = CLK_CTRL_ENABLE | (auxsrc << 5);
}

void clocks_init(void)
{
    REG(CLK_SYS_RESUS_CTRL) = 0;

    REG(XOSC_STARTUP) = XOSC_STARTUP_DELAY;
    REG(XOSC_CTRL) = XOSC_CTRL_1_15MHZ | XOSC_CTRL_ENABLE;
    while (!(REG(XOSC_STATUS) & XOSC_STATUS_STABLE))
        ;

    /* clk_sys off the PLL (it may be running from a previous boot), clk_ref on the crystal. */
    REG_CLR(CLK_SYS_CTRL) = CLK_SYS_SRC_AUX;
    while (REG(CLK_SYS_SELECTED) != 1u)
        ;
    REG(CLK_REF_CTRL) = CLK_REF_SRC_XOSC;
    while (REG(CLK_REF_SELECTED) != (1u << CLK_REF_SRC_XOSC))
        ;
    REG(CLK_REF_DIV) = CLK_DIV_1;

    pll_start(PLL_SYS_BASE, RESET_PLL_SYS, 125, 6, 2);     /* 12 * 125 = 1500 MHz / 12 = 125 MHz */
    pll_start(PLL_USB_BASE, RESET_PLL_USB, 100, 5, 5);     /* 12 * 100 = 1200 MHz / 25 = 48 MHz */

    REG(CLK_SYS_DIV) = CLK_DIV_1;
    REG(CLK_SYS_CTRL) = CLK_SYS_SRC_REF;                   /* AUXSRC 0: pll_sys */
    REG(CLK_SYS_CTRL) = CLK_SYS_SRC_AUX;
    while (REG(CLK_SYS_SELECTED) != (1u << CLK_SYS_SRC_AUX))
        ;

    aux_clock(CLK_USB_CTRL, CLK_USB_DIV, 0);                /* pll_usb */
    aux_clock(CLK_ADC_CTRL, CLK_ADC_DIV, 0);                /* pll_usb */
    aux_clock(CLK_PERI_CTRL, 0, 0);                         /* clk_sys */

    /* The timer and the watchdog count the 1 MHz tick: clk_ref / 12. */
    REG(WATCHDOG_TICK) = WATCHDOG_TICK_ENABLE | XOSC_MHZ;
    resets_cycle(RESET_TIMER);
}

uint32_t timer_us(void)
{
    return REG(TIMER_TIMERAWL);
}

RAMFUNC void isr_timer0(void);
void isr_timer0(void)
{
    REG(TIMER_INTR) = 1u;
    REG(TIMER_ALARM0) = REG(TIMER_TIMERAWL) + 1000u;
}

void tick_start(void)
{
    REG(TIMER_INTE) = 1u;
    REG(TIMER_ALARM0) = REG(TIMER_TIMERAWL) + 1000u;
    irq_enable(IRQ_TIMER0);
}

void watchdog_start(uint32_t timeout_ms)
{
    REG(PSM_WDSEL) = PSM_WDSEL_ALL & ~(PSM_ROSC | PSM_XOSC);
    watchdog_feed(timeout_ms);
    REG(WATCHDOG_CTRL) = WATCHDOG_CTRL_ENABLE | WATCHDOG_CTRL_PAUSE;
}

void watchdog_feed(uint32_t timeout_ms)
{
    /* Erratum RP2040-E1: the counter goes down twice per tick. */
    REG(WATCHDOG_LOAD) = timeout_ms * 1000u * 2u;
}
