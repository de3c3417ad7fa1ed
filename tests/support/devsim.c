#include "devsim.h"

#include <stdbool.h>
#include <stdlib.h>

static uint32_t now_ms(void *user)
{
    return ((struct devsim *)user)->now;
}

static bool usb_send(void *user, const uint8_t *data, size_t len)
{
    (void)data, (void)len;
    ((struct devsim *)user)->statuses++;
    return true;
}

struct devsim *devsim_new(const char *board)
{
    const struct fw_board *b = board_find(board);
    if (!b)
        return NULL;
    struct devsim *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    struct fw_port port = { .user = d, .now_ms = now_ms, .usb_send = usb_send };
    if (fw_init(&d->fw, b, &port) != 0) {
        free(d);
        return NULL;
    }
    return d;
}

void devsim_free(struct devsim *d)
{
    free(d);
}

void devsim_feed(struct devsim *d, const uint8_t *bytes, size_t len, size_t max_chunk,
                 unsigned *seed)
{
    while (len > 0) {
        size_t n = seed ? 1 + (size_t)rand_r(seed) % max_chunk : max_chunk;
        if (n > len)
            n = len;
        size_t took = fw_usb_rx(&d->fw, bytes, n);
        bytes += took;
        len -= took;
        d->now++;
        fw_task(&d->fw);
    }
}

uint32_t devsim_errors(const struct devsim *d)
{
    struct ledproto_status s;
    fw_status(&d->fw, &s);
    return s.crc_errors + s.bad_opcode + s.bad_length + s.bad_field + s.overflows +
           s.seq_gaps + s.bytes_skipped;
}
