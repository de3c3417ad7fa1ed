/* cmdstream — builds controller command streams in tests, one command per
 * call, with consecutive seq numbers, exactly as ledproto.h packs them. */
#ifndef TEST_CMDSTREAM_H
#define TEST_CMDSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "ledproto.h"

struct cmdstream {
    uint8_t *data;
    size_t len, cap;
    uint16_t seq;
};

void cmdstream_init(struct cmdstream *s);
void cmdstream_free(struct cmdstream *s);
/* Appends raw bytes (noise, a broken frame, ...). */
void cmdstream_bytes(struct cmdstream *s, const void *bytes, size_t len);
/* Appends one frame; returns its offset in s->data. */
size_t cmdstream_frame(struct cmdstream *s, uint8_t opcode, const uint8_t *payload, size_t len);
size_t cmdstream_fill(struct cmdstream *s, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                      uint8_t r, uint8_t g, uint8_t b);
size_t cmdstream_blit(struct cmdstream *s, const struct ledproto_blit *b, const uint8_t *data,
                      size_t len);
size_t cmdstream_scroll(struct cmdstream *s, uint16_t x, uint16_t y, uint16_t w, uint16_t h,
                        int16_t dx, int16_t dy, uint8_t r, uint8_t g, uint8_t b);
size_t cmdstream_present(struct cmdstream *s, uint32_t frame_seq, uint32_t host_ms);
size_t cmdstream_u8(struct cmdstream *s, uint8_t opcode, uint8_t value);

#endif
