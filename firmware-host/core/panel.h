/* panel — turns the front buffer into what the controller clocks out.
 *
 * HUB75 (RGB): binary-coded modulation. Each pixel's 8-bit channels go
 * through the CIE 1931 lightness curve and the brightness into a level of
 * bit_depth bits; plane p holds bit p of every level and is shown for a time
 * proportional to 2^p. Rows r and r + scan are driven together (upper half
 * on R1 G1 B1, lower half on R2 G2 B2), so scan is height / 2: 1/8 scan for
 * 16-row panels, 1/16 for 32 rows, 1/32 for 64 rows.
 *
 *   data[(p * scan + r) * width + x]  one byte per clock:
 *       bit 0 R1, 1 G1, 2 B1, 3 R2, 4 G2, 5 B2
 *
 * where x runs over the whole chain in clock order: x = 0 is clocked first
 * and ends farthest down the chain (the controller plugs into the panel
 * showing the rightmost columns). Pin R1 carries the channel board->order[0]
 * names, and so on, for panels wired in another colour order.
 *
 * HUB12 (single-colour P10 32x16, 1/4 scan): a pixel is lit as
 * ledproto_mono_lit() says (its strongest channel >= 128). Address r (0..3) lights
 * rows r, r + 4, r + 8, r + 12. For each address the bytes are clocked, MSB
 * first, in the order the Freetronics DMD library uses: for each 8-pixel
 * column group g from the left, the byte of row r + 12, then r + 8, r + 4,
 * r. Bits are active low (0 = lit). Brightness is the OE duty.
 *
 *   data[r * (width / 2) + g * 4 + k], k = 0..3 for rows r+12, r+8, r+4, r
 *
 * Output is double-buffered: panel_render writes the buffer the port is not
 * showing, then hands it over, so a refresh never shows a half-made frame. */
#ifndef FW_PANEL_H
#define FW_PANEL_H

#include <stdbool.h>
#include <stdint.h>

#include "board.h"
#include "fwconfig.h"

struct panel_out {
    const uint8_t *data;
    uint32_t bytes;         /* all of data */
    uint16_t row_bytes;     /* bytes clocked per row address and plane */
    uint8_t rows;           /* row addresses */
    uint8_t planes;         /* HUB75: bit planes, plane p weighs 2^p; HUB12: 1 */
    uint8_t oe_duty;        /* 0..255: share of each row time the LEDs are on */
    bool dark;              /* standby: nothing lit */
};

struct panel {
    const struct fw_board *board;
    uint8_t brightness;
    uint8_t pin_channel[3];     /* channel (0 R, 1 G, 2 B) on pins R, G, B */
    uint16_t level[256];        /* 8-bit value -> BCM level, at this brightness */
    uint8_t data[2][FW_PLANE_BYTES];
    uint8_t shown;              /* data[shown] was handed over last */
    struct panel_out out;
};

/* The CIE 1931 lightness curve: 8-bit value -> relative luminance, 0..65535. */
extern const uint16_t panel_cie1931[256];

void panel_init(struct panel *p, const struct fw_board *b, uint8_t brightness);
void panel_set_brightness(struct panel *p, uint8_t brightness);
/* Renders an RGB888 picture (board width x height); `dark` renders nothing
 * lit. Returns what the port should show from its next refresh. */
const struct panel_out *panel_render(struct panel *p, const uint8_t *rgb, bool dark);

#endif
