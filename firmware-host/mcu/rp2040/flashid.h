/* flashid — the flash chip's 64-bit unique ID, the controller's serial. */
#ifndef RP2040_FLASHID_H
#define RP2040_FLASHID_H

#include <stdint.h>

/* Reads the ID with the Read Unique ID command (4Bh: 4 dummy bytes, then
 * 8 ID bytes) and writes it as 16 upper-case hex digits and a NUL, first
 * byte first. Call once at start-up, before interrupts are enabled. */
void flashid_serial(char out[17]);

#endif
