/* pio_asm — PIO instructions as C constants, because Debian has no pioasm.
 *
 * Each macro gives one 16-bit instruction word as the RP2040 datasheet
 * (section 3.4) encodes it:
 *
 *   15..13 opcode   12..8 delay / side-set   7..0 operands
 *
 * The delay/side-set field is shared: with S side-set bits configured
 * (PINCTRL_SIDESET_COUNT, the enable bit included when EXECCTRL_SIDE_EN is
 * set), the top S bits are the side-set value and the remaining 5 - S bits
 * the delay. So a program states S once and wraps every instruction in
 * PIO_SD(S, side, delay):
 *
 *   #define S 1
 *   PIO_OUT(PIO_DST_PINS, 8) | PIO_SD(S, 0, 2)      out pins, 8  side 0 [2]
 *
 * tests/unit/test_pio_asm.c checks these against words pioasm produced for
 * published programs. */
#ifndef PIO_ASM_H
#define PIO_ASM_H

#include <stdint.h>

/* Side-set value `side` and delay `delay` for a program with `sbits`
 * side-set bits. The caller keeps delay < 2^(5 - sbits). */
#define PIO_SD(sbits, side, delay) \
    ((uint16_t)((((unsigned)(side) << (5u - (sbits))) | (unsigned)(delay)) << 8))
/* Delay only, for programs without side-set. */
#define PIO_DELAY(delay) ((uint16_t)((unsigned)(delay) << 8))
/* The delay bits of an instruction word with `sbits` side-set bits. */
#define PIO_DELAY_MASK(sbits) ((uint16_t)(((1u << (5u - (sbits))) - 1u) << 8))

/* JMP conditions */
#define PIO_COND_ALWAYS  0u
#define PIO_COND_NOT_X   1u     /* !X: X is zero */
#define PIO_COND_X_DEC   2u     /* X--: X non-zero, then decrement */
#define PIO_COND_NOT_Y   3u
#define PIO_COND_Y_DEC   4u
#define PIO_COND_X_NE_Y  5u
#define PIO_COND_PIN     6u
#define PIO_COND_NOT_OSRE 7u    /* output shift register not empty */

/* OUT destinations */
#define PIO_DST_PINS     0u
#define PIO_DST_X        1u
#define PIO_DST_Y        2u
#define PIO_DST_NULL     3u
#define PIO_DST_PINDIRS  4u
#define PIO_DST_PC       5u
#define PIO_DST_ISR      6u
#define PIO_DST_EXEC     7u

/* MOV destinations and sources (MOV has no NULL destination; 3 is reserved) */
#define PIO_MOV_PINS     0u
#define PIO_MOV_X        1u
#define PIO_MOV_Y        2u
#define PIO_MOV_NULL     3u     /* source only */
#define PIO_MOV_EXEC     4u     /* destination only */
#define PIO_MOV_PC       5u     /* destination only */
#define PIO_MOV_STATUS   5u     /* source only */
#define PIO_MOV_ISR      6u
#define PIO_MOV_OSR      7u

/* SET destinations */
#define PIO_SET_PINS     0u
#define PIO_SET_X        1u
#define PIO_SET_Y        2u
#define PIO_SET_PINDIRS  4u

/* WAIT sources */
#define PIO_WAIT_GPIO    0u
#define PIO_WAIT_PIN     1u
#define PIO_WAIT_IRQ     2u

/* IN sources */
#define PIO_SRC_PINS     0u
#define PIO_SRC_X        1u
#define PIO_SRC_Y        2u
#define PIO_SRC_NULL     3u
#define PIO_SRC_ISR      6u
#define PIO_SRC_OSR      7u

/* Bit counts of 32 are encoded as 0. */
#define PIO_BITS_(n) ((unsigned)(n) & 0x1fu)

#define PIO_JMP(cond, addr) ((uint16_t)(0x0000u | ((cond) << 5) | ((addr) & 0x1fu)))
#define PIO_WAIT(pol, src, index) \
    ((uint16_t)(0x2000u | ((unsigned)(pol) << 7) | ((src) << 5) | ((index) & 0x1fu)))
#define PIO_IN(src, bits)   ((uint16_t)(0x4000u | ((src) << 5) | PIO_BITS_(bits)))
#define PIO_OUT(dst, bits)  ((uint16_t)(0x6000u | ((dst) << 5) | PIO_BITS_(bits)))
/* PUSH iffull block / PULL ifempty block */
#define PIO_PUSH(iffull, block) \
    ((uint16_t)(0x8000u | ((unsigned)(iffull) << 6) | ((unsigned)(block) << 5)))
#define PIO_PULL(ifempty, block) \
    ((uint16_t)(0x8080u | ((unsigned)(ifempty) << 6) | ((unsigned)(block) << 5)))
/* MOV dst, op src; op 0 plain, 1 invert (!), 2 bit-reverse (::) */
#define PIO_MOV(dst, op, src) \
    ((uint16_t)(0xa000u | ((dst) << 5) | ((unsigned)(op) << 3) | (src)))
#define PIO_NOP PIO_MOV(PIO_MOV_Y, 0u, PIO_MOV_Y)
/* IRQ set (clear 0, wait 0), IRQ wait (set, then wait for it to clear),
 * IRQ clear. index 0..7, + 0x10 for "rel". */
#define PIO_IRQ(clear, wait, index) \
    ((uint16_t)(0xc000u | ((unsigned)(clear) << 6) | ((unsigned)(wait) << 5) | ((index) & 0x1fu)))
#define PIO_SET(dst, value) ((uint16_t)(0xe000u | ((dst) << 5) | ((value) & 0x1fu)))

#endif
