/* utf8 — the one UTF-8 decoder: untrusted UTF-8 into clean code points for
 * shaping, and the validity check the INI reader and summary files use.
 *
 * Repairs instead of refusing: an invalid or truncated sequence, an overlong
 * form, a surrogate or a value above U+10FFFF becomes U+FFFD. Control
 * characters (C0, DEL, C1) are dropped, except that a newline becomes a
 * space, so a hard-wrapped paragraph reads as one line. */
#ifndef LEDTICKER_UTF8_H
#define LEDTICKER_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes `len` bytes of `s` into a newly allocated array of code points
 * (*out, *count; the caller frees *out; *out is NULL when *count is 0).
 * Emits at most one warning through `d` for invalid bytes, giving the byte
 * offset of the first one and how many were repaired.
 * Returns 0, or -1 when out of memory. */
int utf8_decode_clean(const char *s, size_t len, uint32_t **out, size_t *count,
                      const struct diag *d);

/* Checks that `s` is UTF-8 text; returns the byte offset of the first
 * invalid byte, or `len` when all is well. Invalid, as in utf8_decode_one:
 * overlong forms, surrogates, values above U+10FFFF, truncated sequences;
 * and NUL too, which no text file holds (a C string would end there). */
size_t utf8_check(const char *s, size_t len);

/* Decodes one sequence at s[0..len); stores the code point (U+FFFD when
 * invalid) and returns how many bytes it used (>= 1 when len >= 1). */
size_t utf8_decode_one(const unsigned char *s, size_t len, uint32_t *cp, int *valid);

#endif
