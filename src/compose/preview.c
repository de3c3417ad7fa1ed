#include "compose/preview.h"

#include <fcntl.h>
#include <gif_lib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UNLIT 22        /* an unlit LED, dimly visible on black */

struct preview {
    GifFileType *gif;
    char *path;
    struct diag diag;
    int width, height, pitch;
    int64_t t0;
    bool started, pending;
    int64_t pending_cs;     /* centisecond the pending frame starts at */
    struct frame held;      /* the pending frame */
    uint8_t *rgb;           /* dots image */
    GifPixelType *index;
    int error;
};

static int64_t to_cs(const struct preview *p, int64_t t)
{
    return (t - p->t0 + 5000000) / 10000000;
}

static int fail(struct preview *p, int err, const char *what)
{
    if (!p->error) {
        p->error = err;
        diag_emit(&p->diag, DIAG_ERROR, p->path, 0, "%s: %s", what,
                  p->gif ? GifErrorString(p->gif->Error) : "cannot create the file");
    }
    return p->error;
}

int preview_open(struct preview **out, const char *path, int width, int height, int pitch,
                 const struct diag *d)
{
    *out = NULL;
    if (!path || width <= 0 || height <= 0 || pitch < 1 || pitch > 32 ||
        (long)width * pitch > 65535 || (long)height * pitch > 65535)
        return PREVIEW_ERR_INVALID;
    struct preview *p = calloc(1, sizeof *p);
    if (!p)
        return PREVIEW_ERR_NO_MEM;
    if (d)
        p->diag = *d;
    p->width = width;
    p->height = height;
    p->pitch = pitch;
    size_t px = (size_t)width * pitch * (size_t)height * pitch;
    p->path = strdup(path);
    p->rgb = malloc(px * 3);
    p->index = malloc(px);
    if (!p->path || !p->rgb || !p->index || frame_init(&p->held, width, height) != 0) {
        frame_release(&p->held);
        free(p->path);
        free(p->rgb);
        free(p->index);
        free(p);
        return PREVIEW_ERR_NO_MEM;
    }
    /* Opened here with 0666 less the umask, as any file a user writes:
     * EGifOpenFileName would make it 0600. EGifCloseFile closes fd. */
    int err = E_GIF_ERR_OPEN_FAILED;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    p->gif = fd >= 0 ? EGifOpenFileHandle(fd, &err) : NULL;
    if (!p->gif && fd >= 0)
        close(fd);
    if (!p->gif) {
        diag_emit(&p->diag, DIAG_ERROR, path, 0, "cannot create the GIF: %s", GifErrorString(err));
        preview_close(p, 0);
        return PREVIEW_ERR_IO;
    }
    EGifSetGifVersion(p->gif, true);
    if (EGifPutScreenDesc(p->gif, width * pitch, height * pitch, 8, 0, NULL) == GIF_ERROR) {
        fail(p, PREVIEW_ERR_IO, "cannot write the GIF header");
        preview_close(p, 0);
        return PREVIEW_ERR_IO;
    }
    /* Loop forever (the NETSCAPE2.0 application extension). */
    static const GifByteType loop[] = { 1, 0, 0 };
    if (EGifPutExtensionLeader(p->gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(p->gif, 11, "NETSCAPE2.0") == GIF_ERROR ||
        EGifPutExtensionBlock(p->gif, 3, loop) == GIF_ERROR ||
        EGifPutExtensionTrailer(p->gif) == GIF_ERROR) {
        fail(p, PREVIEW_ERR_IO, "cannot write the GIF header");
        preview_close(p, 0);
        return PREVIEW_ERR_IO;
    }
    *out = p;
    return PREVIEW_OK;
}

/* Is (i, j) of a pitch x pitch cell inside the LED's round dot? */
static bool in_dot(int i, int j, int pitch)
{
    if (pitch <= 2)
        return true;
    double d = pitch - (pitch >= 5 ? pitch / 5.0 : 1);  /* dot diameter; the rest is gap */
    double c = (pitch - 1) / 2.0, r = d / 2;
    double dx = i - c, dy = j - c;
    return dx * dx + dy * dy <= r * r + 0.25;
}

void preview_draw_dots(const struct frame *f, int pitch, uint8_t *rgb)
{
    int iw = f->width * pitch;
    memset(rgb, 0, (size_t)iw * f->height * pitch * 3);
    for (int j = 0; j < pitch; j++)
        for (int i = 0; i < pitch; i++) {
            if (!in_dot(i, j, pitch))
                continue;
            for (int y = 0; y < f->height; y++) {
                const uint8_t *src = frame_pixel(f, 0, y);
                uint8_t *dst = rgb + ((size_t)(y * pitch + j) * iw + i) * 3;
                for (int x = 0; x < f->width; x++, src += 3, dst += 3 * pitch) {
                    bool dark = !(src[0] | src[1] | src[2]);
                    dst[0] = dark ? UNLIT : src[0];
                    dst[1] = dark ? UNLIT : src[1];
                    dst[2] = dark ? UNLIT : src[2];
                }
            }
        }
}

/* Palette index of each pixel: exact colours when they fit in 256,
 * else 3-3-2 rounding. */
static int make_palette(const uint8_t *rgb, size_t n, GifPixelType *index, GifColorType *pal)
{
    enum { SLOTS = 1024 };
    uint32_t key[SLOTS];
    uint8_t slot_index[SLOTS];
    memset(key, 0xff, sizeof key);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = rgb + 3 * i;
        uint32_t k = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
        uint32_t h = (k * 2654435761u) >> 22;
        while (key[h] != 0xffffffffu && key[h] != k)
            h = (h + 1) & (SLOTS - 1);
        if (key[h] == 0xffffffffu) {
            if (count == 256)
                goto quantize;
            key[h] = k;
            slot_index[h] = (uint8_t)count;
            pal[count] = (GifColorType){ p[0], p[1], p[2] };
            count++;
        }
        index[i] = slot_index[h];
    }
    return count;
quantize:
    for (int c = 0; c < 256; c++)
        pal[c] = (GifColorType){ (GifByteType)((c >> 5) * 255 / 7),
                                 (GifByteType)(((c >> 2) & 7) * 255 / 7),
                                 (GifByteType)((c & 3) * 255 / 3) };
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = rgb + 3 * i;
        index[i] = (GifPixelType)(((p[0] * 7 + 127) / 255) << 5 | ((p[1] * 7 + 127) / 255) << 2 |
                                  ((p[2] * 3 + 127) / 255));
    }
    return 256;
}

static int write_frame(struct preview *p, const struct frame *f, int delay_cs)
{
    int iw = p->width * p->pitch, ih = p->height * p->pitch;
    size_t n = (size_t)iw * ih;
    preview_draw_dots(f, p->pitch, p->rgb);
    GifColorType pal[256];
    int count = make_palette(p->rgb, n, p->index, pal);
    int size = 2;
    while (size < count)
        size *= 2;
    ColorMapObject *map = GifMakeMapObject(size, NULL);
    if (!map)
        return fail(p, PREVIEW_ERR_NO_MEM, "out of memory");
    memset(map->Colors, 0, (size_t)size * sizeof *map->Colors);
    memcpy(map->Colors, pal, (size_t)count * sizeof *pal);
    GraphicsControlBlock gcb = { .DisposalMode = DISPOSAL_UNSPECIFIED,
                                 .DelayTime = delay_cs > 65535 ? 65535 : delay_cs,
                                 .TransparentColor = NO_TRANSPARENT_COLOR };
    GifByteType ext[4];
    size_t len = EGifGCBToExtension(&gcb, ext);
    int rc = EGifPutExtension(p->gif, GRAPHICS_EXT_FUNC_CODE, (int)len, ext);
    if (rc != GIF_ERROR)
        rc = EGifPutImageDesc(p->gif, 0, 0, iw, ih, false, map);
    for (int y = 0; rc != GIF_ERROR && y < ih; y++)
        rc = EGifPutLine(p->gif, p->index + (size_t)y * iw, iw);
    GifFreeMapObject(map);
    return rc == GIF_ERROR ? fail(p, PREVIEW_ERR_IO, "cannot write a GIF frame") : PREVIEW_OK;
}

static bool same_pixels(const struct frame *a, const struct frame *b)
{
    for (int y = 0; y < a->height; y++)
        if (memcmp(frame_pixel(a, 0, y), frame_pixel(b, 0, y), (size_t)a->width * 3))
            return false;
    return true;
}

static void hold_frame(struct preview *p, const struct frame *f, int64_t cs)
{
    for (int y = 0; y < f->height; y++)
        memcpy(frame_pixel(&p->held, 0, y), frame_pixel(f, 0, y), (size_t)f->width * 3);
    p->pending_cs = cs;
    p->pending = true;
}

int preview_add(struct preview *p, const struct frame *f, int64_t t)
{
    if (p->error)
        return p->error;
    if (f->width != p->width || f->height != p->height)
        return PREVIEW_ERR_INVALID;
    if (!p->started) {
        p->started = true;
        p->t0 = t;
    }
    int64_t cs = to_cs(p, t);
    if (p->pending) {
        /* Too soon after the pending frame, or no change: merged into it. */
        if (cs - p->pending_cs < PREVIEW_MIN_DELAY_CS || same_pixels(f, &p->held))
            return PREVIEW_OK;
        int rc = write_frame(p, &p->held, (int)(cs - p->pending_cs));
        if (rc)
            return rc;
    }
    hold_frame(p, f, cs);
    return PREVIEW_OK;
}

int preview_close(struct preview *p, int64_t t_end)
{
    if (!p)
        return PREVIEW_ERR_INVALID;
    int rc = p->error;
    if (!rc && p->gif && p->pending) {
        int64_t delay = to_cs(p, t_end) - p->pending_cs;
        rc = write_frame(p, &p->held, delay < PREVIEW_MIN_DELAY_CS ? PREVIEW_MIN_DELAY_CS
                                                                   : (int)delay);
    }
    if (p->gif) {
        int err = 0;
        if (EGifCloseFile(p->gif, &err) == GIF_ERROR && !rc) {
            diag_emit(&p->diag, DIAG_ERROR, p->path, 0, "cannot finish the GIF: %s",
                      GifErrorString(err));
            rc = PREVIEW_ERR_IO;
        }
    }
    frame_release(&p->held);
    free(p->path);
    free(p->rgb);
    free(p->index);
    free(p);
    return rc;
}

const char *preview_strerror(int err)
{
    switch (err) {
    case PREVIEW_OK: return "success";
    case PREVIEW_ERR_IO: return "cannot write the preview";
    case PREVIEW_ERR_NO_MEM: return "out of memory";
    case PREVIEW_ERR_INVALID: return "invalid preview argument";
    }
    return "unknown preview error";
}
