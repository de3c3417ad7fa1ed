#include "util/utf8.h"

#include <stdlib.h>

size_t utf8_decode_one(const unsigned char *s, size_t len, uint32_t *cp, int *valid)
{
    unsigned char c = s[0];
    size_t need;
    uint32_t v, min;

    *valid = 0;
    *cp = UTF8_REPLACEMENT;
    if (c < 0x80) {
        *cp = c;
        *valid = 1;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, v = c & 0x07, min = 0x10000;
    } else {
        return 1;               /* stray continuation byte, C0/C1 lead, F5..FF */
    }
    /* A truncated sequence is replaced by one U+FFFD and decoding resumes at
     * the first byte that is not a continuation byte (the WHATWG way), so a
     * cut-off character never swallows the next valid one. */
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len || (s[i] & 0xC0) != 0x80)
            return i;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return i;
    *cp = v;
    *valid = 1;
    return i;
}

size_t utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int valid;
        size_t used = utf8_decode_one(p + i, len - i, &cp, &valid);
        if (!valid || cp == 0)
            return i;
        i += used;
    }
    return len;
}

static int is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

int utf8_decode_clean(const char *s, size_t len, uint32_t **out, size_t *count,
                      const struct diag *d)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t *cps = NULL;
    size_t n = 0, bad = 0, first_bad = 0;

    *out = NULL;
    *count = 0;
    if (len) {
        /* A code point needs at least one byte, so len bounds the count. */
        cps = malloc(len * sizeof *cps);
        if (!cps)
            return -1;
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int valid;
        size_t used = utf8_decode_one(p + i, len - i, &cp, &valid);
        if (!valid && bad++ == 0)
            first_bad = i;
        i += used;
        if (cp == '\n')
            cp = ' ';
        else if (is_control(cp))
            continue;
        cps[n++] = cp;
    }
    if (bad)
        diag_warn(d, "invalid UTF-8 at byte offset %zu replaced by U+FFFD"
                  " (%zu invalid sequence%s in all)", first_bad, bad, bad == 1 ? "" : "s");
    if (!n) {
        free(cps);
        cps = NULL;
    }
    *out = cps;
    *count = n;
    return 0;
}
