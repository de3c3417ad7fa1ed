/* memcpy and memset for the image, in SRAM, so that the code that must
 * not wait for flash (ramcheck.sh) may use them. They replace newlib's.
 * Word-at-a-time when both sides are aligned: the bit-plane builder
 * clears whole planes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rp2040.h"

RAMFUNC void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

RAMFUNC void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    uint32_t w = (uint8_t)c * 0x01010101u;
    while (n && ((uintptr_t)d & 3u)) {
        *d++ = (uint8_t)c;
        n--;
    }
    for (; n >= 4; n -= 4, d += 4)
        *(uint32_t *)(void *)d = w;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}
