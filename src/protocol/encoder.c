#include "protocol/encoder.h"

#include <stdlib.h>
#include <string.h>

#include "protocol/encoder_internal.h"
#include "util/frame.h"
#include "ledproto.h"

/* ---- the queue ---------------------------------------------------------- */

static int queue_reserve(struct encoder *e, size_t n)
{
    if (e->q_head > 0 && e->q_len + n > e->q_cap) {
        memmove(e->q, e->q + e->q_head, e->q_len - e->q_head);
        e->q_len -= e->q_head;
        e->q_head = 0;
    }
    if (e->q_len + n <= e->q_cap)
        return 0;
    size_t cap = e->q_cap ? e->q_cap : 16384;
    while (cap < e->q_len + n)
        cap *= 2;
    uint8_t *q = realloc(e->q, cap);
    if (!q)
        return ENCODER_ERR_NO_MEM;
    e->q = q;
    e->q_cap = cap;
    return 0;
}

/* Emits one command of `len` payload bytes (already in place or NULL). */
void encoder_emit(struct sink *s, uint8_t opcode, const uint8_t *payload, size_t len)
{
    s->bytes += LEDPROTO_HEADER_SIZE + len;
    if (!s->queue || s->err)
        return;
    struct encoder *e = s->e;
    int rc = queue_reserve(e, LEDPROTO_HEADER_SIZE + len);
    if (rc) {
        s->err = rc;
        return;
    }
    e->q_len += ledproto_frame_pack(e->q + e->q_len, opcode, e->seq++, payload, len);
}

int encoder_peek(struct encoder *e, size_t max, const uint8_t **bytes, size_t *len)
{
    size_t at = e->q_head, n = 0;
    while (at < e->q_len) {
        size_t size = LEDPROTO_HEADER_SIZE + ledproto_get_u16(e->q + at + 6);
        if (n > 0 && n + size > max)
            break;
        n += size;
        at += size;
    }
    if (n == 0)
        return ENCODER_ERR_EMPTY;
    *bytes = e->q + e->q_head;
    *len = n;
    return 0;
}

void encoder_consume(struct encoder *e, size_t len)
{
    size_t left = e->q_len - e->q_head;
    e->q_head += len < left ? len : left;
    if (e->q_head == e->q_len)
        e->q_head = e->q_len = 0;
}

size_t encoder_pending(const struct encoder *e)
{
    return e->q_len - e->q_head;
}

/* ---- pixels ------------------------------------------------------------- */

/* The first byte of [0, n) where a and b differ, or n; eight at a time.
 * Divided by 3 it is the first pixel that differs. */
static size_t first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t u, v;
        memcpy(&u, a + i, 8);
        memcpy(&v, b + i, 8);
        if (u != v)
            break;
    }
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* One past the last byte of [0, n) where a and b differ, or 0. */
static size_t last_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i = n;
    for (; i >= 8; i -= 8) {
        uint64_t u, v;
        memcpy(&u, a + i - 8, 8);
        memcpy(&v, b + i - 8, 8);
        if (u != v)
            break;
    }
    while (i > 0 && a[i - 1] == b[i - 1])
        i--;
    return i;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Of 8 bytes loaded little-endian, bit j set where byte j is not zero. */
static inline unsigned nonzero_bytes(uint64_t w)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    uint64_t top = (((w & low7) + low7) | w) & ~low7;       /* bit 7 of each byte */
    return (unsigned)(((top >> 7) * 0x0102040810204080ull) >> 56);
}

/* How many of the 8 pixels (24 bytes) at a and b differ. */
static inline int block_diff(const uint8_t *a, const uint8_t *b)
{
    uint64_t u[3], v[3];
    memcpy(u, a, 24);
    memcpy(v, b, 24);
    uint32_t m = nonzero_bytes(u[0] ^ v[0]) | nonzero_bytes(u[1] ^ v[1]) << 8 |
                 nonzero_bytes(u[2] ^ v[2]) << 16;
    /* A pixel differs where any of its three bytes does; then the bits
     * are counted (bit-parallel: no popcount instruction assumed). */
    m = (m | m >> 1 | m >> 2) & 0x249249u;
    m = (m & 0x0C30C3u) + (m >> 3 & 0x0C30C3u);            /* pairs of pixels in 2 bits */
    m = (m & 0x00F00Fu) + (m >> 6 & 0x00F00Fu);            /* fours in 4 bits */
    return (int)((m & 0xFFu) + (m >> 12));
}
#else
static inline int block_diff(const uint8_t *a, const uint8_t *b)
{
    int n = 0;
    for (int i = 0; i < 8; i++)
        n += !same(a + i * 3, b + i * 3);
    return n;
}
#endif

/* How many of the n pixels at a and b differ: the count when it is below
 * `limit`, else some number at or above it (counting stops there). */
static long count_diff(const uint8_t *a, const uint8_t *b, int n, long limit)
{
    long count = 0;
    int x = 0;
    for (; x + 8 <= n && count < limit; x += 8)
        if (memcmp(a + (size_t)x * 3, b + (size_t)x * 3, 24))
            count += block_diff(a + (size_t)x * 3, b + (size_t)x * 3);
    for (; x < n && count < limit; x++)
        count += !same(a + (size_t)x * 3, b + (size_t)x * 3);
    return count;
}

static void quantize_pixel(uint8_t formats, const uint8_t *in, uint8_t *out)
{
    if (formats & LEDPROTO_FMT_RGB888) {
        memcpy(out, in, 3);
    } else if (formats & LEDPROTO_FMT_RGB565) {
        ledproto_rgb565_expand(ledproto_rgb565(in[0], in[1], in[2]), out);
    } else {
        /* MONO1 only: a single-colour panel lights a pixel by the rule of
         * the wire format, so send it as lit white or black. */
        uint8_t v = ledproto_mono_lit(in) ? 255 : 0;
        out[0] = out[1] = out[2] = v;
    }
}

/* The colour held by most pixels of the rect if one holds a majority
 * (Boyer-Moore vote), else some frequent one. While the candidate is eight
 * votes or more ahead, eight pixels are counted at once. */
static void majority_colour(const struct encoder *e, const uint8_t *buf, int x0, int y0,
                            int w, int h, uint8_t out[3])
{
    const uint8_t *cand = px(e, buf, x0, y0);
    uint32_t cv = rgb_of(cand);
    uint8_t eight[24];
    for (int i = 0; i < 8; i++)
        memcpy(eight + i * 3, cand, 3);
    long votes = 0;
    for (int y = y0; y < y0 + h; y++) {
        const uint8_t *p = px(e, buf, x0, y);
        for (int x = 0; x < w;) {
            if (votes >= 8 && x + 8 <= w) {
                /* No vote in these eight can fall to zero: each one for
                 * the candidate adds one, each one against takes one. */
                int against = memcmp(p, eight, 24) ? block_diff(p, eight) : 0;
                votes += 8 - 2 * against;
                x += 8;
                p += 24;
                continue;
            }
            int end = x + 8 < w ? x + 8 : w;
            for (; x < end; x++, p += 3) {
                uint32_t v = rgb_of(p);
                if (votes == 0) {
                    cand = p;
                    votes = 1;
                    if (v != cv)
                        for (int i = 0; i < 8; i++)
                            memcpy(eight + i * 3, cand, 3);
                    cv = v;
                } else {
                    votes += v == cv ? 1 : -1;
                }
            }
        }
    }
    memcpy(out, cand, 3);
}

/* ---- finding what changed ----------------------------------------------- */

/* The changed columns of row y within [x0, x1): from the first pixel that
 * differs to the last. A pixel differs where one of its bytes does. */
static struct span row_span(const struct encoder *e, const uint8_t *shadow, int y, int x0, int x1)
{
    struct span sp = { x0, x0 };
    const uint8_t *a = shadow + (size_t)y * e->stride + (size_t)x0 * 3;
    const uint8_t *b = e->target + (size_t)y * e->stride + (size_t)x0 * 3;
    size_t n = (size_t)(x1 - x0) * 3;
    if (x1 <= x0 || !memcmp(a, b, n))
        return sp;
    sp.x0 = x0 + (int)(first_diff(a, b, n) / 3);
    sp.x1 = x0 + (int)((last_diff(a, b, n) + 2) / 3);
    return sp;
}

static bool row_clean(const struct encoder *e, const uint8_t *shadow, int y, int x0, int x1)
{
    struct span sp = row_span(e, shadow, y, x0, x1);
    return sp.x0 == sp.x1;
}

/* Whether column c differs in rows [y0, y1), asked once per band: most
 * columns are never asked when pricing stops early. */
static bool col_dirty(struct encoder *e, const uint8_t *shadow, int c, int y0, int y1)
{
    uint8_t *known = &e->col_dirty[c];
    if (*known == COL_UNKNOWN) {
        *known = COL_CLEAN;
        for (int r = y0; r < y1; r++)
            if (!same(px(e, shadow, c, r), px(e, e->target, c, r))) {
                *known = COL_DIRTY;
                break;
            }
    }
    return *known == COL_DIRTY;
}

/* Encodes every difference between `shadow` and the target in rows
 * [ya, yb): bands of dirty rows (with short clean gaps), each cut into
 * column ranges around clean stretches that cost more than a new rect.
 * It reads the shadow only where it has not yet written (the spans up
 * front; in a band, columns right of the rects already sent), so pricing
 * it needs no copy of the shadow to write on. Pricing stops once the
 * bytes pass the sink's limit. */
static void encode_dirty(struct sink *s, int ya, int yb)
{
    struct encoder *e = s->e;
    int bpp = (e->formats & LEDPROTO_FMT_RGB565) ? 2 : 3;
    for (int y = ya; y < yb; y++)
        e->spans[y] = row_span(e, s->shadow, y, 0, e->w);
    int y = ya;
    while (y < yb) {
        if (e->spans[y].x0 == e->spans[y].x1) {
            y++;
            continue;
        }
        int y0 = y, y1 = y + 1, bx0 = e->spans[y].x0, bx1 = e->spans[y].x1;
        for (int n = y1; n < yb; n++) {
            if (e->spans[n].x0 == e->spans[n].x1)
                continue;
            if ((long)(n - y1) * (bx1 - bx0) * bpp > RECT_OVERHEAD)
                break;
            y1 = n + 1;
            bx0 = e->spans[n].x0 < bx0 ? e->spans[n].x0 : bx0;
            bx1 = e->spans[n].x1 > bx1 ? e->spans[n].x1 : bx1;
        }
        int bh = y1 - y0;
        memset(e->col_dirty, COL_UNKNOWN, (size_t)e->w);
        int c = bx0;
        while (c < bx1) {
            int x0 = c, x1 = c + 1;
            for (int n = x1; n < bx1; n++) {
                if (!col_dirty(e, s->shadow, n, y0, y1))
                    continue;
                if ((long)(n - x1) * bh * bpp > RECT_OVERHEAD)
                    break;
                x1 = n + 1;
            }
            /* Trim clean rows off this column range. */
            int r0 = y0, r1 = y1;
            while (r0 < r1 && row_clean(e, s->shadow, r0, x0, x1))
                r0++;
            while (r1 > r0 && row_clean(e, s->shadow, r1 - 1, x0, x1))
                r1--;
            if (r0 < r1)
                encoder_cmd_rect(s, x0, r0, x1 - x0, r1 - r0);
            if (s->bytes > s->limit)
                return;
            c = x1;
            while (c < bx1 && !col_dirty(e, s->shadow, c, y0, y1))
                c++;
        }
        y = y1;
    }
}

/* What encode_dirty would send from `shadow` (which is left alone), or
 * some figure above `limit` when that would be more than `limit`. */
static size_t dirty_cost(struct encoder *e, const uint8_t *shadow, int ya, int yb, size_t limit)
{
    struct sink s = { e, (uint8_t *)shadow, false, 0, 0, false, limit };
    encode_dirty(&s, ya, yb);
    return s.bytes;
}

/* The horizontal shift of row y that explains most of its change: the dx
 * whose mismatches plus newly exposed columns are fewest, when that beats
 * sending the changed span as it is by a clear margin. 0 for none. */
static int row_scroll(struct encoder *e, const uint8_t *shadow, int y)
{
    struct span sp = row_span(e, shadow, y, 0, e->w);
    int width = sp.x1 - sp.x0;
    if (width < 2)
        return 0;
    const uint8_t *s = shadow + (size_t)y * e->stride, *t = e->target + (size_t)y * e->stride;
    long best = width / 2;      /* must halve the work to be worth a SCROLL */
    int best_dx = 0;
    /* A shift by d costs at least d (the exposed columns): none at or past
     * the best so far can win. */
    for (int d = 1; d <= MAX_SCROLL_DX && d < width && d < best; d++)
        for (int sign = -1; sign <= 1 && d < best; sign += 2) {
            /* After a shift by sign*d, column x shows the shadow's x - sign*d. */
            int from = sign < 0 ? sp.x0 : sp.x0 + d, to = sign < 0 ? sp.x1 - d : sp.x1;
            /* Mismatches counted until the cost reaches the best. */
            long cost = d + count_diff(t + (size_t)from * 3, s + (size_t)(from - sign * d) * 3,
                                       to - from, best - d);
            if (cost < best) {
                best = cost;
                best_dx = sign * d;
            }
        }
    return best_dx;
}

/* Finds bands of rows that moved by the same dx and scrolls each one
 * where SCROLL plus the rest costs less than redrawing the band. The
 * SCROLLs chosen are noted in e->plan. A band's choice depends on its own
 * rows only, which the SCROLLs of the other bands leave alone. */
static void encode_scrolls(struct sink *s)
{
    struct encoder *e = s->e;
    e->nplan = 0;
    for (int y = 0; y < e->h; y++)
        e->row_dx[y] = row_scroll(e, s->shadow, y);
    int y = 0;
    while (y < e->h) {
        int dx = e->row_dx[y];
        if (!dx) {
            y++;
            continue;
        }
        int y0 = y, x0 = e->w, x1 = 0;
        while (y < e->h && e->row_dx[y] == dx) {
            struct span sp = row_span(e, s->shadow, y, 0, e->w);
            x0 = sp.x0 < x0 ? sp.x0 : x0;
            x1 = sp.x1 > x1 ? sp.x1 : x1;
            y++;
        }
        int d = dx < 0 ? -dx : dx;
        if (x1 - x0 <= d)
            continue;
        struct scroll sc = { x0, y0, x1 - x0, y - y0, dx, { 0 } };
        majority_colour(e, e->target, dx < 0 ? x1 - d : x0, y0, d, y - y0, sc.fill);
        /* The trial reads and writes rows [y0, y) only. */
        memcpy(e->scratch + (size_t)y0 * e->stride, s->shadow + (size_t)y0 * e->stride,
               (size_t)(y - y0) * e->stride);
        struct sink trial = { e, e->scratch, false, 0, 0, true, SIZE_MAX };
        encoder_cmd_scroll(&trial, sc.x, sc.y, sc.w, sc.h, sc.dx, sc.fill);
        size_t with = trial.bytes + dirty_cost(e, e->scratch, y0, y, SIZE_MAX);
        if (with < dirty_cost(e, s->shadow, y0, y, with)) {
            encoder_cmd_scroll(s, sc.x, sc.y, sc.w, sc.h, sc.dx, sc.fill);
            e->plan[e->nplan++] = sc;
        }
    }
}

/* Whether one FILL of the panel's majority colour and then the dirty
 * rectangles would cost less than `keep_cost`. */
static bool fill_is_cheaper(struct encoder *e, size_t keep_cost, uint8_t bg[3])
{
    majority_colour(e, e->target, 0, 0, e->w, e->h, bg);
    struct sink fill = { e, e->scratch, false, 0, 0, true, SIZE_MAX };
    encoder_cmd_fill(&fill, 0, 0, e->w, e->h, bg);
    return fill.bytes < keep_cost &&
           fill.bytes + dirty_cost(e, e->scratch, 0, e->h, keep_cost - fill.bytes) < keep_cost;
}

/* Everything that turns the device's picture into the target but PRESENT.
 *
 * When much of the panel changed (a new message), one FILL of the new
 * background first may leave far less to draw than scrolling and patching
 * what is there; it is sent when a quarter of the panel or more changed
 * and it is the cheaper plan. An unknown panel always starts with it.
 * The scrolling plan is worked out first, on a copy of the shadow: it is
 * what is sent in the common case, so it is not worked out twice, and the
 * changed pixels are counted only when the FILL would win. */
static void encode_changes(struct sink *s)
{
    struct encoder *e = s->e;
    uint8_t bg[3];
    if (!e->valid) {
        majority_colour(e, e->target, 0, 0, e->w, e->h, bg);
        encoder_cmd_fill(s, 0, 0, e->w, e->h, bg);
        e->valid = true;
        encode_scrolls(s);
        encode_dirty(s, 0, e->h);
        return;
    }
    memcpy(e->alt, s->shadow, e->stride * (size_t)e->h);
    struct sink keep = { e, e->alt, false, 0, 0, true, SIZE_MAX };
    encode_scrolls(&keep);
    size_t keep_cost = keep.bytes + dirty_cost(e, e->alt, 0, e->h, SIZE_MAX);
    if (fill_is_cheaper(e, keep_cost, bg)) {
        /* Counted up to a quarter of the panel: beyond that the answer is known. */
        long quarter = ((long)e->w * e->h + 3) / 4, changed = 0;
        for (int y = 0; y < e->h && changed < quarter; y++)
            changed += count_diff(px(e, s->shadow, 0, y), px(e, e->target, 0, y), e->w,
                                  quarter - changed);
        if (changed >= quarter) {
            encoder_cmd_fill(s, 0, 0, e->w, e->h, bg);
            encode_scrolls(s);
            encode_dirty(s, 0, e->h);
            return;
        }
    }
    /* The shadow is what the plan started from, so the plan stands. */
    for (int i = 0; i < e->nplan; i++) {
        const struct scroll *sc = &e->plan[i];
        encoder_cmd_scroll(s, sc->x, sc->y, sc->w, sc->h, sc->dx, sc->fill);
    }
    encode_dirty(s, 0, e->h);
}

/* ---- the public face ---------------------------------------------------- */

int encoder_new(struct encoder **out, int width, int height, uint8_t pixel_formats)
{
    *out = NULL;
    uint8_t pix = LEDPROTO_FMT_MONO1 | LEDPROTO_FMT_RGB565 | LEDPROTO_FMT_RGB888;
    if (width < 1 || height < 1 || !ledproto_geometry_ok((uint32_t)width, (uint32_t)height) ||
        !(pixel_formats & pix))
        return ENCODER_ERR_INVALID;
    struct encoder *e = calloc(1, sizeof *e);
    if (!e)
        return ENCODER_ERR_NO_MEM;
    e->w = width;
    e->h = height;
    e->stride = (size_t)width * 3;
    e->formats = pixel_formats;
    size_t fb = e->stride * (size_t)height;
    e->shadow = malloc(fb);
    e->quantized = malloc(fb);
    e->scratch = malloc(fb);
    e->alt = malloc(fb);
    e->spans = calloc((size_t)height, sizeof *e->spans);
    e->row_dx = calloc((size_t)height, sizeof *e->row_dx);
    e->col_dirty = calloc((size_t)width, 1);
    e->plan = calloc((size_t)height, sizeof *e->plan);
    if (!e->shadow || !e->quantized || !e->scratch || !e->alt || !e->spans || !e->row_dx ||
        !e->col_dirty || !e->plan) {
        encoder_free(e);
        return ENCODER_ERR_NO_MEM;
    }
    *out = e;
    return 0;
}

void encoder_free(struct encoder *e)
{
    if (!e)
        return;
    free(e->shadow);
    free(e->quantized);
    free(e->scratch);
    free(e->alt);
    free(e->spans);
    free(e->row_dx);
    free(e->col_dirty);
    free(e->plan);
    free(e->q);
    free(e);
}

int encoder_frame(struct encoder *e, const struct frame *f, uint32_t frame_seq, uint32_t host_ms)
{
    if (!f || !f->rgb || f->width != e->w || f->height != e->h)
        return ENCODER_ERR_INVALID;
    if ((e->formats & LEDPROTO_FMT_RGB888) && f->stride == e->stride) {
        e->target = f->rgb;     /* quantize_pixel would copy it as it is */
    } else {
        for (int y = 0; y < e->h; y++)
            for (int x = 0; x < e->w; x++)
                quantize_pixel(e->formats, frame_pixel(f, x, y), px(e, e->quantized, x, y));
        e->target = e->quantized;
    }
    struct sink s = { e, e->shadow, true, 0, 0, true, SIZE_MAX };
    /* A frame the device already shows needs only PRESENT: every step
     * below would find nothing to do. */
    if (!e->valid || memcmp(e->shadow, e->target, e->stride * (size_t)e->h))
        encode_changes(&s);
    uint8_t *p = e->payload;
    ledproto_present_pack(p, frame_seq, host_ms);
    encoder_emit(&s, LEDPROTO_OP_PRESENT, p, LEDPROTO_PRESENT_SIZE);
    if (s.err)
        e->valid = false;   /* some commands were lost: start over */
    return s.err;
}

void encoder_force_full(struct encoder *e)
{
    e->valid = false;
}

static int control(struct encoder *e, uint8_t opcode, const uint8_t *payload, size_t len)
{
    struct sink s = { e, e->shadow, true, 0, 0, true, SIZE_MAX };
    encoder_emit(&s, opcode, payload, len);
    return s.err;
}

int encoder_brightness(struct encoder *e, uint8_t level)
{
    return control(e, LEDPROTO_OP_BRIGHTNESS, &level, LEDPROTO_BRIGHTNESS_SIZE);
}

int encoder_standby(struct encoder *e, bool dark)
{
    uint8_t v = dark ? 1 : 0;
    return control(e, LEDPROTO_OP_STANDBY, &v, LEDPROTO_STANDBY_SIZE);
}

int encoder_reset(struct encoder *e)
{
    int rc = control(e, LEDPROTO_OP_RESET, NULL, 0);
    if (rc == 0) {
        memset(e->shadow, 0, e->stride * (size_t)e->h);
        e->valid = true;    /* RESET clears the back buffer to black */
    } else {
        e->valid = false;
    }
    return rc;
}

int encoder_timeouts(struct encoder *e, uint32_t silence_ms, uint32_t notice_ms)
{
    if (silence_ms < 1000 || notice_ms < silence_ms)
        return ENCODER_ERR_INVALID;
    uint8_t p[LEDPROTO_TIMEOUTS_SIZE];
    ledproto_timeouts_pack(p, silence_ms, notice_ms);
    return control(e, LEDPROTO_OP_TIMEOUTS, p, sizeof p);
}

const uint8_t *encoder_shadow(const struct encoder *e)
{
    return e->valid ? e->shadow : NULL;
}

const char *encoder_strerror(int err)
{
    switch (err) {
    case ENCODER_OK: return "success";
    case ENCODER_ERR_INVALID: return "invalid argument";
    case ENCODER_ERR_NO_MEM: return "out of memory";
    case ENCODER_ERR_EMPTY: return "nothing queued";
    default: return "unknown encoder error";
    }
}
