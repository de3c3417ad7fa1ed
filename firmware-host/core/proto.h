/* proto — the incremental frame decoder. Bytes go in, in any chunking;
 * whole frames whose header CRC and payload CRC are right come out, one
 * call of the frame handler each. Everything else is dropped and counted,
 * and the decoder resynchronises on the next magic, hunting through the
 * bytes it already holds (so a real frame behind a false start is found).
 *
 * The decoder never allocates and never blocks: every step of
 * proto_decode_feed consumes at least one byte or waits for more. */
#ifndef FW_PROTO_H
#define FW_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledproto.h"

/* What the frame handler says about a frame; the decoder counts it. */
enum proto_result {
    PROTO_OK = 0,
    PROTO_BAD_OPCODE,       /* unknown opcode */
    PROTO_BAD_LENGTH,       /* payload size wrong for the opcode or its data */
    PROTO_BAD_FIELD,        /* a field out of range: rect, format, run, ... */
};

struct proto_counters {
    uint32_t frames_ok;     /* frames the handler accepted */
    uint32_t crc_errors;
    uint32_t bad_opcode;
    uint32_t bad_length;
    uint32_t bad_field;
    uint32_t seq_gaps;
    uint32_t bytes_skipped;
};

typedef enum proto_result (*proto_frame_fn)(void *ctx, const struct ledproto_header *h,
                                            const uint8_t *payload);

struct proto_decoder {
    uint8_t buf[LEDPROTO_FRAME_MAX];
    size_t start, end;      /* unconsumed bytes are buf[start..end) */
    bool seq_known;
    uint16_t next_seq;      /* the seq expected next, once known */
    uint16_t last_seq;      /* seq of the last intact frame */
    struct proto_counters count;
};

/* An empty decoder with zeroed counters. */
void proto_decoder_init(struct proto_decoder *d);

/* Feeds n bytes; calls fn(ctx, header, payload) for every intact frame, in
 * order, before returning. fn must not call back into this decoder. */
void proto_decode_feed(struct proto_decoder *d, const uint8_t *data, size_t n,
                       proto_frame_fn fn, void *ctx);

#endif
