/* rp2040 — the few RP2040 registers this image touches, from the RP2040
 * datasheet (chapter 2 for the system blocks, 4.1 for USBCTRL). Plain
 * addresses and bits, no structs: every access is visible at its use.
 *
 * Atomic aliases (datasheet 2.1.2): base + 0x1000 XOR, + 0x2000 SET,
 * + 0x3000 CLEAR, for the APB and AHB-lite peripherals (not SIO, not PPB). */
#ifndef RP2040_H
#define RP2040_H

#include <stdint.h>

#define REG(addr)       (*(volatile uint32_t *)(uintptr_t)(addr))
#define REG_SET(addr)   REG((addr) + 0x2000u)
#define REG_CLR(addr)   REG((addr) + 0x3000u)

/* Code that must not run from flash (interrupt handlers, the USB receive
 * path): the linker script copies .ramfunc into SRAM at start-up. */
#define RAMFUNC __attribute__((section(".ramfunc"), noinline))

/* ---- resets (2.14) ------------------------------------------------------ */
#define RESETS_BASE        0x4000c000u
#define RESETS_RESET       (RESETS_BASE + 0x0u)
#define RESETS_DONE        (RESETS_BASE + 0x8u)
#define RESET_DMA          (1u << 2)
#define RESET_IO_BANK0     (1u << 5)
#define RESET_PADS_BANK0   (1u << 8)
#define RESET_PIO0         (1u << 10)
#define RESET_PIO1         (1u << 11)
#define RESET_PLL_SYS      (1u << 12)
#define RESET_PLL_USB      (1u << 13)
#define RESET_TIMER        (1u << 21)
#define RESET_USBCTRL      (1u << 24)

/* ---- power-on state machine: what the watchdog resets (2.13) ------------ */
#define PSM_BASE           0x40010000u
#define PSM_WDSEL          (PSM_BASE + 0x8u)
#define PSM_WDSEL_ALL      0x0001ffffu
#define PSM_ROSC           (1u << 0)
#define PSM_XOSC           (1u << 1)

/* ---- crystal oscillator (2.16) ------------------------------------------ */
#define XOSC_BASE          0x40024000u
#define XOSC_CTRL          (XOSC_BASE + 0x00u)
#define XOSC_STATUS        (XOSC_BASE + 0x04u)
#define XOSC_STARTUP       (XOSC_BASE + 0x0cu)
#define XOSC_CTRL_1_15MHZ  0xaa0u
#define XOSC_CTRL_ENABLE   (0xfabu << 12)
#define XOSC_STATUS_STABLE (1u << 31)

/* ---- PLLs (2.18) --------------------------------------------------------- */
#define PLL_SYS_BASE       0x40028000u
#define PLL_USB_BASE       0x4002c000u
#define PLL_CS             0x0u
#define PLL_PWR            0x4u
#define PLL_FBDIV_INT      0x8u
#define PLL_PRIM           0xcu
#define PLL_CS_LOCK        (1u << 31)
#define PLL_PWR_PD         (1u << 0)
#define PLL_PWR_POSTDIVPD  (1u << 3)
#define PLL_PWR_VCOPD      (1u << 5)

/* ---- clock generators (2.15) --------------------------------------------- */
#define CLOCKS_BASE        0x40008000u
#define CLK_REF_CTRL       (CLOCKS_BASE + 0x30u)
#define CLK_REF_DIV        (CLOCKS_BASE + 0x34u)
#define CLK_REF_SELECTED   (CLOCKS_BASE + 0x38u)
#define CLK_SYS_CTRL       (CLOCKS_BASE + 0x3cu)
#define CLK_SYS_DIV        (CLOCKS_BASE + 0x40u)
#define CLK_SYS_SELECTED   (CLOCKS_BASE + 0x44u)
#define CLK_PERI_CTRL      (CLOCKS_BASE + 0x48u)
#define CLK_USB_CTRL       (CLOCKS_BASE + 0x54u)
#define CLK_USB_DIV        (CLOCKS_BASE + 0x58u)
#define CLK_ADC_CTRL       (CLOCKS_BASE + 0x60u)
#define CLK_ADC_DIV        (CLOCKS_BASE + 0x64u)
#define CLK_SYS_RESUS_CTRL (CLOCKS_BASE + 0x78u)
#define CLK_CTRL_ENABLE    (1u << 11)
#define CLK_REF_SRC_XOSC   0x2u
#define CLK_SYS_SRC_REF    0x0u
#define CLK_SYS_SRC_AUX    0x1u     /* AUXSRC 0: pll_sys */
#define CLK_DIV_1          (1u << 8)

/* ---- watchdog and its tick (4.7) ----------------------------------------- */
#define WATCHDOG_BASE      0x40058000u
#define WATCHDOG_CTRL      (WATCHDOG_BASE + 0x00u)
#define WATCHDOG_LOAD      (WATCHDOG_BASE + 0x04u)
#define WATCHDOG_REASON    (WATCHDOG_BASE + 0x08u)
#define WATCHDOG_TICK      (WATCHDOG_BASE + 0x2cu)
#define WATCHDOG_CTRL_ENABLE (1u << 30)
#define WATCHDOG_CTRL_PAUSE  (7u << 24)     /* while a debugger halts the core */
#define WATCHDOG_TICK_ENABLE (1u << 9)

/* ---- timer (4.6), 1 MHz from the watchdog tick --------------------------- */
#define TIMER_BASE         0x40054000u
#define TIMER_ALARM0       (TIMER_BASE + 0x10u)
#define TIMER_TIMERAWH     (TIMER_BASE + 0x24u)
#define TIMER_TIMERAWL     (TIMER_BASE + 0x28u)
#define TIMER_INTR         (TIMER_BASE + 0x34u)
#define TIMER_INTE         (TIMER_BASE + 0x38u)

/* ---- GPIO: IO bank 0 (2.19.6.1), pads (2.19.6.3), SIO (2.3.1) ------------- */
#define IO_BANK0_BASE      0x40014000u
#define IO_GPIO_CTRL(n)    (IO_BANK0_BASE + 8u * (n) + 4u)
#define PADS_BANK0_BASE    0x4001c000u
#define PADS_GPIO(n)       (PADS_BANK0_BASE + 4u + 4u * (n))
#define PADS_OD            (1u << 7)
#define PADS_IE            (1u << 6)
#define SIO_BASE           0xd0000000u
#define SIO_GPIO_IN        (SIO_BASE + 0x04u)
#define SIO_GPIO_OUT_SET   (SIO_BASE + 0x14u)
#define SIO_GPIO_OUT_CLR   (SIO_BASE + 0x18u)
#define SIO_GPIO_OE_SET    (SIO_BASE + 0x24u)
#define SIO_GPIO_OE_CLR    (SIO_BASE + 0x28u)
#define GPIO_FUNC_SIO      5u
#define GPIO_FUNC_PIO0     6u
#define GPIO_FUNC_PIO1     7u
#define GPIO_FUNC_NULL     31u

/* ---- flash interface: SSI (2.6.1.7) --------------------------------------- */
#define SSI_BASE           0x18000000u
#define SSI_CTRLR0         (SSI_BASE + 0x00u)
#define SSI_CTRLR1         (SSI_BASE + 0x04u)
#define SSI_SSIENR         (SSI_BASE + 0x08u)
#define SSI_SER            (SSI_BASE + 0x10u)
#define SSI_BAUDR          (SSI_BASE + 0x14u)
#define SSI_TXFLR          (SSI_BASE + 0x20u)
#define SSI_RXFLR          (SSI_BASE + 0x24u)
#define SSI_SR             (SSI_BASE + 0x28u)
#define SSI_DR0            (SSI_BASE + 0x60u)
#define SSI_SPI_CTRLR0     (SSI_BASE + 0xf4u)
#define SSI_SR_BUSY        (1u << 0)
#define SSI_SR_TFE         (1u << 2)

/* ---- USB controller (4.1) ------------------------------------------------- */
#define USBCTRL_DPRAM      0x50100000u
#define USBCTRL_REGS       0x50110000u
#define USB_ADDR_ENDP      (USBCTRL_REGS + 0x00u)
#define USB_MAIN_CTRL      (USBCTRL_REGS + 0x40u)
#define USB_SIE_CTRL       (USBCTRL_REGS + 0x4cu)
#define USB_SIE_STATUS     (USBCTRL_REGS + 0x50u)
#define USB_BUFF_STATUS    (USBCTRL_REGS + 0x58u)
#define USB_EP_STALL_ARM   (USBCTRL_REGS + 0x68u)
#define USB_MUXING         (USBCTRL_REGS + 0x74u)
#define USB_PWR            (USBCTRL_REGS + 0x78u)
#define USB_INTE           (USBCTRL_REGS + 0x90u)
#define USB_INTS           (USBCTRL_REGS + 0x98u)
#define USB_MAIN_CTRL_EN   (1u << 0)
#define USB_SIE_EP0_INT_1BUF (1u << 29)
#define USB_SIE_PULLUP_EN  (1u << 16)
#define USB_SIE_BUS_RESET  (1u << 19)
#define USB_SIE_SETUP_REC  (1u << 17)
#define USB_MUXING_TO_PHY  (1u << 0)
#define USB_MUXING_SOFTCON (1u << 3)
#define USB_PWR_VBUS_DETECT (1u << 2)
#define USB_PWR_VBUS_OVERRIDE_EN (1u << 3)
#define USB_INT_BUFF_STATUS (1u << 4)
#define USB_INT_BUS_RESET  (1u << 12)
#define USB_INT_SETUP_REQ  (1u << 16)
/* DPRAM layout in device mode: setup packet at 0, endpoint control
 * registers for EP1..15 at 8 * ep (IN) and 8 * ep + 4 (OUT), buffer
 * control at 0x80 + 8 * ep (IN) and + 4 (OUT), EP0's buffer at 0x100. */
#define USB_EP_CTRL(ep, out)  (USBCTRL_DPRAM + 8u * (ep) + ((out) ? 4u : 0u))
#define USB_BUF_CTRL(ep, out) (USBCTRL_DPRAM + 0x80u + 8u * (ep) + ((out) ? 4u : 0u))
#define USB_EP0_BUF        (USBCTRL_DPRAM + 0x100u)
#define USB_EP_ENABLE      (1u << 31)
#define USB_EP_INT_PER_BUF (1u << 29)
#define USB_EP_TYPE_BULK   (2u << 26)
#define USB_BUF_FULL       (1u << 15)
#define USB_BUF_LAST       (1u << 14)
#define USB_BUF_DATA1      (1u << 13)
#define USB_BUF_STALL      (1u << 11)
#define USB_BUF_AVAILABLE  (1u << 10)
#define USB_BUF_LEN_MASK   0x3ffu

/* ---- Cortex-M0+ system control (ARMv6-M) ---------------------------------- */
#define NVIC_ISER          0xe000e100u
#define NVIC_ICER          0xe000e180u
#define NVIC_ICPR          0xe000e280u
#define SCB_VTOR           0xe000ed08u
#define SCB_AIRCR          0xe000ed0cu
#define IRQ_TIMER0         0u
#define IRQ_USBCTRL        5u

static inline void irq_enable(unsigned irq)
{
    REG(NVIC_ICPR) = 1u << irq;
    REG(NVIC_ISER) = 1u << irq;
}

static inline uint32_t irq_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void irq_restore(uint32_t primask)
{
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* Resets then releases the blocks in mask, waiting until they are out. */
static inline void resets_cycle(uint32_t mask)
{
    REG_SET(RESETS_RESET) = mask;
    REG_CLR(RESETS_RESET) = mask;
    while ((REG(RESETS_DONE) & mask) != mask)
        ;
}

#endif
