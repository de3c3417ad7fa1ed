#include "proto.h"

#include <string.h>

void proto_decoder_init(struct proto_decoder *d)
{
    memset(d, 0, sizeof *d);
}

/* Drops bytes up to the next possible magic. A lone MAGIC0 at the very end
 * is kept: its MAGIC1 may be in the next chunk. */
static void hunt(struct proto_decoder *d)
{
    size_t i = d->start;
    while (i < d->end) {
        if (d->buf[i] == LEDPROTO_MAGIC0 &&
            (i + 1 == d->end || d->buf[i + 1] == LEDPROTO_MAGIC1))
            break;
        i++;
    }
    d->count.bytes_skipped += (uint32_t)(i - d->start);
    d->start = i;
}

static void count_result(struct proto_decoder *d, enum proto_result r)
{
    switch (r) {
    case PROTO_OK: d->count.frames_ok++; break;
    case PROTO_BAD_OPCODE: d->count.bad_opcode++; break;
    case PROTO_BAD_LENGTH: d->count.bad_length++; break;
    case PROTO_BAD_FIELD: d->count.bad_field++; break;
    }
}

static void note_seq(struct proto_decoder *d, const struct ledproto_header *h)
{
    /* A RESET starts a new conversation: the host may have restarted. */
    if (d->seq_known && h->seq != d->next_seq && h->opcode != LEDPROTO_OP_RESET)
        d->count.seq_gaps++;
    d->seq_known = true;
    d->next_seq = (uint16_t)(h->seq + 1);
    d->last_seq = h->seq;
}

/* Why a header that starts with the magic is refused. */
static void count_bad_header(struct proto_decoder *d, const uint8_t *p)
{
    if (ledproto_get_u16(p + 10) != ledproto_crc16(p, 10))
        d->count.crc_errors++;
    else if (p[3] != 0)
        d->count.bad_field++;
    else
        d->count.bad_length++;
}

/* Takes every complete frame out of the buffer. Returns when the bytes
 * left are the beginning of a frame (or nothing). Each pass of the loop
 * consumes at least one byte or returns, so it always ends. */
static void process(struct proto_decoder *d, proto_frame_fn fn, void *ctx)
{
    for (;;) {
        hunt(d);
        size_t have = d->end - d->start;
        if (have < LEDPROTO_HEADER_SIZE)
            return;
        const uint8_t *p = d->buf + d->start;
        struct ledproto_header h;
        if (!ledproto_header_unpack(p, &h)) {
            count_bad_header(d, p);
            d->start++;             /* resync: hunt again from the next byte */
            continue;
        }
        size_t total = LEDPROTO_HEADER_SIZE + h.length;
        if (have < total)
            return;
        if (ledproto_crc16(p + LEDPROTO_HEADER_SIZE, h.length) != h.payload_crc) {
            d->count.crc_errors++;
            d->start++;
            continue;
        }
        note_seq(d, &h);
        count_result(d, fn(ctx, &h, p + LEDPROTO_HEADER_SIZE));
        d->start += total;
    }
}

void proto_decode_feed(struct proto_decoder *d, const uint8_t *data, size_t n,
                       proto_frame_fn fn, void *ctx)
{
    while (n > 0) {
        if (d->start == d->end) {
            d->start = d->end = 0;
        } else if (d->end == sizeof d->buf) {
            /* Full: the frame in progress starts at start and is at most
             * LEDPROTO_FRAME_MAX long, so moving it to the front makes room. */
            for (size_t i = 0; i < d->end - d->start; i++)  /* no memmove in the core */
                d->buf[i] = d->buf[d->start + i];
            d->end -= d->start;
            d->start = 0;
        }
        size_t room = sizeof d->buf - d->end;
        size_t take = n < room ? n : room;
        memcpy(d->buf + d->end, data, take);
        d->end += take;
        data += take;
        n -= take;
        process(d, fn, ctx);
    }
}
