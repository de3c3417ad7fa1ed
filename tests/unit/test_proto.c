/* The frame decoder: the documented bytes, any chunking, resync after
 * damage, error counting, and that hostile bytes never become pixels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmdstream.h"
#include "fwtest.h"

/* A deterministic generator, so a failing chunking can be replayed. */
static uint32_t rng_next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_crc_check_value(void **state)
{
    (void)state;
    /* The catalogue check value of CRC-16/CCITT-FALSE: a host written in
     * any language with a stock CRC library agrees with us. */
    assert_int_equal(ledproto_crc16((const uint8_t *)"123456789", 9), 0x29B1);
    assert_int_equal(ledproto_crc16(NULL, 0), 0xFFFF);
}

/* The worked example of docs/protocol.md, byte for byte. */
static const uint8_t doc_example[] = {
    0x4c, 0xed, 0x01, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x35, 0x25, 0x92, 0xba, 0x00, 0x00, 0x00, 0x00,
    0x40, 0x00, 0x20, 0x00, 0x00, 0x00, 0x20,
    0x4c, 0xed, 0x02, 0x00, 0x01, 0x00, 0x12, 0x00, 0x2e, 0x00, 0xd9, 0x74, 0x02, 0x00, 0x03, 0x00,
    0x08, 0x00, 0x02, 0x00, 0x01, 0x00, 0xff, 0xc8, 0x00, 0x00, 0x00, 0x20, 0x3c, 0x42,
    0x4c, 0xed, 0x02, 0x00, 0x02, 0x00, 0x16, 0x00, 0xa1, 0xf9, 0x58, 0x05, 0x0a, 0x00, 0x05, 0x00,
    0x04, 0x00, 0x01, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81, 0x00, 0xf8, 0x00,
    0xe0, 0x07,
    0x4c, 0xed, 0x03, 0x00, 0x03, 0x00, 0x0f, 0x00, 0x44, 0x8c, 0x8e, 0x2e, 0x00, 0x00, 0x00, 0x00,
    0x40, 0x00, 0x10, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x20,
    0x4c, 0xed, 0x04, 0x00, 0x04, 0x00, 0x08, 0x00, 0x94, 0x2e, 0x75, 0xf0, 0x01, 0x00, 0x00, 0x00,
    0xe8, 0x03, 0x00, 0x00,
};

static void build_doc_example(struct cmdstream *s)
{
    cmdstream_fill(s, 0, 0, 64, 32, 0, 0, 32);
    struct ledproto_blit mono = { 2, 3, 8, 2, LEDPROTO_FMT_MONO1, 0, { 255, 200, 0 }, { 0, 0, 32 } };
    cmdstream_blit(s, &mono, (const uint8_t[]){ 0x3C, 0x42 }, 2);
    struct ledproto_blit rle = { 10, 5, 4, 1, LEDPROTO_FMT_RGB565, LEDPROTO_BLIT_RLE, { 0 }, { 0 } };
    cmdstream_blit(s, &rle, (const uint8_t[]){ 0x81, 0x00, 0xF8, 0x00, 0xE0, 0x07 }, 6);
    cmdstream_scroll(s, 0, 0, 64, 16, -1, 0, 0, 0, 32);
    cmdstream_present(s, 1, 1000);
}

static void test_doc_example_bytes_and_pixels(void **state)
{
    (void)state;
    struct cmdstream s;
    cmdstream_init(&s);
    build_doc_example(&s);
    assert_int_equal(s.len, sizeof doc_example);
    assert_memory_equal(s.data, doc_example, sizeof doc_example);
    cmdstream_free(&s);

    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    fw_feed(&t->fw, doc_example, sizeof doc_example);
    assert_int_equal(t->fw.dec.count.frames_ok, 5);
    /* What the document says the panel shows. */
    const uint8_t yellow[3] = { 255, 200, 0 }, blue[3] = { 0, 0, 32 };
    const uint8_t red[3] = { 255, 0, 0 }, green[3] = { 0, 255, 0 };
    for (unsigned x = 3; x <= 6; x++)
        assert_memory_equal(fwtest_front(t, x, 3), yellow, 3);
    assert_memory_equal(fwtest_front(t, 2, 3), blue, 3);
    assert_memory_equal(fwtest_front(t, 7, 3), blue, 3);
    assert_memory_equal(fwtest_front(t, 2, 4), yellow, 3);
    assert_memory_equal(fwtest_front(t, 7, 4), yellow, 3);
    assert_memory_equal(fwtest_front(t, 3, 4), blue, 3);
    for (unsigned x = 9; x <= 11; x++)
        assert_memory_equal(fwtest_front(t, x, 5), red, 3);
    assert_memory_equal(fwtest_front(t, 12, 5), green, 3);
    assert_memory_equal(fwtest_front(t, 13, 5), blue, 3);
    assert_memory_equal(fwtest_front(t, 63, 0), blue, 3);
    assert_memory_equal(fwtest_front(t, 63, 20), blue, 3);
    /* The answering STATUS. */
    assert_int_equal(t->n_status, 1);
    assert_int_equal(t->last_status.presented_seq, 1);
    assert_int_equal(t->last_status.presented_host_ms, 1000);
    assert_int_equal(t->last_status.consumed, sizeof doc_example);
    fwtest_free(t);
}

/* A stream of several frames, touching every drawing command. */
static void build_busy_stream(struct cmdstream *s, uint32_t seed)
{
    uint32_t r = seed;
    uint8_t px[3 * 40 * 8];
    for (uint32_t f = 1; f <= 12; f++) {
        cmdstream_fill(s, (uint16_t)(rng_next(&r) % 32), (uint16_t)(rng_next(&r) % 16), 20, 10,
                       (uint8_t)rng_next(&r), (uint8_t)rng_next(&r), (uint8_t)rng_next(&r));
        for (size_t i = 0; i < sizeof px; i++)
            px[i] = (uint8_t)rng_next(&r);
        struct ledproto_blit b = { (uint16_t)(rng_next(&r) % 24), (uint16_t)(rng_next(&r) % 24),
                                   40, 8, LEDPROTO_FMT_RGB888, 0, { 0 }, { 0 } };
        cmdstream_blit(s, &b, px, sizeof px);
        struct ledproto_blit m = { 1, 1, 30, 5, LEDPROTO_FMT_MONO1, 0, { 250, 250, 0 }, { 0, 0, 90 } };
        cmdstream_blit(s, &m, px, 4 * 5);
        cmdstream_scroll(s, 0, 0, 64, 32, -1, (int16_t)(f % 3) - 1, 1, 2, 3);
        cmdstream_present(s, f, f * 16);
    }
}

/* Feeds the stream cut into pieces by `next_len`, returns the core. */
static struct fwtest *feed_chunked(const struct cmdstream *s, size_t (*next_len)(uint32_t *),
                                   uint32_t seed)
{
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    size_t off = 0;
    while (off < s->len) {
        size_t n = next_len(&seed);
        if (n > s->len - off)
            n = s->len - off;
        fw_feed(&t->fw, s->data + off, n);
        off += n;
    }
    return t;
}

static size_t len_whole(uint32_t *s) { (void)s; return SIZE_MAX; }
static size_t len_usb(uint32_t *s) { (void)s; return LEDPROTO_USB_PACKET; }
static size_t len_one(uint32_t *s) { (void)s; return 1; }
static size_t len_random(uint32_t *s) { return 1 + rng_next(s) % 300; }

static void test_any_chunking_gives_the_same_frames(void **state)
{
    (void)state;
    struct cmdstream s;
    cmdstream_init(&s);
    build_busy_stream(&s, 7);
    struct fwtest *ref = feed_chunked(&s, len_whole, 0);
    assert_int_equal(ref->fw.dec.count.frames_ok, 12 * 5);
    assert_int_equal(ref->fw.presented_seq, 12);
    size_t bytes = (size_t)64 * 32 * 3;
    size_t (*cuts[])(uint32_t *) = { len_usb, len_one, len_random, len_random };
    for (unsigned i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        struct fwtest *t = feed_chunked(&s, cuts[i], 1234 + i);
        assert_int_equal(t->fw.dec.count.frames_ok, 12 * 5);
        assert_int_equal(t->fw.dec.count.bytes_skipped, 0);
        assert_int_equal(t->fw.dec.count.crc_errors, 0);
        assert_memory_equal(t->fw.fb.front, ref->fw.fb.front, bytes);
        assert_memory_equal(t->fw.fb.back, ref->fw.fb.back, bytes);
        assert_int_equal(t->n_status, 12);
        fwtest_free(t);
    }
    fwtest_free(ref);
    cmdstream_free(&s);
}

static void test_noise_before_a_frame_is_skipped_and_counted(void **state)
{
    (void)state;
    struct cmdstream s;
    cmdstream_init(&s);
    const uint8_t noise[] = { 0x00, 0x4C, 0x4C, 0x11, 0xED, 0x4C };
    cmdstream_bytes(&s, noise, sizeof noise);
    cmdstream_fill(&s, 0, 0, 1, 1, 9, 8, 7);
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    for (size_t i = 0; i < s.len; i++)          /* byte by byte: the hardest case */
        fw_feed(&t->fw, s.data + i, 1);
    assert_int_equal(t->fw.dec.count.frames_ok, 1);
    assert_int_equal(t->fw.dec.count.bytes_skipped, sizeof noise);
    assert_memory_equal(fwtest_back(t, 0, 0), ((uint8_t[]){ 9, 8, 7 }), 3);
    fwtest_free(t);
    cmdstream_free(&s);
}

/* Damage in one frame loses that frame only. */
static void check_damage(size_t frame, size_t offset, uint32_t expect_crc, uint32_t expect_field)
{
    struct cmdstream s;
    cmdstream_init(&s);
    size_t at[3];
    at[0] = cmdstream_fill(&s, 0, 0, 1, 1, 10, 10, 10);
    at[1] = cmdstream_fill(&s, 1, 0, 1, 1, 20, 20, 20);
    at[2] = cmdstream_fill(&s, 2, 0, 1, 1, 30, 30, 30);
    s.data[at[frame] + offset] ^= 0x01;
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    fw_feed(&t->fw, s.data, s.len);
    assert_int_equal(t->fw.dec.count.frames_ok, 2);
    assert_int_equal(t->fw.dec.count.crc_errors, expect_crc);
    assert_int_equal(t->fw.dec.count.bad_field, expect_field);
    for (unsigned i = 0; i < 3; i++) {
        uint8_t v = i == frame ? 0 : (uint8_t)(10 * (i + 1));
        assert_int_equal(fwtest_back(t, i, 0)[0], v);
    }
    fwtest_free(t);
    cmdstream_free(&s);
}

static void test_damaged_frames_are_dropped_and_the_rest_applied(void **state)
{
    (void)state;
    check_damage(1, LEDPROTO_HEADER_SIZE + 9, 1, 0);   /* payload byte: payload CRC */
    check_damage(1, 6, 1, 0);                          /* length: header CRC */
    check_damage(0, 2, 1, 0);                          /* opcode: header CRC */
    check_damage(2, 11, 1, 0);                         /* the header CRC itself */
    check_damage(1, 1, 0, 0);                          /* magic: skipped as noise */
}

static void test_real_frame_behind_a_false_start_is_found(void **state)
{
    (void)state;
    /* A well-formed header promising 200 bytes of payload, followed at once
     * by a real command: the decoder must not swallow it with the bogus
     * payload. */
    uint8_t bogus[LEDPROTO_HEADER_SIZE];
    uint8_t fake_payload[200] = { 0 };
    ledproto_header_pack(bogus, LEDPROTO_OP_FILL, 0, fake_payload, sizeof fake_payload);
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_bytes(&s, bogus, sizeof bogus);
    s.seq = 1;
    cmdstream_fill(&s, 5, 5, 2, 2, 200, 100, 50);
    cmdstream_present(&s, 1, 0);
    uint8_t pad[200] = { 0 };                   /* later traffic completes the bogus length */
    cmdstream_bytes(&s, pad, sizeof pad);
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    fw_feed(&t->fw, s.data, s.len);
    assert_int_equal(t->fw.dec.count.crc_errors, 1);
    assert_int_equal(t->fw.dec.count.frames_ok, 2);
    assert_memory_equal(fwtest_front(t, 6, 6), ((uint8_t[]){ 200, 100, 50 }), 3);
    fwtest_free(t);
    cmdstream_free(&s);
}

static void test_truncated_frame_then_a_whole_one(void **state)
{
    (void)state;
    struct cmdstream a, s;
    cmdstream_init(&a);
    cmdstream_init(&s);
    cmdstream_fill(&a, 0, 0, 64, 32, 1, 1, 1);
    cmdstream_bytes(&s, a.data, a.len - 5);     /* cut short: the host died mid-command */
    cmdstream_fill(&s, 3, 3, 1, 1, 77, 77, 77);
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    fw_feed(&t->fw, s.data, s.len);
    assert_int_equal(t->fw.dec.count.frames_ok, 1);
    assert_int_equal(t->fw.dec.count.crc_errors, 1);
    assert_int_equal(fwtest_back(t, 3, 3)[0], 77);
    assert_int_equal(fwtest_back(t, 0, 0)[0], 0);
    fwtest_free(t);
    cmdstream_free(&a);
    cmdstream_free(&s);
}

static void test_unknown_opcode_dropped_and_counted(void **state)
{
    (void)state;
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_frame(&s, 0x42, (const uint8_t *)"abc", 3);
    cmdstream_frame(&s, LEDPROTO_OP_STATUS, NULL, 0);   /* controller->host opcode */
    cmdstream_fill(&s, 0, 0, 1, 1, 5, 5, 5);
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    fw_feed(&t->fw, s.data, s.len);
    assert_int_equal(t->fw.dec.count.bad_opcode, 2);
    assert_int_equal(t->fw.dec.count.frames_ok, 1);
    assert_int_equal(t->fw.dec.count.seq_gaps, 0);
    fwtest_free(t);
    cmdstream_free(&s);
}

static void test_header_fields_validated(void **state)
{
    (void)state;
    uint8_t h[LEDPROTO_HEADER_SIZE];
    struct cmdstream s;
    cmdstream_init(&s);
    /* Reserved flags set, header CRC right. */
    ledproto_header_pack(h, LEDPROTO_OP_RESET, 0, NULL, 0);
    h[3] = 0x80;
    ledproto_put_u16(h + 10, ledproto_crc16(h, 10));
    cmdstream_bytes(&s, h, sizeof h);
    /* A length over 4096, header CRC right. */
    ledproto_header_pack(h, LEDPROTO_OP_BLIT, 1, NULL, 0);
    ledproto_put_u16(h + 6, LEDPROTO_MAX_PAYLOAD + 1);
    ledproto_put_u16(h + 10, ledproto_crc16(h, 10));
    cmdstream_bytes(&s, h, sizeof h);
    s.seq = 2;
    cmdstream_fill(&s, 0, 0, 1, 1, 1, 2, 3);
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    fw_feed(&t->fw, s.data, s.len);
    assert_int_equal(t->fw.dec.count.bad_field, 1);
    assert_int_equal(t->fw.dec.count.bad_length, 1);
    assert_int_equal(t->fw.dec.count.frames_ok, 1);
    assert_int_equal(fwtest_back(t, 0, 0)[2], 3);
    fwtest_free(t);
    cmdstream_free(&s);
}

static void test_seq_gaps_counted_but_reset_restarts(void **state)
{
    (void)state;
    struct cmdstream s;
    cmdstream_init(&s);
    cmdstream_fill(&s, 0, 0, 1, 1, 1, 1, 1);    /* seq 0 */
    cmdstream_fill(&s, 0, 0, 1, 1, 1, 1, 1);    /* seq 1 */
    s.seq = 5;
    cmdstream_fill(&s, 0, 0, 1, 1, 1, 1, 1);    /* seq 5: a gap */
    s.seq = 0;
    cmdstream_frame(&s, LEDPROTO_OP_RESET, NULL, 0);   /* a restarted host */
    cmdstream_fill(&s, 0, 0, 1, 1, 1, 1, 1);    /* seq 1 */
    struct fwtest *t = fwtest_new("hub75-64x32", NULL, 0);
    fw_feed(&t->fw, s.data, s.len);
    assert_int_equal(t->fw.dec.count.seq_gaps, 1);
    assert_int_equal(t->fw.dec.count.frames_ok, 5);
    assert_int_equal(t->fw.dec.last_seq, 1);
    fwtest_free(t);
    cmdstream_free(&s);
}

static void test_random_bytes_never_become_pixels(void **state)
{
    (void)state;
    struct fwtest *t = fwtest_new("hub75-256x32", NULL, 0);
    uint32_t r = 99;
    uint8_t buf[997];
    size_t fed = 0;
    for (int round = 0; round < 400; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            buf[i] = (uint8_t)rng_next(&r);
            if (i % 50 == 0)                   /* plenty of magics to chase */
                buf[i] = LEDPROTO_MAGIC0;
            if (i % 50 == 1)
                buf[i] = LEDPROTO_MAGIC1;
        }
        fw_feed(&t->fw, buf, sizeof buf);
        fed += sizeof buf;
    }
    const struct proto_counters *c = &t->fw.dec.count;
    assert_int_equal(c->frames_ok + c->bad_opcode + c->bad_length + c->bad_field, 0);
    assert_true(c->crc_errors > 0);
    assert_int_equal(t->fw.rx_out, fed);
    static const uint8_t zero[256 * 32 * 3];
    assert_memory_equal(t->fw.fb.back, zero, sizeof zero);
    assert_memory_equal(t->fw.fb.front, zero, sizeof zero);
    fwtest_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_check_value),
        cmocka_unit_test(test_doc_example_bytes_and_pixels),
        cmocka_unit_test(test_any_chunking_gives_the_same_frames),
        cmocka_unit_test(test_noise_before_a_frame_is_skipped_and_counted),
        cmocka_unit_test(test_damaged_frames_are_dropped_and_the_rest_applied),
        cmocka_unit_test(test_real_frame_behind_a_false_start_is_found),
        cmocka_unit_test(test_truncated_frame_then_a_whole_one),
        cmocka_unit_test(test_unknown_opcode_dropped_and_counted),
        cmocka_unit_test(test_header_fields_validated),
        cmocka_unit_test(test_seq_gaps_counted_but_reset_restarts),
        cmocka_unit_test(test_random_bytes_never_become_pixels),
    };
    return cmocka_run_group_tests_name("proto", tests, NULL, NULL);
}
