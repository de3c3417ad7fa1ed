/* bench_fwcore: how fast the firmware core, built for this PC, applies
 * command streams on the 256x32 board — the cost the in-process `sim`
 * transport and `ledsim` pay per frame. Two streams, fed in 64-byte USB
 * packets, decoder + framebuffer + panel output (BCM planes) included:
 *   ticker  SCROLL by 1 px + a 1x32 MONO1 column + PRESENT per frame
 *   full    the whole frame as RGB888 BLITs (7 commands) + PRESENT
 * Prints the median of 5 runs beside its goal: the sim must keep 60 fps
 * with room to spare, and eat full frames faster than USB full speed
 * (about 1.2 MB/s of bulk payload) could deliver them. (A PC figure: it
 * says nothing about a Cortex-M0+.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw.h"

struct buf {
    uint8_t *data;
    size_t len, cap;
    uint16_t seq;
};

static void put_frame(struct buf *b, uint8_t op, const uint8_t *payload, size_t len)
{
    if (b->len + LEDPROTO_HEADER_SIZE + len > b->cap) {
        b->cap = (b->cap + LEDPROTO_FRAME_MAX) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data)
            abort();
    }
    b->len += ledproto_frame_pack(b->data + b->len, op, b->seq++, payload, len);
}

static void build_ticker(struct buf *b, unsigned frames)
{
    uint8_t p[LEDPROTO_BLIT_HEAD_SIZE + 4];
    for (unsigned f = 1; f <= frames; f++) {
        put_frame(b, LEDPROTO_OP_SCROLL, p,
                  ledproto_scroll_pack(p, 0, 0, 256, 32, -1, 0, 0, 0, 0));
        struct ledproto_blit col = { 255, 0, 1, 32, LEDPROTO_FMT_MONO1, 0, { 255, 180, 0 }, { 0 } };
        ledproto_blit_head_pack(p, &col);
        for (int i = 0; i < 4; i++)
            p[LEDPROTO_BLIT_HEAD_SIZE + i] = (uint8_t)(f * 37 + (unsigned)i * 11);
        put_frame(b, LEDPROTO_OP_BLIT, p, sizeof p);
        put_frame(b, LEDPROTO_OP_PRESENT, p, ledproto_present_pack(p, f, f * 16));
    }
}

static void build_full(struct buf *b, unsigned frames)
{
    static uint8_t p[LEDPROTO_MAX_PAYLOAD];
    for (unsigned f = 1; f <= frames; f++) {
        for (unsigned y = 0; y < 32; y += 5) {
            unsigned h = 32 - y < 5 ? 32 - y : 5;
            struct ledproto_blit blk = { 0, (uint16_t)y, 256, (uint16_t)h, LEDPROTO_FMT_RGB888, 0,
                                         { 0 }, { 0 } };
            ledproto_blit_head_pack(p, &blk);
            size_t n = (size_t)256 * h * 3;
            for (size_t i = 0; i < n; i++)
                p[LEDPROTO_BLIT_HEAD_SIZE + i] = (uint8_t)(i * 7 + f);
            put_frame(b, LEDPROTO_OP_BLIT, p, LEDPROTO_BLIT_HEAD_SIZE + n);
        }
        put_frame(b, LEDPROTO_OP_PRESENT, p, ledproto_present_pack(p, f, f * 16));
    }
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static uint32_t fake_ms(void *user)
{
    (void)user;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Seconds to apply the stream once, median of 5. */
static double time_stream(struct fw *fw, const struct buf *b, unsigned expect_frames)
{
    double t[5];
    struct fw_port port = { .now_ms = fake_ms };
    for (int r = 0; r < 5; r++) {
        fw_init(fw, board_find("hub75-256x32"), &port);
        double t0 = now_s();
        for (size_t off = 0; off < b->len; off += LEDPROTO_USB_PACKET) {
            size_t n = b->len - off < LEDPROTO_USB_PACKET ? b->len - off : LEDPROTO_USB_PACKET;
            fw_feed(fw, b->data + off, n);
        }
        t[r] = now_s() - t0;
        if (fw->presented_seq != expect_frames || fw->dec.count.frames_ok == 0) {
            fprintf(stderr, "bench_fwcore: stream not applied\n");
            exit(1);
        }
    }
    qsort(t, 5, sizeof t[0], cmp_double);
    return t[2];
}

int main(void)
{
    struct fw *fw = calloc(1, sizeof *fw);
    struct buf ticker = { 0 }, full = { 0 };
    const unsigned ticker_frames = 20000, full_frames = 400;
    if (!fw)
        return 1;
    build_ticker(&ticker, ticker_frames);
    build_full(&full, full_frames);

    double s = time_stream(fw, &ticker, ticker_frames);
    double per_frame_ms = s * 1e3 / ticker_frames;
    printf("ticker 256x32: %.3f ms per frame (%.0f fps), %zu bytes per frame   goal < 16.7 ms (60 fps)   %s\n",
           per_frame_ms, ticker_frames / s, ticker.len / ticker_frames,
           per_frame_ms < 1000.0 / 60 ? "ok" : "MISSED");
    s = time_stream(fw, &full, full_frames);
    double mbs = full.len / s / 1e6;
    printf("full frames 256x32 RGB888: %.1f MB/s, %.0f frames/s   goal > 1.2 MB/s (USB full speed)   %s\n",
           mbs, full_frames / s, mbs > 1.2 ? "ok" : "MISSED");
    free(ticker.data);
    free(full.data);
    free(fw);
    return per_frame_ms < 1000.0 / 60 && mbs > 1.2 ? 0 : 1;
}
