#include "cli/uf2image.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UF2_BLOCK       512u
#define UF2_MAGIC0      0x0A324655u
#define UF2_MAGIC1      0x9E5D5157u
#define UF2_MAGIC_END   0x0AB16F30u
#define UF2_FLAG_FAMILY 0x00002000u
#define RP2040_FAMILY   0xe48bff56u
#define FLASH_BASE      0x10000000u
#define FLASH_MAX       (16u * 1024u * 1024u)
#define MAX_FILE        (8u * 1024u * 1024u)
#define TAG             "ledctl-image "

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One block: its problem, or NULL. */
static const char *block_problem(const uint8_t *b, size_t i, size_t n)
{
    if (get32(b) != UF2_MAGIC0 || get32(b + 4) != UF2_MAGIC1 || get32(b + 508) != UF2_MAGIC_END)
        return "not a UF2 block (magic numbers)";
    if (!(get32(b + 8) & UF2_FLAG_FAMILY) || get32(b + 28) != RP2040_FAMILY)
        return "not for the RP2040 (family ID)";
    if (get32(b + 16) == 0 || get32(b + 16) > 476)
        return "payload size out of range";
    if (get32(b + 20) != i || get32(b + 24) != n)
        return "block number or count does not match its place in the file";
    uint32_t addr = get32(b + 12);
    if (addr < FLASH_BASE || addr - FLASH_BASE + get32(b + 16) > FLASH_MAX)
        return "target address outside the flash";
    return NULL;
}

/* The tag, in the payloads laid end to end (it may cross a block). */
static void find_tag(struct uf2image *img, const uint8_t *data, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += get32(data + i * UF2_BLOCK + 16);
    char *flat = malloc(total + 1);
    if (!flat)
        return;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t len = get32(data + i * UF2_BLOCK + 16);
        memcpy(flat + off, data + i * UF2_BLOCK + 32, len);
        off += len;
    }
    flat[total] = '\0';
    for (size_t i = 0; i + sizeof TAG < total; i++) {
        if (memcmp(flat + i, TAG, sizeof TAG - 1) == 0) {
            sscanf(flat + i + sizeof TAG - 1, "%15s %31s", img->version, img->board);
            break;
        }
    }
    free(flat);
}

int uf2image_load(struct uf2image *img, const char *path, const struct diag *d)
{
    memset(img, 0, sizeof *img);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    uint8_t *data = malloc(MAX_FILE + 1);
    size_t len = data ? fread(data, 1, MAX_FILE + 1, f) : 0;
    fclose(f);
    int rc = -1;
    if (!data)
        diag_error(d, "%s: out of memory", path);
    else if (len == 0 || len % UF2_BLOCK || len > MAX_FILE)
        diag_error(d, "%s: %zu bytes is not a UF2 file (whole 512-byte blocks, at most 8 MiB)", path, len);
    else {
        size_t n = len / UF2_BLOCK;
        rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            const char *why = block_problem(data + i * UF2_BLOCK, i, n);
            if (why) {
                diag_error(d, "%s: block %zu: %s", path, i, why);
                rc = -1;
            }
        }
        if (rc == 0) {
            img->blocks = n;
            find_tag(img, data, n);
        }
    }
    free(data);
    return rc;
}
