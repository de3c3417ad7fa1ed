#include "cmdstream.h"

#include <stdlib.h>
#include <string.h>

void cmdstream_init(struct cmdstream *s)
{
    memset(s, 0, sizeof *s);
}

void cmdstream_free(struct cmdstream *s)
{
    free(s->data);
    memset(s, 0, sizeof *s);
}

static uint8_t *grow(struct cmdstream *s, size_t more)
{
    if (s->len + more > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + more)
            cap *= 2;
        uint8_t *p = realloc(s->data, cap);
        if (!p)
            abort();
        s->data = p;
        s->cap = cap;
    }
    uint8_t *at = s->data + s->len;
    s->len += more;
    return at;
}

void cmdstream_bytes(struct cmdstream *s, const void *bytes, size_t len)
{
    if (len)
        memcpy(grow(s, len), bytes, len);
}

size_t cmdstream_frame(struct cmdstream *s, uint8_t opcode, const uint8_t *payload, size_t len)
{
    size_t at = s->len;
    uint8_t *p = grow(s, LEDPROTO_HEADER_SIZE + len);
    if (!ledproto_frame_pack(p, opcode, s->seq++, payload, len))
        abort();
    return at;
}

size_t cmdstream_fill(struct cmdstream *s, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                      uint8_t r, uint8_t g, uint8_t b)
{
    uint8_t p[LEDPROTO_FILL_SIZE];
    ledproto_fill_pack(p, x, y, w, h, r, g, b);
    return cmdstream_frame(s, LEDPROTO_OP_FILL, p, sizeof p);
}

size_t cmdstream_blit(struct cmdstream *s, const struct ledproto_blit *b, const uint8_t *data,
                      size_t len)
{
    uint8_t *p = malloc(LEDPROTO_BLIT_HEAD_SIZE + len);
    if (!p)
        abort();
    ledproto_blit_head_pack(p, b);
    if (len)
        memcpy(p + LEDPROTO_BLIT_HEAD_SIZE, data, len);
    size_t at = cmdstream_frame(s, LEDPROTO_OP_BLIT, p, LEDPROTO_BLIT_HEAD_SIZE + len);
    free(p);
    return at;
}

size_t cmdstream_scroll(struct cmdstream *s, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                        int16_t dx, int16_t dy, uint8_t r, uint8_t g, uint8_t b)
{
    uint8_t p[LEDPROTO_SCROLL_SIZE];
    ledproto_scroll_pack(p, x, y, w, h, dx, dy, r, g, b);
    return cmdstream_frame(s, LEDPROTO_OP_SCROLL, p, sizeof p);
}

size_t cmdstream_present(struct cmdstream *s, uint32_t frame_seq, uint32_t host_ms)
{
    uint8_t p[LEDPROTO_PRESENT_SIZE];
    ledproto_present_pack(p, frame_seq, host_ms);
    return cmdstream_frame(s, LEDPROTO_OP_PRESENT, p, sizeof p);
}

size_t cmdstream_u8(struct cmdstream *s, uint8_t opcode, uint8_t value)
{
    return cmdstream_frame(s, opcode, &value, 1);
}
