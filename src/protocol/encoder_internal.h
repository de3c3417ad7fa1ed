/* encoder_internal — what encoder.c (the queue, finding what changed, the
 * public face) and encoder_cmd.c (writing commands and applying them to a
 * shadow as the decoder would) share. Included only inside the encoder. */
#ifndef LEDTICKER_ENCODER_INTERNAL_H
#define LEDTICKER_ENCODER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledproto.h"

/* Horizontal scrolls looked for, in pixels per frame either way. A ticker
 * moves 1..4 px per frame; a late frame a few more. */
#define MAX_SCROLL_DX 24

/* What one more BLIT costs beyond its pixels: header and BLIT head. Gaps
 * of clean pixels cheaper than this are sent rather than split around. */
#define RECT_OVERHEAD (LEDPROTO_HEADER_SIZE + LEDPROTO_BLIT_HEAD_SIZE)

/* What encode_dirty knows of a column of the band it works on. */
enum { COL_UNKNOWN, COL_CLEAN, COL_DIRTY };

/* A SCROLL command, as chosen before it is sent. */
struct scroll {
    int x, y, w, h, dx;
    uint8_t fill[3];
};

struct span {
    int x0, x1;             /* dirty columns [x0, x1); x0 == x1 when clean */
};

struct encoder {
    int w, h;
    size_t stride;          /* 3 * w */
    uint8_t formats;
    uint16_t seq;
    bool valid;             /* the shadow is what the device holds */
    uint8_t *shadow;        /* the device's back buffer, as we know it */
    const uint8_t *target;  /* this frame, as the device can show it: the caller's
                             * pixels when they need no change, else `quantized` */
    uint8_t *quantized;
    uint8_t *scratch;       /* a shadow to try alternatives on */
    uint8_t *alt;           /* and one for whole plans */
    struct span *spans;     /* per row */
    int *row_dx;            /* per row: the scroll found, 0 for none */
    uint8_t *col_dirty;     /* per column, within one band: COL_* */
    struct scroll *plan;    /* the SCROLLs encode_scrolls chose, at most one per row */
    int nplan;
    uint8_t raw[LEDPROTO_BLIT_MAX_DATA];
    uint8_t coded[LEDPROTO_BLIT_MAX_DATA + LEDPROTO_BLIT_MAX_DATA / 128 + 8];
    uint8_t payload[LEDPROTO_MAX_PAYLOAD];
    /* The queue: bytes [head, len) are waiting to be sent. */
    uint8_t *q;
    size_t q_head, q_len, q_cap;
};

/* Where commands go: queued for real, or only counted (to price an
 * alternative). Applied to `shadow` unless `apply` is false: pricing the
 * dirty rectangles needs no shadow kept, as encode_dirty never reads back
 * what it wrote (see there). */
struct sink {
    struct encoder *e;
    uint8_t *shadow;
    bool queue;
    size_t bytes;
    int err;
    bool apply;
    size_t limit;           /* pricing: stop once bytes exceed it (the answer is "more") */
};

/* ---- pixels ------------------------------------------------------------- */

static inline uint8_t *px(const struct encoder *e, const uint8_t *buf, int x, int y)
{
    return (uint8_t *)buf + (size_t)y * e->stride + (size_t)x * 3;
}

/* A pixel as one number, to compare it in one step. */
static inline uint32_t rgb_of(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static inline bool same(const uint8_t *a, const uint8_t *b)
{
    return rgb_of(a) == rgb_of(b);
}

/* Emits one command of `len` payload bytes (already in place or NULL):
 * counted, and queued when the sink queues. */
void encoder_emit(struct sink *s, uint8_t opcode, const uint8_t *payload, size_t len);

/* FILL and SCROLL (the strip uncovered by dx filled with rgb), applied to
 * the sink's shadow as the decoder would. */
void encoder_cmd_fill(struct sink *s, int x, int y, int w, int h, const uint8_t rgb[3]);
void encoder_cmd_scroll(struct sink *s, int x, int y, int w, int h, int dx, const uint8_t rgb[3]);
/* Sends the rect's target pixels in the cheapest way the device takes
 * (FILL, MONO1, RGB565 or RGB888 BLITs, RLE when it pays). */
void encoder_cmd_rect(struct sink *s, int x, int y, int w, int h);

#endif
