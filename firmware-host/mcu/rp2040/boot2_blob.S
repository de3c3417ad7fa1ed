/* The checksummed boot2 (build/firmware/boot2.bin, made by boot2crc) at
 * the very start of flash, where the bootrom looks for it. */
    .section .boot2, "a"
    .incbin "boot2.bin"
