/* The stub bootrom's flash boot, what the real ROM does before it runs
 * code from flash: copy the first 256 bytes of flash (boot2) to SRAM at
 * 0x20041f00, check the CRC-32/MPEG-2 of bytes 0..251 against bytes
 * 252..255, and run it. A bad CRC stops the emulator with BKPT 0xBC (the
 * real ROM would fall back to USB boot). The emulator maps flash without
 * the SSI, so the copy reads it directly. */
#include <stdint.h>

#define BOOT2_FLASH ((const volatile uint8_t *)0x10000000u)
#define BOOT2_SRAM  ((volatile uint8_t *)0x20041f00u)

void stub_reset(void);
void *rom_lookup(const uint16_t *table, uint32_t code);

static uint32_t crc32_mpeg2(const volatile uint8_t *p, uint32_t n)
{
    uint32_t crc = 0xffffffffu;
    while (n--) {
        crc ^= (uint32_t)*p++ << 24;
        for (int b = 0; b < 8; b++)
            crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

/* rom_table_lookup(table, code): the entry point for code, or 0. */
void *rom_lookup(const uint16_t *table, uint32_t code)
{
    for (; table[0]; table += 2)
        if (table[0] == code)
            return (void *)(uintptr_t)table[1];
    return 0;
}

void stub_reset(void)
{
    for (uint32_t i = 0; i < 256; i++)
        BOOT2_SRAM[i] = BOOT2_FLASH[i];
    uint32_t stored = BOOT2_SRAM[252] | (uint32_t)BOOT2_SRAM[253] << 8 |
                      (uint32_t)BOOT2_SRAM[254] << 16 | (uint32_t)BOOT2_SRAM[255] << 24;
    if (crc32_mpeg2(BOOT2_SRAM, 252) == stored) {
        void (*boot2)(void) = (void (*)(void))(0x20041f00u | 1u);
        boot2();
    }
    for (;;)
        __asm__ volatile("bkpt #0xbc");
}
