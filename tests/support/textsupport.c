#include "textsupport.h"

#include <setjmp.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ot.h>
#include <hb.h>
#include <png.h>

static void capture_fn(void *user, enum diag_level level, const char *file, int line,
                       const char *msg)
{
    struct capture *c = user;
    (void)file, (void)line;
    if (level == DIAG_WARN)
        c->warnings++;
    if (level == DIAG_ERROR)
        c->errors++;
    if (level < DIAG_WARN)
        return;
    int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s: %s\n",
                     diag_level_name(level), msg);
    if (n > 0 && c->len + (size_t)n < sizeof c->text)
        c->len += (size_t)n;
}

void capture_init(struct capture *c)
{
    memset(c, 0, sizeof *c);
    c->diag.fn = capture_fn;
    c->diag.user = c;
}

void capture_reset(struct capture *c)
{
    c->text[0] = 0;
    c->len = 0;
    c->warnings = c->errors = 0;
}

char *seed_joined(size_t *len)
{
    FILE *f = fopen(TEST_SEED, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    fclose(f);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] != '\n' && buf[i] != '\r')
            buf[o++] = buf[i];
    buf[o] = 0;
    *len = o;
    return buf;
}

struct strip_renderer *test_renderer(const char *families, int size, int height,
                                     enum strip_mode mode, struct capture *cap)
{
    struct strip_options opt = { .fonts_dir = TEST_FONTS_DIR, .families = families,
                                 .size = size, .height = height, .mode = mode };
    int err = 0;
    struct strip_renderer *r = strip_renderer_new(&opt, cap ? &cap->diag : NULL, &err);
    if (!r)
        fail_msg("renderer %s %d px: %s", families ? families : "(default chain)", size,
                 strip_strerror(err));
    return r;
}

struct bitmap test_render(struct strip_renderer *r, const char *text)
{
    struct strip_metrics m;
    struct bitmap b;
    strip_get_metrics(r, &m);
    int rc = strip_render_text(r, text, strlen(text), m.bpp, &b);
    if (rc)
        fail_msg("render '%s': %s", text, strip_strerror(rc));
    return b;
}

int font_file_for(const char *family, char *file, size_t len, int *index)
{
    FcConfig *cfg = FcConfigCreate();
    int rc = -1;
    char conf[PATH_MAX];
    if (!realpath(TEST_FONTS_DIR "/fonts.conf", conf) ||
        !FcConfigParseAndLoad(cfg, (const FcChar8 *)conf, FcTrue) ||
        !FcConfigBuildFonts(cfg)) {
        FcConfigDestroy(cfg);
        return -1;
    }
    FcPattern *p = FcNameParse((const FcChar8 *)family);
    FcConfigSubstitute(cfg, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcPattern *m = FcFontMatch(cfg, p, &res);
    FcChar8 *f, *fam;
    if (m && FcPatternGetString(m, FC_FILE, 0, &f) == FcResultMatch &&
        FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch &&
        !FcStrCmpIgnoreCase(fam, (const FcChar8 *)family)) {
        snprintf(file, len, "%s", (const char *)f);
        *index = 0;
        FcPatternGetInteger(m, FC_INDEX, 0, index);
        rc = 0;
    }
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(p);
    FcConfigDestroy(cfg);
    return rc;
}

long long hb_reference_advance(const char *family, int px, const char *text, unsigned *glyphs)
{
    char file[4096];
    int index;
    if (font_file_for(family, file, sizeof file, &index))
        fail_msg("font family '%s' is not installed", family);
    hb_blob_t *blob = hb_blob_create_from_file(file);
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    hb_font_t *font = hb_font_create(face);
    hb_font_set_scale(font, px * 64, px * 64);
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, text, -1, 0, -1);
    hb_buffer_guess_segment_properties(buf);
    hb_buffer_set_language(buf, hb_language_from_string("zh-Hans", -1));
    hb_shape(font, buf, NULL, 0);
    unsigned n;
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
    long long sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += pos[i].x_advance;
    *glyphs = n;
    hb_buffer_destroy(buf);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return sum;
}

int ink_box(const struct bitmap *b, int x0, int x1, int *top, int *bottom, int *left, int *right)
{
    int any = 0;
    if (x0 < 0)
        x0 = 0;
    if (x1 > b->width)
        x1 = b->width;
    for (int y = 0; y < b->height; y++)
        for (int x = x0; x < x1; x++) {
            if (bitmap_get(b, x, y) < 128)
                continue;
            if (!any) {
                *top = *bottom = y;
                *left = *right = x;
                any = 1;
            }
            if (y < *top) *top = y;
            if (y > *bottom) *bottom = y;
            if (x < *left) *left = x;
            if (x > *right) *right = x;
        }
    return any;
}

int png_read_gray(const char *path, int *w, int *h, uint8_t **data)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile out = NULL;
    uint8_t *volatile row = NULL;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(f);
        free(out);
        free(row);
        return -1;
    }
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_init_io(png, f);
    png_read_info(png, info);
    int width = (int)png_get_image_width(png, info), height = (int)png_get_image_height(png, info);
    int type = png_get_color_type(png, info);
    png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_16(png);
    png_read_update_info(png, info);
    size_t rb = png_get_rowbytes(png, info);
    int chans = png_get_channels(png, info);
    out = malloc((size_t)width * (size_t)height);
    row = malloc(rb);
    for (int y = 0; y < height; y++) {
        png_read_row(png, row, NULL);
        for (int x = 0; x < width; x++)
            out[(size_t)y * (size_t)width + (size_t)x] = row[(size_t)x * (size_t)chans];
    }
    (void)type;
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    free(row);
    *w = width;
    *h = height;
    *data = out;
    return 0;
}

long long ft_plain_advance(const char *family, int px, const char *text)
{
    char file[4096];
    int index;
    if (font_file_for(family, file, sizeof file, &index))
        fail_msg("font family '%s' is not installed", family);
    FT_Library lib;
    FT_Face face;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    assert_int_equal(FT_New_Face(lib, file, index, &face), 0);
    assert_int_equal(FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px), 0);
    long long sum = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        uint32_t cp = *p;
        int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (n > 1)
            cp &= 0x3Fu >> (n - 1);
        for (int i = 1; i < n; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        p += n;
        assert_int_equal(FT_Load_Char(face, cp, FT_LOAD_DEFAULT), 0);
        sum += face->glyph->advance.x;
    }
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
    return sum;
}
