/* fontchain — which fonts to try, in order, and where fontconfig finds them.
 *
 * A chain is a list of family names, each optionally limited to a range of
 * pixel sizes. The chain file (fonts/default.chain) has one entry a line:
 *
 *     # comment
 *     WenQuanYi Zen Hei Sharp 12-16     only at 12..16 px (its bitmap strikes)
 *     Noto Sans CJK SC                  any size
 *
 * A trailing token of the form N-M, N- or -M is the range; everything
 * before it is the family name. Fonts are looked up by name through the
 * project's own fontconfig configuration (fonts/fonts.conf), never by path. */
#ifndef LEDTICKER_FONTCHAIN_H
#define LEDTICKER_FONTCHAIN_H

#include <stddef.h>

#include "util/diag.h"

struct fontchain_entry {
    char *family;
    int min_px, max_px;     /* inclusive; 0 and 0 for any size */
};

/* A parsed chain. Plain data; fontchain_release frees what it points to. */
struct fontchain {
    struct fontchain_entry *entries;
    size_t count;
};

/* The resolved font for one entry at one size. */
struct fontchain_font {
    char *file;             /* as fontconfig reports it */
    int index;              /* face index inside a collection */
    char *family;           /* the family asked for */
    char *matched;          /* the family fontconfig matched */
};

/* Parses chain text (`name` is used in messages as FILE:LINE). Returns 0, or
 * -1 with an error through `d` for a malformed line or when out of memory. */
int fontchain_parse(const char *text, size_t len, const char *name,
                    struct fontchain *out, const struct diag *d);

/* Reads and parses a chain file. Returns 0 or -1 (message through `d`). */
int fontchain_load_file(const char *path, struct fontchain *out, const struct diag *d);

/* Parses "FAMILY[,FALLBACK...]" as given on a command line; no ranges. */
int fontchain_from_list(const char *families, struct fontchain *out, const struct diag *d);

void fontchain_release(struct fontchain *c);

/* Resolves every entry that applies at `px` through fontconfig, loading the
 * configuration file `conf_path` (fonts/fonts.conf). An unknown family gets
 * a warning naming it and what fontconfig matched instead, and the match is
 * used. Non-scalable fonts are used only at one of their own pixel sizes,
 * and gzip-compressed fonts are never used (FreeType would decompress the
 * whole file on every open). Duplicates are dropped. On success *fonts is a
 * new array of *count fonts (free with fontchain_fonts_free). Returns 0, or
 * -1 when the configuration cannot be loaded or no font at all is found. */
int fontchain_resolve(const struct fontchain *c, const char *conf_path, int px,
                      struct fontchain_font **fonts, size_t *count,
                      const struct diag *d);

void fontchain_fonts_free(struct fontchain_font *fonts, size_t count);

/* The Debian package that provides `family`, for the families of the
 * default chain (fonts/default.chain), or NULL. A package upgrade that
 * removes a font is mended by installing it again. */
const char *fontchain_package(const char *family);

#endif
