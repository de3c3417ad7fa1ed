/* pio_dma — the PIO (datasheet 3.7) and DMA (2.5.7) registers the panel
 * output uses. Plain addresses and bits, like rp2040.h. */
#ifndef RP2040_PIO_DMA_H
#define RP2040_PIO_DMA_H

/* ---- PIO0 ------------------------------------------------------------------ */
#define PIO0_BASE            0x50200000u
#define PIO_CTRL             (PIO0_BASE + 0x000u)
#define PIO_FDEBUG           (PIO0_BASE + 0x008u)
#define PIO_TXF(sm)          (PIO0_BASE + 0x010u + 4u * (sm))
#define PIO_IRQ_FLAGS        (PIO0_BASE + 0x030u)
#define PIO_INSTR_MEM(i)     (PIO0_BASE + 0x048u + 4u * (i))
#define PIO_SM_CLKDIV(sm)    (PIO0_BASE + 0x0c8u + 0x18u * (sm))
#define PIO_SM_EXECCTRL(sm)  (PIO0_BASE + 0x0ccu + 0x18u * (sm))
#define PIO_SM_SHIFTCTRL(sm) (PIO0_BASE + 0x0d0u + 0x18u * (sm))
#define PIO_SM_ADDR(sm)      (PIO0_BASE + 0x0d4u + 0x18u * (sm))
#define PIO_SM_INSTR(sm)     (PIO0_BASE + 0x0d8u + 0x18u * (sm))
#define PIO_SM_PINCTRL(sm)   (PIO0_BASE + 0x0dcu + 0x18u * (sm))

#define PIO_CTRL_SM_ENABLE(mask)   ((mask) & 0xfu)
#define PIO_CTRL_SM_RESTART(mask)  (((mask) & 0xfu) << 4)
#define PIO_CTRL_CLKDIV_RESTART(mask) (((mask) & 0xfu) << 8)

#define PIO_CLKDIV_INT(n)          ((uint32_t)(n) << 16)
#define PIO_EXEC_WRAP_TOP(a)       ((uint32_t)(a) << 12)
#define PIO_EXEC_WRAP_BOTTOM(a)    ((uint32_t)(a) << 7)
#define PIO_SHIFT_FJOIN_TX         (1u << 30)
#define PIO_SHIFT_PULL_THRESH(n)   ((uint32_t)((n) & 0x1fu) << 25)  /* 0 = 32 */
#define PIO_SHIFT_OUT_RIGHT        (1u << 19)
#define PIO_SHIFT_AUTOPULL         (1u << 17)
#define PIO_PIN_SIDESET_COUNT(n)   ((uint32_t)(n) << 29)
#define PIO_PIN_SET_COUNT(n)       ((uint32_t)(n) << 26)
#define PIO_PIN_OUT_COUNT(n)       ((uint32_t)(n) << 20)
#define PIO_PIN_SIDESET_BASE(p)    ((uint32_t)(p) << 10)
#define PIO_PIN_SET_BASE(p)        ((uint32_t)(p) << 5)
#define PIO_PIN_OUT_BASE(p)        ((uint32_t)(p) << 0)

/* ---- DMA ------------------------------------------------------------------- */
#define DMA_BASE             0x50000000u
#define DMA_READ_ADDR(ch)    (DMA_BASE + 0x40u * (ch) + 0x00u)
#define DMA_WRITE_ADDR(ch)   (DMA_BASE + 0x40u * (ch) + 0x04u)
#define DMA_TRANS_COUNT(ch)  (DMA_BASE + 0x40u * (ch) + 0x08u)
#define DMA_AL1_CTRL(ch)     (DMA_BASE + 0x40u * (ch) + 0x10u)  /* no trigger */
#define DMA_AL3_READ_ADDR_TRIG(ch) (DMA_BASE + 0x40u * (ch) + 0x3cu)
#define DMA_MULTI_CHAN_TRIGGER (DMA_BASE + 0x430u)
#define DMA_CHAN_ABORT       (DMA_BASE + 0x444u)

#define DMA_CTRL_EN          (1u << 0)
#define DMA_CTRL_SIZE_WORD   (2u << 2)
#define DMA_CTRL_INCR_READ   (1u << 4)
#define DMA_CTRL_CHAIN_TO(ch) ((uint32_t)(ch) << 11)
#define DMA_CTRL_TREQ(n)     ((uint32_t)(n) << 15)
#define DMA_CTRL_BSWAP       (1u << 22)
#define DMA_CTRL_BUSY        (1u << 24)
#define DMA_TREQ_PIO0_TX(sm) (sm)
#define DMA_TREQ_PERMANENT   0x3fu

#define GPIO_OUTOVER_INVERT  (1u << 8)
#define PADS_DRIVE_12MA      (3u << 4)
#define PADS_SLEWFAST        (1u << 0)

#endif
