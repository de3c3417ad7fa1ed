#include "fwtest.h"

#include <stdlib.h>
#include <string.h>

static uint32_t fake_now(void *user)
{
    return ((struct fwtest *)user)->now_ms;
}

static bool fake_send(void *user, const uint8_t *data, size_t len)
{
    struct fwtest *t = user;
    struct ledproto_header h;
    if (t->usb_busy)
        return false;
    if (len != LEDPROTO_HEADER_SIZE + LEDPROTO_STATUS_SIZE || !ledproto_header_unpack(data, &h) ||
        h.opcode != LEDPROTO_OP_STATUS || h.length != LEDPROTO_STATUS_SIZE ||
        ledproto_crc16(data + LEDPROTO_HEADER_SIZE, h.length) != h.payload_crc)
        abort();                        /* the core sent a malformed STATUS */
    ledproto_status_unpack(data + LEDPROTO_HEADER_SIZE, &t->last_status);
    if (t->n_status < FWTEST_MAX_STATUS)
        t->status[t->n_status] = t->last_status;
    t->n_status++;
    return true;
}

static void fake_show(void *user, const struct panel_out *out)
{
    struct fwtest *t = user;
    t->panel_shows++;
    t->last_out = out;
}

struct fwtest *fwtest_new(const char *name, const struct fw_board *board, uint32_t start_ms)
{
    struct fwtest *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->now_ms = start_ms;
    const struct fw_board *b = name ? board_find(name) : board;
    struct fw_port port = { .user = t, .now_ms = fake_now, .usb_send = fake_send,
                            .panel_show = fake_show };
    if (!b || fw_init(&t->fw, b, &port) != 0)
        abort();
    return t;
}

void fwtest_free(struct fwtest *t)
{
    free(t);
}

void fwtest_advance(struct fwtest *t, uint32_t ms)
{
    t->now_ms += ms;
    fw_task(&t->fw);
}

const uint8_t *fwtest_front(const struct fwtest *t, unsigned x, unsigned y)
{
    return t->fw.fb.front + ((size_t)y * t->fw.board->width + x) * 3;
}

const uint8_t *fwtest_back(const struct fwtest *t, unsigned x, unsigned y)
{
    return t->fw.fb.back + ((size_t)y * t->fw.board->width + x) * 3;
}
