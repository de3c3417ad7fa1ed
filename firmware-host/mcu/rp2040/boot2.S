/* boot2 — the second boot stage, for any SPI NOR flash chip.
 *
 * The RP2040 bootrom copies the first 256 bytes of flash to SRAM at
 * 0x20041f00 and runs them when the CRC-32/MPEG-2 of bytes 0..251 matches
 * bytes 252..255 (firmware-host/tools/boot2crc.c writes it). This stage sets
 * the SSI up for execute-in-place with the standard READ DATA command (03h,
 * 1-bit, 24-bit address, no dummy cycles), which every SPI NOR chip
 * understands, at clk_sys / 4 (within 03h's usual 33-50 MHz limit even
 * once clk_sys runs at 125 MHz). Then it enters the application through its
 * vector table at 0x10000100: VTOR, stack pointer, reset handler.
 *
 * Datasheet 4.10.13 (SSI registers) and 2.8.1 (boot sequence). */
    .syntax unified
    .cpu cortex-m0plus
    .thumb

    .equ SSI_BASE,      0x18000000
    .equ SSI_CTRLR0,    0x00
    .equ SSI_CTRLR1,    0x04
    .equ SSI_SSIENR,    0x08
    .equ SSI_BAUDR,     0x14
    .equ SSI_SPI_CTRLR0, 0xf4
    /* CTRLR0: SPI_FRF standard (0), DFS_32 = 31 (32-bit frames),
     * TMOD = 3 (EEPROM read: command + address out, data in). */
    .equ CTRLR0_XIP,    (31 << 16) | (3 << 8)
    /* SPI_CTRLR0: XIP_CMD 03h, INST_L 8 bits (2), ADDR_L 24 bits (6 nibbles),
     * WAIT_CYCLES 0, TRANS_TYPE 0 (command and address both 1-bit). */
    .equ SPI_CTRLR0_XIP, (0x03 << 24) | (2 << 8) | (6 << 2)
    .equ CLKDIV,        4
    .equ APP_VECTORS,   0x10000100
    .equ SCB_VTOR,      0xe000ed08

    .section .text.boot2, "ax"
    .global boot2_entry
    .type boot2_entry, %function
    .thumb_func
boot2_entry:
    ldr r3, =SSI_BASE
    movs r1, #0
    str r1, [r3, #SSI_SSIENR]       /* registers are writable only while disabled */
    movs r1, #CLKDIV
    str r1, [r3, #SSI_BAUDR]
    ldr r1, =CTRLR0_XIP
    str r1, [r3, #SSI_CTRLR0]
    movs r1, #0
    str r1, [r3, #SSI_CTRLR1]       /* NDF 0: one 32-bit frame per XIP access */
    ldr r1, =SPI_CTRLR0_XIP
    ldr r0, =SSI_SPI_CTRLR0
    str r1, [r3, r0]
    movs r1, #1
    str r1, [r3, #SSI_SSIENR]       /* XIP is live from here */

    ldr r0, =APP_VECTORS
    ldr r1, =SCB_VTOR
    str r0, [r1]
    ldmia r0, {r0, r1}              /* initial SP, reset handler */
    msr msp, r0
    bx r1
    .ltorg
