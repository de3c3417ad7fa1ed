/* bench_encoder: bytes on the wire per frame for a 256x32 ticker (board
 * hub75-256x32) scrolling a headline of the seed page at 1 px per frame,
 * next to the raw RGB565 frame (256 * 32 * 2 = 16384 B).
 *
 * The headline is the seed's lead sentence (its lines joined, from the
 * line after the masthead up to the first "。"), rendered by the real
 * strip renderer (src/text/strip.h) with the default font chain: 16 px
 * mono in rows 8..23, amber on black, as examples/lishi.ini plays it; and
 * again 32 px gray (anti-aliased, many colours) over the full height. It
 * scrolls in from the right edge until it has left on the left.
 *
 * Every frame's stream is applied by the real firmware core (libfwcore)
 * and its front buffer checked against the frame, so the figures are for
 * a stream that is known to be right. Goal: < 1% of raw. Also printed:
 * the frames per second USB full speed (about 1.2 MB/s of bulk payload)
 * carries at this size, and the encoder's CPU time per frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/frame.h"
#include "fw.h"
#include "ledproto.h"
#include "protocol/encoder.h"
#include "text/strip.h"

#define SEED "tests/data/000_158b273b953cb734.txt"
#define W 256
#define H 32
#define RAW565 (W * H * 2)
#define USB_FS_BYTES_PER_S 1.2e6

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void quiet(void *u, enum diag_level l, const char *f, int line, const char *m)
{
    (void)u, (void)f, (void)line;
    if (l == DIAG_ERROR)
        fprintf(stderr, "bench: %s\n", m);
}

/* The lead sentence: lines after the masthead joined, up to the first 。 */
static char *read_headline(size_t *len)
{
    FILE *f = fopen(SEED, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16), line[4096];
    size_t o = 0;
    bool first = true;
    while (buf && fgets(line, sizeof line, f)) {
        if (first) {            /* " 合办：离石区融媒体中心" */
            first = false;
            continue;
        }
        for (char *p = line; *p && *p != '\n' && *p != '\r'; p++)
            buf[o++] = *p;
        char *stop = strstr(buf, "。");
        if (stop) {
            o = (size_t)(stop - buf) + strlen("。");
            break;
        }
    }
    fclose(f);
    *len = o;
    return buf;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static struct fw device;

struct result {
    int frames;
    size_t first, total, median, max;
    double enc_ms;
};

static int run(const char *text, size_t len, int size, enum strip_mode mode, int top,
               struct result *res)
{
    struct strip_options opt = { .fonts_dir = "fonts", .size = size, .mode = mode };
    struct diag d = { quiet, NULL };
    int err;
    struct strip_renderer *r = strip_renderer_new(&opt, &d, &err);
    if (!r)
        return -1;
    struct bitmap strip;
    if (strip_render_text(r, text, len, 8, &strip)) {
        strip_free(r);
        return -1;
    }
    const struct fw_board *b = board_find("hub75-256x32");
    struct encoder *e;
    struct frame f;
    if (!b || fw_init(&device, b, NULL) || encoder_new(&e, W, H, 0x87) || frame_init(&f, W, H))
        return -1;
    static const uint8_t amber[3] = { 255, 176, 0 };
    int frames = strip.width + W;
    size_t *sizes = calloc((size_t)frames, sizeof *sizes);
    *res = (struct result){ .frames = frames };
    int rc = 0;
    for (int k = 0; k < frames && rc == 0; k++) {
        frame_clear(&f, 0, 0, 0);
        for (int y = 0; y < strip.height && top + y < H; y++)
            for (int x = 0; x < W; x++) {
                int sx = x - (W - k);   /* enters at the right edge, 1 px per frame */
                unsigned cov = sx >= 0 && sx < strip.width ? bitmap_get(&strip, sx, y) : 0;
                uint8_t *p = frame_pixel(&f, x, top + y);
                for (int i = 0; i < 3; i++)
                    p[i] = (uint8_t)((amber[i] * cov + 127) / 255);
            }
        double t0 = now_ms();
        encoder_frame(e, &f, (uint32_t)k, (uint32_t)k * 16);
        res->enc_ms += now_ms() - t0;
        const uint8_t *p;
        size_t n;
        while (encoder_peek(e, 8192, &p, &n) == 0) {
            fw_feed(&device, p, n);
            sizes[k] += n;
            encoder_consume(e, n);
        }
        if (memcmp(fw_front(&device), f.rgb, (size_t)W * H * 3)) {
            fprintf(stderr, "bench: frame %d: the controller shows something else\n", k);
            rc = -1;
        }
    }
    res->first = sizes[0];
    for (int k = 1; k < frames; k++)
        res->total += sizes[k];
    qsort(sizes + 1, (size_t)frames - 1, sizeof *sizes, cmp_size);
    res->median = sizes[frames / 2];
    res->max = sizes[frames - 1];
    free(sizes);
    free(strip.data);
    frame_release(&f);
    encoder_free(e);
    strip_free(r);
    return rc;
}

/* Prints the figures; returns 1 when the size goal is missed. */
static int report(const char *what, const struct result *r)
{
    double mean = (double)r->total / (r->frames - 1);
    printf("%s: %d frames\n", what, r->frames);
    printf("  bytes/frame   mean %.1f  median %zu  max %zu  (first, whole panel: %zu)\n", mean,
           r->median, r->max, r->first);
    printf("  vs raw RGB565 %d B/frame: %.3f%% of raw   goal < 1%%   %s\n", RAW565,
           100.0 * mean / RAW565, 100.0 * mean / RAW565 < 1.0 ? "MET" : "NOT MET");
    printf("  USB full speed (1.2 MB/s) carries %.0f frames/s of this (raw RGB565: %.0f)\n",
           USB_FS_BYTES_PER_S / mean, USB_FS_BYTES_PER_S / RAW565);
    printf("  encoder CPU   %.1f us/frame\n", 1000.0 * r->enc_ms / r->frames);
    return 100.0 * mean / RAW565 < 1.0 ? 0 : 1;
}

int main(void)
{
    size_t len;
    char *text = read_headline(&len);
    if (!text || len == 0) {
        fprintf(stderr, "bench: cannot read %s (run from the source tree)\n", SEED);
        return 1;
    }
    printf("headline (%zu bytes): %.*s\n", len, (int)len, text);
    struct result mono, gray;
    int rc = run(text, len, 16, STRIP_MONO, 8, &mono), missed = 0;
    if (rc == 0)
        missed |= report("256x32, 16 px mono, rows 8..23, 1 px/frame", &mono);
    if (rc == 0)
        rc = run(text, len, 32, STRIP_GRAY, 0, &gray);
    if (rc == 0)
        missed |= report("256x32, 32 px gray (anti-aliased), full height, 1 px/frame", &gray);
    free(text);
    return rc || missed ? 1 : 0;
}
