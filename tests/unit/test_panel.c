/* Panel output against hand-worked small panels: which bit of which plane
 * byte each pixel lands in, for HUB75 at 1/8, 1/16 and 1/32 scan, and the
 * P10 (HUB12) 1/4-scan shift order. Levels are worked out by hand from the
 * CIE 1931 formula, not read back from the code's table. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "panel.h"

static struct panel pn;   /* large buffers: static storage */

static const struct fw_board *hub75(uint16_t w, uint16_t h, uint8_t scan, uint8_t depth,
                                    const char *order, struct fw_board *b)
{
    *b = (struct fw_board){ "test", FW_PANEL_HUB75, w, h, 1, scan, order, depth, 255,
                            0x1209, 0x0001, 264 };
    assert_true(board_supported(b));
    return b;
}

static void set_px(uint8_t *rgb, unsigned w, unsigned x, unsigned y, uint8_t r, uint8_t g, uint8_t bl)
{
    uint8_t *p = rgb + ((size_t)y * w + x) * 3;
    p[0] = r, p[1] = g, p[2] = bl;
}

/* The plane byte for plane p, address r, column x. */
static uint8_t plane_byte(const struct panel_out *o, unsigned w, unsigned scan, unsigned p,
                          unsigned r, unsigned x)
{
    return o->data[((size_t)p * scan + r) * w + x];
}

/* Pixel (x0, y0) full red and (x1, y1) full blue on an otherwise black
 * panel: every plane has exactly these two bits set. */
static void check_two_pixels(unsigned w, unsigned h, unsigned scan)
{
    struct fw_board b;
    uint8_t rgb[64 * 64 * 3] = { 0 };
    panel_init(&pn, hub75((uint16_t)w, (uint16_t)h, (uint8_t)scan, 8, "RGB", &b), 255);
    unsigned top_y = scan - 1, bottom_y = scan + 2;    /* address scan-1 and 2 */
    set_px(rgb, w, 1, top_y, 255, 0, 0);
    set_px(rgb, w, w - 1, bottom_y, 0, 0, 255);
    const struct panel_out *o = panel_render(&pn, rgb, false);
    assert_int_equal(o->rows, scan);
    assert_int_equal(o->planes, 8);
    assert_int_equal(o->row_bytes, w);
    assert_int_equal(o->bytes, 8 * scan * w);
    for (unsigned p = 0; p < 8; p++)
        for (unsigned r = 0; r < scan; r++)
            for (unsigned x = 0; x < w; x++) {
                uint8_t want = 0;
                if (r == top_y && x == 1)
                    want |= 0x01;                       /* R1 */
                if (r == 2 && x == w - 1)
                    want |= 0x20;                       /* B2 */
                assert_int_equal(plane_byte(o, w, scan, p, r, x), want);
            }
}

static void test_hub75_eighth_scan_16_rows(void **state)
{
    (void)state;
    check_two_pixels(4, 16, 8);
}

static void test_hub75_sixteenth_scan_32_rows(void **state)
{
    (void)state;
    check_two_pixels(8, 32, 16);
}

static void test_hub75_thirtysecond_scan_64_rows(void **state)
{
    (void)state;
    check_two_pixels(2, 64, 32);
}

static void test_scan_must_be_half_the_height(void **state)
{
    (void)state;
    struct fw_board b = { "x", FW_PANEL_HUB75, 32, 32, 1, 8, "RGB", 8, 255, 0, 0, 0 };
    assert_false(board_supported(&b));
    b.scan = 16;
    b.order = "RGG";
    assert_false(board_supported(&b));
    b.order = "RGB";
    b.bit_depth = 0;
    assert_false(board_supported(&b));
}

/* Mid grey 128: L* = 50.196, Y = ((L* + 16) / 116)^3 = 0.18584.
 * 8 bits: 0.18584 * 255 = 47.39 -> 47 = 0b00101111.
 * 4 bits: 0.18584 * 15 = 2.79 -> 3 = 0b0011. */
static void test_gamma_levels_by_hand(void **state)
{
    (void)state;
    struct fw_board b;
    uint8_t rgb[4 * 16 * 3] = { 0 };
    set_px(rgb, 4, 0, 0, 128, 255, 0);
    panel_init(&pn, hub75(4, 16, 8, 8, "RGB", &b), 255);
    const struct panel_out *o = panel_render(&pn, rgb, false);
    for (unsigned p = 0; p < 8; p++) {
        uint8_t want = (uint8_t)(((47u >> p) & 1) ? 0x01 : 0) | 0x02;   /* G1 full: every plane */
        assert_int_equal(plane_byte(o, 4, 8, p, 0, 0), want);
    }
    panel_init(&pn, hub75(4, 16, 8, 4, "RGB", &b), 255);
    o = panel_render(&pn, rgb, false);
    assert_int_equal(o->planes, 4);
    for (unsigned p = 0; p < 4; p++)
        assert_int_equal(plane_byte(o, 4, 8, p, 0, 0) & 0x01, (3u >> p) & 1);
}

static void test_cie_table_is_the_cie_formula(void **state)
{
    (void)state;
    for (int v = 0; v < 256; v++) {
        double l = v * 100.0 / 255.0;
        double y = l <= 8.0 ? l / 903.3 : pow((l + 16.0) / 116.0, 3.0);
        assert_true(fabs(panel_cie1931[v] - y * 65535.0) <= 0.5 + 1e-9);
        if (v > 0)
            assert_true(panel_cie1931[v] > panel_cie1931[v - 1]);
    }
}

/* Brightness 128 of 255 halves the luminance: full white -> level 128
 * (plane 7 only); black stays black. */
static void test_brightness_scales_levels(void **state)
{
    (void)state;
    struct fw_board b;
    uint8_t rgb[4 * 16 * 3] = { 0 };
    set_px(rgb, 4, 3, 15, 255, 255, 255);               /* address 7, bottom half */
    panel_init(&pn, hub75(4, 16, 8, 8, "RGB", &b), 255);
    panel_set_brightness(&pn, 128);
    const struct panel_out *o = panel_render(&pn, rgb, false);
    for (unsigned p = 0; p < 8; p++)
        assert_int_equal(plane_byte(o, 4, 8, p, 7, 3), p == 7 ? 0x38 : 0x00);
    panel_set_brightness(&pn, 0);
    o = panel_render(&pn, rgb, false);
    for (uint32_t i = 0; i < o->bytes; i++)
        assert_int_equal(o->data[i], 0);
}

static void test_colour_order_routes_channels_to_pins(void **state)
{
    (void)state;
    struct fw_board b;
    uint8_t rgb[4 * 16 * 3] = { 0 };
    set_px(rgb, 4, 0, 0, 0, 0, 255);                   /* blue, top */
    set_px(rgb, 4, 1, 8, 0, 255, 0);                   /* green, bottom */
    /* An "RBG" panel: its G pins drive blue LEDs, its B pins green ones. */
    panel_init(&pn, hub75(4, 16, 8, 8, "RBG", &b), 255);
    const struct panel_out *o = panel_render(&pn, rgb, false);
    assert_int_equal(plane_byte(o, 4, 8, 0, 0, 0), 0x02);   /* G1 */
    assert_int_equal(plane_byte(o, 4, 8, 0, 0, 1), 0x20);   /* B2 */
}

static void test_dark_output_and_double_buffering(void **state)
{
    (void)state;
    struct fw_board b;
    uint8_t rgb[4 * 16 * 3];
    memset(rgb, 255, sizeof rgb);
    panel_init(&pn, hub75(4, 16, 8, 8, "RGB", &b), 255);
    const struct panel_out *o = panel_render(&pn, rgb, false);
    const uint8_t *first = o->data;
    assert_int_equal(o->data[0], 0x3F);
    assert_int_equal(o->oe_duty, 255);
    o = panel_render(&pn, rgb, true);
    assert_ptr_not_equal(o->data, first);               /* the shown buffer is never rewritten */
    assert_true(o->dark);
    assert_int_equal(o->oe_duty, 0);
    for (uint32_t i = 0; i < o->bytes; i++)
        assert_int_equal(o->data[i], 0);
    assert_int_equal(first[0], 0x3F);
}

/* One P10 module, 32x16. Hand-worked from the Freetronics DMD order: for
 * address r, for each 8-column group g, bytes of rows r+12, r+8, r+4, r.
 *   (0, 0):  r 0, g 0, row r     -> byte 0*16 + 0*4 + 3 = 3,  bit 0x80
 *   (9, 13): r 1, g 1, row r+12  -> byte 1*16 + 1*4 + 0 = 20, bit 0x40
 *   (31, 6): r 2, g 3, row r+4   -> byte 2*16 + 3*4 + 2 = 46, bit 0x01
 * Active low: those bits are 0, everything else 1. */
static void test_p10_quarter_scan_shift_order(void **state)
{
    (void)state;
    struct fw_board b = { "p10", FW_PANEL_HUB12, 32, 16, 1, 4, "R", 1, 200, 0, 0, 0 };
    assert_true(board_supported(&b));
    uint8_t rgb[32 * 16 * 3] = { 0 };
    set_px(rgb, 32, 0, 0, 255, 0, 0);                   /* pure red lights a red P10 */
    set_px(rgb, 32, 9, 13, 255, 255, 255);
    set_px(rgb, 32, 31, 6, 0, 128, 0);
    set_px(rgb, 32, 5, 5, 127, 127, 127);               /* below half: stays dark */
    panel_init(&pn, &b, 200);
    const struct panel_out *o = panel_render(&pn, rgb, false);
    assert_int_equal(o->bytes, 64);
    assert_int_equal(o->rows, 4);
    assert_int_equal(o->row_bytes, 16);
    assert_int_equal(o->oe_duty, 200);                  /* brightness is the OE duty */
    for (unsigned i = 0; i < 64; i++) {
        uint8_t want = i == 3 ? 0x7F : i == 20 ? 0xBF : i == 46 ? 0xFE : 0xFF;
        assert_int_equal(o->data[i], want);
    }
    o = panel_render(&pn, rgb, true);
    for (unsigned i = 0; i < 64; i++)
        assert_int_equal(o->data[i], 0xFF);             /* dark: nothing lit */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hub75_eighth_scan_16_rows),
        cmocka_unit_test(test_hub75_sixteenth_scan_32_rows),
        cmocka_unit_test(test_hub75_thirtysecond_scan_64_rows),
        cmocka_unit_test(test_scan_must_be_half_the_height),
        cmocka_unit_test(test_gamma_levels_by_hand),
        cmocka_unit_test(test_cie_table_is_the_cie_formula),
        cmocka_unit_test(test_brightness_scales_levels),
        cmocka_unit_test(test_colour_order_routes_channels_to_pins),
        cmocka_unit_test(test_dark_output_and_double_buffering),
        cmocka_unit_test(test_p10_quarter_scan_shift_order),
    };
    return cmocka_run_group_tests_name("panel", tests, NULL, NULL);
}
