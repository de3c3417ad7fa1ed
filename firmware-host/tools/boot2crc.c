/* boot2crc — makes a raw boot2 stage bootable: pads it to 252 bytes and
 * appends the CRC the RP2040 bootrom checks before running it.
 *
 *   boot2crc IN.bin OUT.bin
 *
 * CRC-32/MPEG-2: polynomial 0x04c11db7, init 0xffffffff, not reflected,
 * no final xor, stored little-endian in bytes 252..255. Check value of
 * "123456789": 0x0376e6e7. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BOOT2_BODY 252u

static uint32_t crc32_mpeg2(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    while (n--) {
        crc ^= (uint32_t)*p++ << 24;
        for (int b = 0; b < 8; b++)
            crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--check") == 0) {
        uint32_t c = crc32_mpeg2((const uint8_t *)"123456789", 9);
        printf("%08x\n", (unsigned)c);
        return c == 0x0376e6e7u ? 0 : 1;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: boot2crc IN.bin OUT.bin\n");
        return 2;
    }
    uint8_t buf[BOOT2_BODY + 4];
    memset(buf, 0, sizeof buf);
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    size_t n = fread(buf, 1, sizeof buf, in);
    int more = fgetc(in) != EOF;
    fclose(in);
    if (n > BOOT2_BODY || more) {
        fprintf(stderr, "boot2crc: %s: boot2 is longer than %u bytes\n", argv[1], BOOT2_BODY);
        return 1;
    }
    uint32_t crc = crc32_mpeg2(buf, BOOT2_BODY);
    for (int i = 0; i < 4; i++)
        buf[BOOT2_BODY + i] = (uint8_t)(crc >> (8 * i));
    FILE *out = fopen(argv[2], "wb");
    if (!out || fwrite(buf, 1, sizeof buf, out) != sizeof buf || fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
