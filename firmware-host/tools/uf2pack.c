/* uf2pack — packs a flat flash image into UF2 for the RP2040's ROM drive.
 *
 *   uf2pack IMAGE.bin OUT.uf2 [BASE]       (BASE default 0x10000000)
 *
 * UF2 (https://github.com/microsoft/uf2): 512-byte blocks, each with
 * magic 0x0A324655 and 0x9E5D5157 at the start and 0x0AB16F30 at the end,
 * flags 0x2000 (family ID present) with the RP2040 family 0xe48bff56, the
 * target address, 256 payload bytes at offset 32, the block number and
 * count. The ROM writes flash a 256-byte page per block. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UF2_MAGIC0      0x0A324655u
#define UF2_MAGIC1      0x9E5D5157u
#define UF2_MAGIC_END   0x0AB16F30u
#define UF2_FLAG_FAMILY 0x00002000u
#define RP2040_FAMILY   0xe48bff56u
#define PAYLOAD         256u
#define MAX_IMAGE       (2u * 1024u * 1024u)

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: uf2pack IMAGE.bin OUT.uf2 [BASE]\n");
        return 2;
    }
    uint32_t base = argc == 4 ? (uint32_t)strtoul(argv[3], NULL, 0) : 0x10000000u;
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    static uint8_t image[MAX_IMAGE + 1];
    size_t n = fread(image, 1, sizeof image, in);
    fclose(in);
    if (n == 0 || n > MAX_IMAGE) {
        fprintf(stderr, "uf2pack: %s: image is %s\n", argv[1], n ? "larger than 2 MiB" : "empty");
        return 1;
    }
    uint32_t blocks = (uint32_t)((n + PAYLOAD - 1) / PAYLOAD);
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    for (uint32_t b = 0; b < blocks; b++) {
        uint8_t blk[512];
        memset(blk, 0, sizeof blk);
        put32(blk + 0, UF2_MAGIC0);
        put32(blk + 4, UF2_MAGIC1);
        put32(blk + 8, UF2_FLAG_FAMILY);
        put32(blk + 12, base + b * PAYLOAD);
        put32(blk + 16, PAYLOAD);
        put32(blk + 20, b);
        put32(blk + 24, blocks);
        put32(blk + 28, RP2040_FAMILY);
        size_t off = (size_t)b * PAYLOAD, len = n - off < PAYLOAD ? n - off : PAYLOAD;
        memcpy(blk + 32, image + off, len);
        put32(blk + 508, UF2_MAGIC_END);
        if (fwrite(blk, 1, sizeof blk, out) != sizeof blk) {
            perror(argv[2]);
            fclose(out);
            return 1;
        }
    }
    if (fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
