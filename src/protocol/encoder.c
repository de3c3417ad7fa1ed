#include "protocol/encoder.h"

#include <stdlib.h>
#include <string.h>

#include "util/frame.h"
#include "ledproto.h"

/* Horizontal scrolls looked for, in pixels per frame either way. A ticker
 * moves 1..4 px per frame; a late frame a few more. */
#define MAX_SCROLL_DX 24

/* What one more BLIT costs beyond its pixels: header and BLIT head. Gaps
 * of clean pixels cheaper than this are sent rather than split around. */
#define RECT_OVERHEAD (LEDPROTO_HEADER_SIZE + LEDPROTO_BLIT_HEAD_SIZE)

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
    uint8_t *target;        /* this frame, as the device can show it */
    uint8_t *scratch;       /* a shadow to try alternatives on */
    uint8_t *plain;         /* another, to price the plain way */
    uint8_t *alt;           /* and one for whole plans */
    struct span *spans;     /* per row */
    int *row_dx;            /* per row: the scroll found, 0 for none */
    uint8_t *col_dirty;     /* per column, within one band */
    uint8_t raw[LEDPROTO_BLIT_MAX_DATA];
    uint8_t coded[LEDPROTO_BLIT_MAX_DATA + LEDPROTO_BLIT_MAX_DATA / 128 + 8];
    uint8_t payload[LEDPROTO_MAX_PAYLOAD];
    /* The queue: bytes [head, len) are waiting to be sent. */
    uint8_t *q;
    size_t q_head, q_len, q_cap;
};

/* Where commands go: queued for real, or only counted (to price an
 * alternative). Either way they are applied to `shadow`. */
struct sink {
    struct encoder *e;
    uint8_t *shadow;
    bool queue;
    size_t bytes;
    int err;
};

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
static void emit(struct sink *s, uint8_t opcode, const uint8_t *payload, size_t len)
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

static inline uint8_t *px(const struct encoder *e, uint8_t *buf, int x, int y)
{
    return buf + (size_t)y * e->stride + (size_t)x * 3;
}

static inline bool same(const uint8_t *a, const uint8_t *b)
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

static bool exact_in_565(const uint8_t *p)
{
    uint8_t back[3];
    ledproto_rgb565_expand(ledproto_rgb565(p[0], p[1], p[2]), back);
    return same(p, back);
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
 * (Boyer-Moore vote), else some frequent one. */
static void majority_colour(const struct encoder *e, const uint8_t *buf, int x0, int y0,
                            int w, int h, uint8_t out[3])
{
    const uint8_t *cand = px(e, (uint8_t *)buf, x0, y0);
    long votes = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            const uint8_t *p = px(e, (uint8_t *)buf, x, y);
            if (votes == 0) {
                cand = p;
                votes = 1;
            } else {
                votes += same(p, cand) ? 1 : -1;
            }
        }
    memcpy(out, cand, 3);
}

static void copy_rect(struct encoder *e, uint8_t *dst, int x, int y, int w, int h)
{
    for (int r = y; r < y + h; r++)
        memcpy(px(e, dst, x, r), px(e, e->target, x, r), (size_t)w * 3);
}

/* ---- commands, applied to the sink's shadow as the decoder would -------- */

static void cmd_fill(struct sink *s, int x, int y, int w, int h, const uint8_t rgb[3])
{
    uint8_t *p = s->e->payload;
    ledproto_fill_pack(p, (uint16_t)x, (uint16_t)y, (uint16_t)w, (uint16_t)h, rgb[0], rgb[1],
                       rgb[2]);
    emit(s, LEDPROTO_OP_FILL, p, LEDPROTO_FILL_SIZE);
    for (int r = y; r < y + h; r++)
        for (int c = x; c < x + w; c++)
            memcpy(px(s->e, s->shadow, c, r), rgb, 3);
}

/* Scrolls rows [y, y+h) of columns [x, x+w) by dx (dy 0). */
static void cmd_scroll(struct sink *s, int x, int y, int w, int h, int dx, const uint8_t rgb[3])
{
    uint8_t *p = s->e->payload;
    ledproto_scroll_pack(p, (uint16_t)x, (uint16_t)y, (uint16_t)w, (uint16_t)h, (int16_t)dx, 0,
                         rgb[0], rgb[1], rgb[2]);
    emit(s, LEDPROTO_OP_SCROLL, p, LEDPROTO_SCROLL_SIZE);
    int d = dx < 0 ? -dx : dx;
    for (int r = y; r < y + h; r++) {
        uint8_t *row = px(s->e, s->shadow, x, r);
        if (dx < 0)
            memmove(row, row + (size_t)d * 3, (size_t)(w - d) * 3);
        else
            memmove(row + (size_t)d * 3, row, (size_t)(w - d) * 3);
        int ex = dx < 0 ? w - d : 0;
        for (int c = 0; c < d; c++)
            memcpy(row + (size_t)(ex + c) * 3, rgb, 3);
    }
}

/* PackBits over elements of `es` bytes (ledproto.h): literal runs of up
 * to 128 elements, repeats of 2..129. A repeat of two is taken only where
 * it does not split a literal (there it saves nothing). Returns the coded
 * size, or 0 when it would not be smaller than `n` raw bytes. */
static size_t rle_encode(const uint8_t *in, size_t n, size_t es, uint8_t *out)
{
    size_t count = n / es, i = 0, o = 0, lit_at = 0, lit_n = 0;
    while (i < count) {
        size_t run = 1;
        while (i + run < count && run < LEDPROTO_RLE_REPEAT_MAX &&
               !memcmp(in + (i + run) * es, in + i * es, es))
            run++;
        if (run >= 3 || (run == 2 && lit_n == 0)) {
            lit_n = 0;
            out[o++] = (uint8_t)(0x80 + run - 2);
            memcpy(out + o, in + i * es, es);
            o += es;
            i += run;
        } else {
            if (lit_n == 0 || lit_n == LEDPROTO_RLE_LITERAL_MAX) {
                lit_at = o++;
                lit_n = 0;
            }
            out[lit_at] = (uint8_t)lit_n++;
            memcpy(out + o, in + i * es, es);
            o += es;
            i++;
        }
        if (o >= n)
            return 0;
    }
    return o;
}

/* One BLIT of a rect whose data fits a payload; the shadow takes the
 * target's pixels, which the chosen format carries exactly. */
static void blit_tile(struct sink *s, int x, int y, int w, int h, uint8_t format,
                      const uint8_t fg[3], const uint8_t bg[3])
{
    struct encoder *e = s->e;
    size_t n = ledproto_blit_data_size(format, (uint16_t)w, (uint16_t)h);
    uint8_t *d = e->raw;
    if (format == LEDPROTO_FMT_MONO1)
        memset(d, 0, n);
    size_t row_bytes = n / (size_t)h;
    for (int r = 0; r < h; r++) {
        uint8_t *out = d + (size_t)r * row_bytes;
        for (int c = 0; c < w; c++) {
            const uint8_t *p = px(e, e->target, x + c, y + r);
            if (format == LEDPROTO_FMT_MONO1) {
                if (same(p, fg))
                    out[c / 8] |= (uint8_t)(0x80 >> (c % 8));
            } else if (format == LEDPROTO_FMT_RGB565) {
                ledproto_put_u16(out + c * 2, ledproto_rgb565(p[0], p[1], p[2]));
            } else {
                memcpy(out + c * 3, p, 3);
            }
        }
    }
    struct ledproto_blit b = { (uint16_t)x, (uint16_t)y, (uint16_t)w, (uint16_t)h, format, 0,
                               { 0 }, { 0 } };
    if (format == LEDPROTO_FMT_MONO1) {
        memcpy(b.fg, fg, 3);
        memcpy(b.bg, bg, 3);
    }
    size_t coded = 0;
    if (e->formats & LEDPROTO_FMT_RLE)
        coded = rle_encode(d, n, ledproto_fmt_element_size(format), e->coded);
    if (coded) {
        b.flags = LEDPROTO_BLIT_RLE;
        d = e->coded;
        n = coded;
    }
    ledproto_blit_head_pack(e->payload, &b);
    memcpy(e->payload + LEDPROTO_BLIT_HEAD_SIZE, d, n);
    emit(s, LEDPROTO_OP_BLIT, e->payload, LEDPROTO_BLIT_HEAD_SIZE + n);
    copy_rect(e, s->shadow, x, y, w, h);
}

/* Splits a rect into tiles whose raw data fits one payload. A tile's row
 * never holds more than a payload's data, so every tile has rows (max_h is
 * at least 1) whatever the panel's width. */
static void blit_rect(struct sink *s, int x, int y, int w, int h, uint8_t format,
                      const uint8_t fg[3], const uint8_t bg[3])
{
    size_t es = ledproto_fmt_element_size(format);
    int max_w = (int)(format == LEDPROTO_FMT_MONO1 ? LEDPROTO_BLIT_MAX_DATA * 8
                                                   : LEDPROTO_BLIT_MAX_DATA / es);
    for (int tx = x; tx < x + w; tx += max_w) {
        int tw = x + w - tx < max_w ? x + w - tx : max_w;
        size_t row = ledproto_blit_data_size(format, (uint16_t)tw, 1);
        int max_h = (int)(LEDPROTO_BLIT_MAX_DATA / row);
        for (int ty = y; ty < y + h; ty += max_h) {
            int th = y + h - ty < max_h ? y + h - ty : max_h;
            blit_tile(s, tx, ty, tw, th, format, fg, bg);
        }
    }
}

/* Sends the rect's target pixels in the cheapest way the device takes. */
static void encode_rect(struct sink *s, int x, int y, int w, int h)
{
    struct encoder *e = s->e;
    const uint8_t *c0 = px(e, e->target, x, y), *c1 = NULL;
    bool three = false, all_565 = true;
    for (int r = y; r < y + h; r++)
        for (int c = x; c < x + w; c++) {
            const uint8_t *p = px(e, e->target, c, r);
            if (all_565 && !exact_in_565(p))
                all_565 = false;
            if (same(p, c0) || (c1 && same(p, c1)))
                continue;
            if (!c1)
                c1 = p;
            else
                three = true;
        }
    if (!c1) {
        cmd_fill(s, x, y, w, h, c0);
        return;
    }
    if (!three && (e->formats & LEDPROTO_FMT_MONO1)) {
        blit_rect(s, x, y, w, h, LEDPROTO_FMT_MONO1, c1, c0);
        return;
    }
    bool use_565 = (e->formats & LEDPROTO_FMT_RGB565) &&
                   (all_565 || !(e->formats & LEDPROTO_FMT_RGB888));
    blit_rect(s, x, y, w, h, use_565 ? LEDPROTO_FMT_RGB565 : LEDPROTO_FMT_RGB888, NULL, NULL);
}

/* ---- finding what changed ----------------------------------------------- */

static struct span row_span(const struct encoder *e, const uint8_t *shadow, int y, int x0, int x1)
{
    struct span sp = { x0, x0 };
    const uint8_t *a = shadow + (size_t)y * e->stride, *b = e->target + (size_t)y * e->stride;
    int lo = x0, hi = x1;
    while (lo < hi && same(a + lo * 3, b + lo * 3))
        lo++;
    while (hi > lo && same(a + (hi - 1) * 3, b + (hi - 1) * 3))
        hi--;
    if (lo < hi) {
        sp.x0 = lo;
        sp.x1 = hi;
    }
    return sp;
}

static bool row_clean(const struct encoder *e, const uint8_t *shadow, int y, int x0, int x1)
{
    struct span sp = row_span(e, shadow, y, x0, x1);
    return sp.x0 == sp.x1;
}

/* Encodes every difference between `shadow` and the target in rows
 * [ya, yb): bands of dirty rows (with short clean gaps), each cut into
 * column ranges around clean stretches that cost more than a new rect. */
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
        memset(e->col_dirty, 0, (size_t)e->w);
        for (int r = y0; r < y1; r++)
            for (int c = e->spans[r].x0; c < e->spans[r].x1; c++)
                if (!e->col_dirty[c] && !same(px(e, s->shadow, c, r), px(e, e->target, c, r)))
                    e->col_dirty[c] = 1;
        int c = bx0;
        while (c < bx1) {
            int x0 = c, x1 = c + 1;
            for (int n = x1; n < bx1; n++) {
                if (!e->col_dirty[n])
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
                encode_rect(s, x0, r0, x1 - x0, r1 - r0);
            c = x1;
            while (c < bx1 && !e->col_dirty[c])
                c++;
        }
        y = y1;
    }
}

/* What encode_dirty would send from `shadow` (which is left alone). */
static size_t dirty_cost(struct encoder *e, const uint8_t *shadow, int ya, int yb)
{
    if (shadow != e->plain)
        memcpy(e->plain + (size_t)ya * e->stride, shadow + (size_t)ya * e->stride,
               (size_t)(yb - ya) * e->stride);
    struct sink s = { e, e->plain, false, 0, 0 };
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
    for (int d = 1; d <= MAX_SCROLL_DX && d < width; d++)
        for (int sign = -1; sign <= 1; sign += 2) {
            long cost = d;
            /* After a shift by sign*d, column x shows the shadow's x - sign*d. */
            int from = sign < 0 ? sp.x0 : sp.x0 + d, to = sign < 0 ? sp.x1 - d : sp.x1;
            for (int x = from; x < to && cost < best; x++)
                cost += !same(t + x * 3, s + (x - sign * d) * 3);
            if (cost < best) {
                best = cost;
                best_dx = sign * d;
            }
        }
    return best_dx;
}

/* Finds bands of rows that moved by the same dx and scrolls each one
 * where SCROLL plus the rest costs less than redrawing the band. */
static void encode_scrolls(struct sink *s)
{
    struct encoder *e = s->e;
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
        uint8_t fill[3];
        majority_colour(e, e->target, dx < 0 ? x1 - d : x0, y0, d, y - y0, fill);
        memcpy(e->scratch, s->shadow, e->stride * (size_t)e->h);
        struct sink trial = { e, e->scratch, false, 0, 0 };
        cmd_scroll(&trial, x0, y0, x1 - x0, y - y0, dx, fill);
        size_t with = trial.bytes + dirty_cost(e, e->scratch, y0, y);
        if (with < dirty_cost(e, s->shadow, y0, y))
            cmd_scroll(s, x0, y0, x1 - x0, y - y0, dx, fill);
    }
}

/* When much of the panel changed (a new message), one FILL of the new
 * background first may leave far less to draw than scrolling and patching
 * what is there. An unknown panel always starts with it. */
static void encode_background(struct sink *s)
{
    struct encoder *e = s->e;
    uint8_t bg[3];
    majority_colour(e, e->target, 0, 0, e->w, e->h, bg);
    if (!e->valid) {
        cmd_fill(s, 0, 0, e->w, e->h, bg);
        return;
    }
    long changed = 0;
    for (size_t i = 0; i < e->stride * (size_t)e->h; i += 3)
        changed += !same(s->shadow + i, e->target + i);
    if (changed * 4 < (long)e->w * e->h)
        return;
    size_t fb = e->stride * (size_t)e->h;
    memcpy(e->alt, s->shadow, fb);
    struct sink keep = { e, e->alt, false, 0, 0 };
    encode_scrolls(&keep);
    size_t keep_cost = keep.bytes + dirty_cost(e, e->alt, 0, e->h);
    memcpy(e->alt, s->shadow, fb);
    struct sink fill = { e, e->alt, false, 0, 0 };
    cmd_fill(&fill, 0, 0, e->w, e->h, bg);
    if (fill.bytes + dirty_cost(e, e->alt, 0, e->h) < keep_cost)
        cmd_fill(s, 0, 0, e->w, e->h, bg);
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
    e->target = malloc(fb);
    e->scratch = malloc(fb);
    e->plain = malloc(fb);
    e->alt = malloc(fb);
    e->spans = calloc((size_t)height, sizeof *e->spans);
    e->row_dx = calloc((size_t)height, sizeof *e->row_dx);
    e->col_dirty = calloc((size_t)width, 1);
    if (!e->shadow || !e->target || !e->scratch || !e->plain || !e->alt || !e->spans || !e->row_dx || !e->col_dirty) {
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
    free(e->target);
    free(e->scratch);
    free(e->plain);
    free(e->alt);
    free(e->spans);
    free(e->row_dx);
    free(e->col_dirty);
    free(e->q);
    free(e);
}

int encoder_frame(struct encoder *e, const struct frame *f, uint32_t frame_seq, uint32_t host_ms)
{
    if (!f || !f->rgb || f->width != e->w || f->height != e->h)
        return ENCODER_ERR_INVALID;
    for (int y = 0; y < e->h; y++)
        for (int x = 0; x < e->w; x++)
            quantize_pixel(e->formats, frame_pixel(f, x, y), px(e, e->target, x, y));
    struct sink s = { e, e->shadow, true, 0, 0 };
    encode_background(&s);
    e->valid = true;
    encode_scrolls(&s);
    encode_dirty(&s, 0, e->h);
    uint8_t *p = e->payload;
    ledproto_present_pack(p, frame_seq, host_ms);
    emit(&s, LEDPROTO_OP_PRESENT, p, LEDPROTO_PRESENT_SIZE);
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
    struct sink s = { e, e->shadow, true, 0, 0 };
    emit(&s, opcode, payload, len);
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
