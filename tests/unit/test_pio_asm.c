/* The PIO instruction macros (firmware-host/mcu/rp2040/pio_asm.h) against
 * words that pioasm produced for published programs (pico-examples'
 * ws2812 and squarewave, a VGA sync program), and the panel timing and
 * control words (panel_prog.c) against figures worked out by hand from
 * the board limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../firmware-host/mcu/rp2040/panel_prog.h"
#include "../../firmware-host/mcu/rp2040/pio_asm.h"

static void test_known_encodings(void **state)
{
    (void)state;
    /* ws2812 (.side_set 1) */
    assert_int_equal(PIO_OUT(PIO_DST_X, 1) | PIO_SD(1, 0, 2), 0x6221);
    assert_int_equal(PIO_JMP(PIO_COND_NOT_X, 3) | PIO_SD(1, 1, 1), 0x1123);
    assert_int_equal(PIO_JMP(PIO_COND_ALWAYS, 0) | PIO_SD(1, 1, 4), 0x1400);
    assert_int_equal(PIO_NOP | PIO_SD(1, 0, 4), 0xa442);
    /* squarewave (no side-set) */
    assert_int_equal(PIO_SET(PIO_SET_PINDIRS, 1), 0xe081);
    assert_int_equal(PIO_SET(PIO_SET_PINS, 1) | PIO_DELAY(1), 0xe101);
    assert_int_equal(PIO_SET(PIO_SET_PINS, 0), 0xe000);
    assert_int_equal(PIO_JMP(PIO_COND_ALWAYS, 1), 0x0001);
    /* a VGA vsync program */
    assert_int_equal(PIO_PULL(0, 1), 0x80a0);
    assert_int_equal(PIO_MOV(PIO_MOV_X, 0, PIO_MOV_OSR), 0xa027);
    assert_int_equal(PIO_WAIT(1, PIO_WAIT_IRQ, 0), 0x20c0);
    assert_int_equal(PIO_IRQ(0, 0, 1), 0xc001);
    assert_int_equal(PIO_JMP(PIO_COND_X_DEC, 2), 0x0042);
    assert_int_equal(PIO_SET(PIO_SET_Y, 9), 0xe049);
    assert_int_equal(PIO_JMP(PIO_COND_Y_DEC, 6), 0x0086);
    assert_int_equal(PIO_IRQ(0, 0, 0) | PIO_DELAY(1), 0xc100);
    assert_int_equal(PIO_IN(PIO_SRC_X, 16), 0x4030);
    assert_int_equal(PIO_IN(PIO_SRC_PINS, 16), 0x4010);
    /* .side_set 1 opt: enable bit + value, delay 3 bits */
    assert_int_equal(PIO_SET(PIO_SET_X, 3) | PIO_SD(2, 3, 0), 0xf823);
}

static void test_fields_by_hand(void **state)
{
    (void)state;
    /* out pins, 32 -> bit count 0; out null, 32 = 0x6060 */
    assert_int_equal(PIO_OUT(PIO_DST_NULL, 32), 0x6060);
    /* irq wait 0: 110 00000 0 0 1 00000 */
    assert_int_equal(PIO_IRQ(0, 1, 0), 0xc020);
    /* mov y, osr: 101 00000 010 00 111 */
    assert_int_equal(PIO_MOV(PIO_MOV_Y, 0, PIO_MOV_OSR), 0xa047);
    assert_int_equal(PIO_DELAY_MASK(2), 0x0700);
}

static const struct fw_board b64 = { "t", FW_PANEL_HUB75, 64, 32, 1, 16, "RGB", 8, 192,
                                     0x1209, 0x0001, 264 };
static const struct fw_board p10 = { "p", FW_PANEL_HUB12, 128, 16, 4, 4, "R", 1, 255,
                                     0x1209, 0x0001, 264 };

static void test_timing_from_limits(void **state)
{
    (void)state;
    struct panel_timing t;
    struct panel_limits lim = { 125000000, 25000000, 80 };
    assert_true(panel_prog_timing(&t, &b64, &lim));
    /* 125 MHz / 25 MHz = 5 cycles a clock: 3 low, 2 high; 80 ns = 10 cycles */
    assert_int_equal(t.clkdiv, 1);
    assert_int_equal(t.clk_low, 3);
    assert_int_equal(t.clk_high, 2);
    assert_int_equal(t.t0, 10);
    assert_int_equal(t.row_clocks, 64);
    assert_int_equal(t.addr_bits, 4);
    assert_int_equal(t.out_bits, 8);

    /* A slow panel: 1 MHz -> 125 cycles a clock, divided by 4 -> 32 */
    lim.max_shift_hz = 1000000;
    assert_true(panel_prog_timing(&t, &p10, &lim));
    assert_int_equal(t.clkdiv, 4);
    assert_int_equal(t.clk_low + t.clk_high, 32);
    assert_int_equal(t.row_clocks, 512);   /* 128 x 16 / 4 rows */
    assert_int_equal(t.addr_bits, 2);
    assert_int_equal(t.out_bits, 1);

    /* 33 ns OE at 125 MHz -> 4.125 -> 5 cycles (never shorter than asked) */
    lim.min_oe_ns = 33;
    assert_true(panel_prog_timing(&t, &p10, &lim));
    assert_int_equal(t.t0, 5);

    lim.max_shift_hz = 0;
    assert_false(panel_prog_timing(&t, &p10, &lim));
}

static void test_program_delays_follow_timing(void **state)
{
    (void)state;
    struct panel_timing t;
    struct panel_limits lim = { 125000000, 25000000, 80 };
    assert_true(panel_prog_timing(&t, &b64, &lim));
    uint16_t d[PANEL_PROG_DATA_LEN], r[PANEL_PROG_ROW_LEN];
    panel_prog_data(d, &t, 4);
    /* out pins, 8 side 0 [2] ; jmp x-- 5 side 1 [1] */
    assert_int_equal(d[1], 0x6008 | 0x0200);
    assert_int_equal(d[2], 0x0045 | 0x1000 | 0x0100);
    panel_prog_row(r, &t, 4);
    /* out pins, 5 side 0b11 [lat - 1 = 1]: side in bits 12..11 */
    assert_int_equal(r[2], 0x6005 | 0x1800 | 0x0100);
    /* the lit loop jumps to itself: jmp x-- 10 side 0 */
    assert_int_equal(r[6], 0x0040 | 10);
}

static void test_control_words(void **state)
{
    (void)state;
    struct panel_timing t;
    struct panel_limits lim = { 125000000, 25000000, 80 };
    uint32_t w[PANEL_PROG_MAX_CONTROL];
    assert_true(panel_prog_timing(&t, &b64, &lim));
    struct panel_out o = { .rows = 16, .planes = 8, .oe_duty = 255 };
    assert_int_equal(panel_prog_control(w, &t, &o), 128);
    /* plane 0 row 3: address 3, lit 10 cycles; plane 7 row 15: 1280 cycles */
    assert_int_equal(w[3], 3 | 10u << 5);
    assert_int_equal(w[7 * 16 + 15], 15 | 1280u << 5);
    o.dark = true;
    panel_prog_control(w, &t, &o);
    assert_int_equal(w[7 * 16 + 15], 15);

    /* P10 at half brightness: half the 512 x 5 cycles a row takes to shift */
    assert_true(panel_prog_timing(&t, &p10, &lim));
    struct panel_out q = { .rows = 4, .planes = 1, .oe_duty = 128 };
    assert_int_equal(panel_prog_control(w, &t, &q), 4);
    assert_int_equal(w[2] >> 5, (2560u * 128 + 127) / 255);
    q.oe_duty = 1;  /* 10 cycles of 2560 would be 1/256: the 80 ns floor holds */
    panel_prog_control(w, &t, &q);
    assert_int_equal(w[0] >> 5, 10);
    q.oe_duty = 0;
    panel_prog_control(w, &t, &q);
    assert_int_equal(w[0] >> 5, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_encodings),
        cmocka_unit_test(test_fields_by_hand),
        cmocka_unit_test(test_timing_from_limits),
        cmocka_unit_test(test_program_delays_follow_timing),
        cmocka_unit_test(test_control_words),
    };
    return cmocka_run_group_tests_name("pio_asm", tests, NULL, NULL);
}
