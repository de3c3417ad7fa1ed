/* wirecmds — decodes a recorded wire stream (the `record:PATH` output) with
 * the firmware's own decoder and prints the light and frame commands, one
 * line each, so that a shell test can read what the controller was told:
 *
 *   brightness LEVEL
 *   standby 1|0
 *   present FRAME_SEQ HOST_MS
 *   bad N              (at the end, when any frame was dropped: N of them)
 *
 *   wirecmds FILE */
#include <stdio.h>

#include "proto.h"

static enum proto_result print_cmd(void *ctx, const struct ledproto_header *h,
                                   const uint8_t *payload)
{
    (void)ctx;
    if (h->opcode == LEDPROTO_OP_BRIGHTNESS && h->length == LEDPROTO_BRIGHTNESS_SIZE)
        printf("brightness %u\n", payload[0]);
    else if (h->opcode == LEDPROTO_OP_STANDBY && h->length == LEDPROTO_STANDBY_SIZE)
        printf("standby %u\n", payload[0]);
    else if (h->opcode == LEDPROTO_OP_PRESENT && h->length == LEDPROTO_PRESENT_SIZE)
        printf("present %lu %lu\n", (unsigned long)ledproto_get_u32(payload),
               (unsigned long)ledproto_get_u32(payload + 4));
    return PROTO_OK;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: wirecmds FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static struct proto_decoder d;
    proto_decoder_init(&d);
    uint8_t buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        proto_decode_feed(&d, buf, n, print_cmd, NULL);
    fclose(f);
    const struct proto_counters *c = &d.count;
    unsigned long bad = (unsigned long)c->crc_errors + c->bad_opcode + c->bad_length +
                        c->bad_field + c->bytes_skipped;
    if (bad)
        printf("bad %lu\n", bad);
    return 0;
}
