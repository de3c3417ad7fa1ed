/* The emulator's bootrom: the first words of the RP2040 ROM as the
 * datasheet describes them (2.8.1 boot sequence, 2.8.3 ROM tables), with
 * just enough behind them for the ledctl image:
 *
 *   0x00  initial SP, reset vector (stub_reset in stub_bootrom.c)
 *   0x10  'M' 'u' 0x01, version
 *   0x14  16-bit pointer to the function table, 0x16 to the data table
 *   0x18  16-bit pointer to the table lookup function
 *
 * The function table has one entry, 'U' 'B' reset_usb_boot, which stops
 * the emulator with BKPT 0xB0 so that a test sees the request arrive. The
 * real ROM cannot be shipped, and this one does only what the image may
 * ask of it. */
    .syntax unified
    .cpu cortex-m0plus
    .thumb

    .section .vectors, "ax"
    .word 0x20042000
    .word stub_reset
    .word stub_fault
    .word stub_fault
    .byte 'M', 'u', 0x01, 0x01
    .hword func_table
    .hword data_table
    .hword rom_lookup + 1           /* Thumb bit: R_ARM_ABS16 does not add it */

    .section .rodata
    .balign 2
func_table:
    .hword 'U' | ('B' << 8), rom_reset_usb_boot + 1
    .hword 0, 0
data_table:
    .hword 0, 0

    .text
    .global stub_fault
    .thumb_func
stub_fault:
    bkpt #0xfa
    b stub_fault

rom_reset_usb_boot:
    bkpt #0xb0
    b rom_reset_usb_boot
