/* ledticker render — one line of text into a PNG strip, through the same
 * renderer the ticker uses. For checking fonts and sizes by eye. */
#include "cli/cli.h"
#include "cli/datadir.h"
#include "text/strip.h"
#include "util/pngout.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "usage: ledticker render [--font \"FAMILY[,FALLBACK...]\"] [--size PX] [--height PX]\n"
        "                        [--mode mono|gray] [--color #RRGGBB] [--background #RRGGBB]\n"
        "                        [--lang BCP47] [--fonts-dir DIR] -o OUT.png (TEXT | --file PATH)\n"
        "\n"
        "Renders TEXT (or the UTF-8 file PATH, '-' for stdin; newlines become spaces)\n"
        "into a strip PNG: 1-bit greyscale for mono in the default colours (#FFFFFF on\n"
        "#000000), otherwise 8-bit RGB.\n"
        "  --font      families to use instead of the default chain (fonts/default.chain)\n"
        "  --size      pixel size (ppem), default 16\n"
        "  --height    strip height, default the size\n"
        "  --mode      mono (1 bit, default) or gray (8-bit coverage)\n"
        "  --lang      language for shaping, default zh-Hans\n"
        "  --fonts-dir where default.chain and fonts.conf are (default: $LEDTICKER_FONTS_DIR,\n"
        "              then next to the executable, then the installed share/ledticker/fonts)\n");
}

struct render_args {
    const char *font, *out, *file, *text, *lang, *fonts_dir;
    int size, height;
    enum strip_mode mode;
    uint8_t fg[3], bg[3];
};

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_color(const char *s, uint8_t rgb[3])
{
    if (s[0] != '#' || strlen(s) != 7 || strspn(s + 1, "0123456789abcdefABCDEF") != 6)
        return -1;
    unsigned long v = strtoul(s + 1, NULL, 16);
    rgb[0] = (uint8_t)(v >> 16), rgb[1] = (uint8_t)(v >> 8), rgb[2] = (uint8_t)v;
    return 0;
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "ledticker render: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr);
    return 2;
}

static int parse_args(int argc, char **argv, struct render_args *a)
{
    static const struct option opts[] = {
        { "font", required_argument, NULL, 'f' },
        { "size", required_argument, NULL, 's' },
        { "height", required_argument, NULL, 'H' },
        { "mode", required_argument, NULL, 'm' },
        { "color", required_argument, NULL, 'c' },
        { "background", required_argument, NULL, 'b' },
        { "output", required_argument, NULL, 'o' },
        { "file", required_argument, NULL, 'F' },
        { "lang", required_argument, NULL, 'l' },
        { "fonts-dir", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    *a = (struct render_args){ .size = 16, .mode = STRIP_MONO, .fg = { 255, 255, 255 } };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': a->font = optarg; break;
        case 'o': a->out = optarg; break;
        case 'F': a->file = optarg; break;
        case 'l': a->lang = optarg; break;
        case 'D': a->fonts_dir = optarg; break;
        case 's':
            if (parse_int(optarg, 4, 512, &a->size))
                return bad_usage("--size wants a pixel size from 4 to 512, not '%s'", optarg);
            break;
        case 'H':
            if (parse_int(optarg, 1, 4096, &a->height))
                return bad_usage("--height wants a pixel height from 1 to 4096, not '%s'", optarg);
            break;
        case 'm':
            if (!strcmp(optarg, "mono"))
                a->mode = STRIP_MONO;
            else if (!strcmp(optarg, "gray") || !strcmp(optarg, "grey"))
                a->mode = STRIP_GRAY;
            else
                return bad_usage("--mode is mono or gray, not '%s'", optarg);
            break;
        case 'c':
            if (parse_color(optarg, a->fg))
                return bad_usage("--color wants #RRGGBB, not '%s'", optarg);
            break;
        case 'b':
            if (parse_color(optarg, a->bg))
                return bad_usage("--background wants #RRGGBB, not '%s'", optarg);
            break;
        case 'h': usage(stdout); return 0;
        case ':': return bad_usage("%s needs a value", argv[optind - 1]);
        default: return bad_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (!a->out)
        return bad_usage("%s", "-o OUT.png is required");
    if (optind < argc)
        a->text = argv[optind++];
    if (optind < argc)
        return bad_usage("one TEXT argument only (quote it); extra: '%s'", argv[optind]);
    if (!a->text == !a->file)
        return bad_usage("%s", "give either TEXT or --file PATH");
    return -1;      /* go on */
}

/* Reads a whole file (or stdin for "-"). Returns 0 or -1 after a message. */
static int read_all(const char *path, char **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "ledticker render: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int failed = !b || ferror(f);
    if (failed)
        fprintf(stderr, "ledticker render: %s: %s\n", path, b ? strerror(errno) : "out of memory");
    if (f != stdin)
        fclose(f);
    if (failed) {
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

struct colourer {
    const struct bitmap *bm;
    const struct render_args *a;
};

/* Coverage row -> RGB row: background mixed toward the ink colour. */
static const uint8_t *colour_row(void *user, int y, uint8_t *out)
{
    const struct colourer *c = user;
    for (int x = 0; x < c->bm->width; x++) {
        unsigned v = bitmap_get(c->bm, x, y);
        for (int k = 0; k < 3; k++)
            out[3 * x + k] = (uint8_t)((c->a->bg[k] * (255 - v) + c->a->fg[k] * v + 127) / 255);
    }
    return out;
}

static const uint8_t *blank_row(void *user, int y, uint8_t *out)
{
    const struct render_args *a = user;
    (void)y;
    memcpy(out, a->bg, 3);
    return out;
}

static int write_png(const struct cli_env *env, const struct render_args *a,
                     const struct bitmap *bm)
{
    static const uint8_t white[3] = { 255, 255, 255 }, black[3] = { 0, 0, 0 };
    if (bm->width == 0) {
        /* PNG has no zero-width images: a 1 px column of background. */
        diag_warn(&env->diag, "the text is empty: the strip is 0 px wide; %s is one blank column",
                  a->out);
        return pngout_write_rows(a->out, 1, bm->height, PNGOUT_RGB8, blank_row, (void *)a,
                                 &env->diag);
    }
    if (bm->bpp == 1 && !memcmp(a->fg, white, 3) && !memcmp(a->bg, black, 3)) {
        struct pngout_image img = { bm->width, bm->height, bm->stride, PNGOUT_GRAY1, bm->data };
        return pngout_write(a->out, &img, &env->diag);
    }
    struct colourer c = { bm, a };
    return pngout_write_rows(a->out, bm->width, bm->height, PNGOUT_RGB8, colour_row, &c,
                             &env->diag);
}

int cmd_render_main(const struct cli_env *env, int argc, char **argv)
{
    struct render_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    char fonts_dir[PATH_MAX + 128];
    if (datadir_find(DATADIR_FONTS, a.fonts_dir, NULL, fonts_dir, sizeof fonts_dir)) {
        fprintf(stderr, "ledticker render: no fonts directory with default.chain found (searched %s)\n",
                fonts_dir);
        return 1;
    }
    char *text = NULL;
    size_t len = 0;
    if (a.file && read_all(a.file, &text, &len))
        return 1;
    struct strip_options opt = {
        .fonts_dir = fonts_dir, .families = a.font, .size = a.size, .height = a.height,
        .mode = a.mode, .language = a.lang,
    };
    int err = 0;
    struct strip_renderer *r = strip_renderer_new(&opt, &env->diag, &err);
    if (!r) {
        fprintf(stderr, "ledticker render: %s\n", strip_strerror(err));
        free(text);
        return err == STRIP_ERR_INVALID_PARAM ? 2 : 1;
    }
    struct bitmap bm;
    const char *s = text ? text : a.text;
    err = strip_render_text(r, s, text ? len : strlen(s), a.mode == STRIP_MONO ? 1 : 8, &bm);
    if (err) {
        fprintf(stderr, "ledticker render: %s\n", strip_strerror(err));
        rc = 1;
    } else {
        rc = write_png(env, &a, &bm) ? 1 : 0;
        if (rc == 0)
            diag_info(&env->diag, "%s: %d x %d px", a.out, bm.width ? bm.width : 1, bm.height);
        free(bm.data);
    }
    strip_free(r);
    free(text);
    return rc;
}
