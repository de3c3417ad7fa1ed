#include "text/fontchain.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fontconfig/fontconfig.h>

static int add_entry(struct fontchain *c, const char *family, size_t flen,
                     int min_px, int max_px)
{
    struct fontchain_entry *e = realloc(c->entries, (c->count + 1) * sizeof *e);
    if (!e)
        return -1;
    c->entries = e;
    e += c->count;
    e->family = strndup(family, flen);
    if (!e->family)
        return -1;
    e->min_px = min_px;
    e->max_px = max_px;
    c->count++;
    return 0;
}

/* "12-16", "12-" or "-16" -> range; returns 1 when `tok` is a range. */
static int parse_range(const char *tok, size_t len, int *lo, int *hi)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf || !memchr(tok, '-', len))
        return 0;
    memcpy(buf, tok, len);
    buf[len] = 0;
    char *dash = strchr(buf, '-');
    *dash = 0;
    for (const char *p = buf; *p; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    for (const char *p = dash + 1; *p; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    if (!buf[0] && !dash[1])
        return 0;
    *lo = buf[0] ? atoi(buf) : 1;
    *hi = dash[1] ? atoi(dash + 1) : 100000;
    return 1;
}

static int parse_line(struct fontchain *c, const char *s, size_t len,
                      const char *name, int lineno, const struct diag *d)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (!len || *s == '#')
        return 0;
    size_t flen = len;
    int lo = 0, hi = 0;
    const char *last = s + len;
    while (last > s && !isspace((unsigned char)last[-1]))
        last--;
    if (last > s && parse_range(last, (size_t)(s + len - last), &lo, &hi)) {
        flen = (size_t)(last - s);
        while (flen && isspace((unsigned char)s[flen - 1]))
            flen--;
        if (lo < 1 || hi < lo) {
            diag_emit(d, DIAG_ERROR, name, lineno, "bad pixel size range '%.*s'",
                      (int)(s + len - last), last);
            return -1;
        }
    } else if (last == s && parse_range(s, len, &lo, &hi)) {
        diag_emit(d, DIAG_ERROR, name, lineno, "a size range without a family name");
        return -1;
    }
    if (add_entry(c, s, flen, lo, hi)) {
        diag_emit(d, DIAG_ERROR, name, lineno, "out of memory");
        return -1;
    }
    return 0;
}

int fontchain_parse(const char *text, size_t len, const char *name,
                    struct fontchain *out, const struct diag *d)
{
    struct fontchain c = { 0 };
    int lineno = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        lineno++;
        if (parse_line(&c, text + i, end - i, name, lineno, d)) {
            fontchain_release(&c);
            return -1;
        }
        i = end + 1;
    }
    if (!c.count) {
        diag_emit(d, DIAG_ERROR, name, 0, "the font chain names no font");
        return -1;
    }
    *out = c;
    return 0;
}

int fontchain_load_file(const char *path, struct fontchain *out, const struct diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, "%s: %s", path, strerror(errno));
        return -1;
    }
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf, f);
    int too_big = n == sizeof buf;
    fclose(f);
    if (too_big) {
        diag_error(d, "%s: a font chain file is a few lines, this one is over %zu bytes",
                   path, sizeof buf);
        return -1;
    }
    return fontchain_parse(buf, n, path, out, d);
}

int fontchain_from_list(const char *families, struct fontchain *out, const struct diag *d)
{
    struct fontchain c = { 0 };
    for (const char *p = families; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *s = p;
        while (len && isspace((unsigned char)*s))
            s++, len--;
        while (len && isspace((unsigned char)s[len - 1]))
            len--;
        if (len && add_entry(&c, s, len, 0, 0)) {
            fontchain_release(&c);
            diag_error(d, "out of memory");
            return -1;
        }
        p += comma ? (size_t)(comma - p) + 1 : strlen(p);
    }
    if (!c.count) {
        diag_error(d, "no font family given in '%s'", families);
        return -1;
    }
    *out = c;
    return 0;
}

void fontchain_release(struct fontchain *c)
{
    for (size_t i = 0; i < c->count; i++)
        free(c->entries[i].family);
    free(c->entries);
    c->entries = NULL;
    c->count = 0;
}

void fontchain_fonts_free(struct fontchain_font *fonts, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(fonts[i].file);
        free(fonts[i].family);
        free(fonts[i].matched);
    }
    free(fonts);
}

/* The default chain's families and where Debian ships them. */
static const struct { const char *family, *package; } packages[] = {
    { "WenQuanYi Zen Hei Sharp", "fonts-wqy-zenhei" },
    { "WenQuanYi Zen Hei", "fonts-wqy-zenhei" },
    { "WenQuanYi Bitmap Song", "xfonts-wqy" },
    { "Noto Sans CJK SC", "fonts-noto-cjk" },
    { "DejaVu Sans", "fonts-dejavu-core" },
    { "Symbola", "fonts-symbola" },
};

const char *fontchain_package(const char *family)
{
    for (size_t i = 0; i < sizeof packages / sizeof packages[0]; i++)
        if (!strcasecmp(packages[i].family, family))
            return packages[i].package;
    return NULL;
}

/* " (Debian package P: was it removed?)" for a family the table knows. */
static const char *package_hint(const char *family, char *buf, size_t len)
{
    const char *p = fontchain_package(family);
    if (!p)
        return "";
    snprintf(buf, len, " (Debian package %s: installed? `apt-get install %s`)", p, p);
    return buf;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcasecmp(s + a - b, suffix);
}

/* Does any of the match's family names (it may list several, e.g. the
 * Chinese name of a CJK family) equal the one asked for? */
static int family_matches(FcPattern *m, const char *want)
{
    FcChar8 *fam;
    for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &fam) == FcResultMatch; i++)
        if (!FcStrCmpIgnoreCase(fam, (const FcChar8 *)want))
            return 1;
    return 0;
}

static FcPattern *match_family(FcConfig *cfg, const char *family, int px)
{
    FcPattern *pat = FcPatternCreate();
    if (!pat)
        return NULL;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddDouble(pat, FC_PIXEL_SIZE, px);
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(cfg, pat, &res);
    FcPatternDestroy(pat);
    return m;
}

/* The font of `family` whose pixel size is exactly px: sets *file and
 * *index (pointing into *keep, which the caller destroys). 0 or -1. */
static int find_bitmap_size(FcConfig *cfg, const char *family, int px,
                            FcChar8 **file, int *index, FcPattern **keep)
{
    FcPattern *pat = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, family, (char *)0);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_PIXEL_SIZE, (char *)0);
    FcFontSet *set = pat && os ? FcFontList(cfg, pat, os) : NULL;
    int rc = -1;
    for (int i = 0; set && i < set->nfont && rc; i++) {
        double got;
        FcChar8 *f;
        if (FcPatternGetDouble(set->fonts[i], FC_PIXEL_SIZE, 0, &got) != FcResultMatch ||
            (int)(got + 0.5) != px ||
            FcPatternGetString(set->fonts[i], FC_FILE, 0, &f) != FcResultMatch ||
            ends_with((const char *)f, ".gz"))
            continue;
        *keep = FcPatternDuplicate(set->fonts[i]);
        if (!*keep)
            break;
        FcPatternGetString(*keep, FC_FILE, 0, file);
        *index = 0;
        FcPatternGetInteger(*keep, FC_INDEX, 0, index);
        rc = 0;
    }
    if (set)
        FcFontSetDestroy(set);
    if (os)
        FcObjectSetDestroy(os);
    if (pat)
        FcPatternDestroy(pat);
    return rc;
}

static int already_have(const struct fontchain_font *fonts, size_t n,
                        const char *file, int index)
{
    for (size_t i = 0; i < n; i++)
        if (fonts[i].index == index && !strcmp(fonts[i].file, file))
            return 1;
    return 0;
}

/* Resolves one entry; appends to fonts (capacity is c->count). */
static int resolve_one(FcConfig *cfg, const struct fontchain_entry *e, int px,
                       struct fontchain_font *fonts, size_t *n, const struct diag *d)
{
    FcPattern *m = match_family(cfg, e->family, px), *m2 = NULL;
    FcChar8 *file = NULL, *fam = NULL;
    int index = 0;
    FcBool scalable = FcTrue;
    double got_px = 0;
    char hint[128];
    if (!m || FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch) {
        diag_warn(d, "font family '%s' not found%s and fontconfig matched nothing", e->family,
                  package_hint(e->family, hint, sizeof hint));
        if (m)
            FcPatternDestroy(m);
        return 0;
    }
    FcPatternGetInteger(m, FC_INDEX, 0, &index);
    FcPatternGetBool(m, FC_SCALABLE, 0, &scalable);
    FcPatternGetDouble(m, FC_PIXEL_SIZE, 0, &got_px);
    if (FcPatternGetString(m, FC_FAMILY, 0, &fam) != FcResultMatch)
        fam = (FcChar8 *)"?";
    int ok = 1;
    if (!family_matches(m, e->family))
        diag_warn(d, "font family '%s' not found%s; using '%s' (%s), what fontconfig matched "
                  "instead", e->family, package_hint(e->family, hint, sizeof hint),
                  (const char *)fam, (const char *)file);
    if (ends_with((const char *)file, ".gz") || ends_with((const char *)file, ".bz2")) {
        diag_warn(d, "font family '%s': skipping compressed font %s", e->family,
                  (const char *)file);
        ok = 0;
    } else if (!scalable && (int)(got_px + 0.5) != px) {
        /* A bitmap family is one file per size, and fontconfig's match
         * weighs the point size over the pixel size: list them all. */
        if (find_bitmap_size(cfg, (const char *)fam, px, &file, &index, &m2) != 0) {
            diag_debug(d, "font family '%s' has no %d px size, skipped", e->family, px);
            ok = 0;
        }
    }
    if (ok && ends_with((const char *)file, ".gz"))
        ok = 0;
    if (ok && !already_have(fonts, *n, (const char *)file, index)) {
        struct fontchain_font *f = &fonts[*n];
        f->file = strdup((const char *)file);
        f->family = strdup(e->family);
        f->matched = strdup((const char *)fam);
        f->index = index;
        (*n)++;
        if (!f->file || !f->family || !f->matched) {
            FcPatternDestroy(m);
            if (m2)
                FcPatternDestroy(m2);
            return -1;
        }
    }
    FcPatternDestroy(m);
    if (m2)
        FcPatternDestroy(m2);
    return 0;
}

static FcConfig *load_config(const char *conf_path, const struct diag *d)
{
    FcConfig *cfg = FcConfigCreate();
    if (!cfg)
        return NULL;
    if (!FcConfigParseAndLoad(cfg, (const FcChar8 *)conf_path, FcTrue)) {
        diag_error(d, "%s: cannot load this fontconfig configuration", conf_path);
        FcConfigDestroy(cfg);
        return NULL;
    }
    if (!FcConfigBuildFonts(cfg)) {
        diag_error(d, "%s: fontconfig could not build its font list", conf_path);
        FcConfigDestroy(cfg);
        return NULL;
    }
    return cfg;
}

int fontchain_resolve(const struct fontchain *c, const char *conf_path, int px,
                      struct fontchain_font **fonts, size_t *count,
                      const struct diag *d)
{
    *fonts = NULL;
    *count = 0;
    FcConfig *cfg = load_config(conf_path, d);
    if (!cfg)
        return -1;
    struct fontchain_font *list = calloc(c->count ? c->count : 1, sizeof *list);
    size_t n = 0;
    int rc = list ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < c->count; i++) {
        const struct fontchain_entry *e = &c->entries[i];
        if (e->min_px && (px < e->min_px || px > e->max_px))
            continue;
        rc = resolve_one(cfg, e, px, list, &n, d);
    }
    FcConfigDestroy(cfg);
    if (rc) {
        diag_error(d, "out of memory");
        fontchain_fonts_free(list, n);
        return -1;
    }
    if (!n) {
        diag_error(d, "no usable font in the chain at %d px", px);
        fontchain_fonts_free(list, n);
        return -1;
    }
    *fonts = list;
    *count = n;
    return 0;
}
